"""Reading uploaded text files (library, block and run files) the same way everywhere:
a size cap, UTF-8 with or without a BOM, and clear words for what else arrives."""

import codecs
from pathlib import Path

from django import forms
from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _


def decode_text_file(data: bytes, *, max_bytes: int, error: type[Exception]) -> str:
    """The file's text; raises ``error`` (the caller's file error) with a message a coach or
    curator can act on when it is too large, not UTF-8, or empty."""
    if len(data) > max_bytes:
        raise error(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{max_bytes // 1024 // 1024} MB."
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise error("The file is UTF-16 text; save it with UTF-8 encoding.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data[: problem.start].count(b"\n") + 1
        raise error(
            f"The file is not UTF-8 text (byte 0x{data[problem.start]:02x} on line {line}); "
            "save it with UTF-8 encoding."
        ) from None
    if not text.strip():
        raise error("The file is empty.")
    return text


class TextFileField(forms.FileField):
    """An uploaded text file, refused before it is read when it is over ``max_bytes``."""

    def __init__(self, *, max_bytes: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.max_bytes = max_bytes

    def validate(self, value) -> None:
        super().validate(value)
        if value and value.size > self.max_bytes:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB."),
                code="too_large",
                params={"mb": self.max_bytes // (1024 * 1024)},
            )


def write_text_output(command, text: str, output: Path | None) -> None:
    """An export command's result: to stdout, or to ``output`` with a clear error when the
    file cannot be written."""
    if output is None:
        command.stdout.write(text, ending="")
        return
    try:
        with output.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as error:
        raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
    command.stderr.write(f"Wrote {output}.")
