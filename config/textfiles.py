"""Reading uploaded text files (library, block and run files) the same way everywhere:
a size cap, UTF-8 with or without a BOM, and clear words for what else arrives.

Text that no column can hold is refused, as Django's form fields refuse it: a NUL character
(PostgreSQL text cannot store one) anywhere in a file, and in JSON a lone surrogate
(``"\\ud800"``, not Unicode at all) or nesting deeper than the format has. Other control
characters are text a field may hold, as a form would take them."""

import codecs
import re
from pathlib import Path
from typing import Any

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
    if (nul := text.find("\x00")) != -1:
        line = text.count("\n", 0, nul) + 1
        raise error(
            f"The file contains a NUL character (line {line}), so it is not plain text; "
            "save it with UTF-8 encoding."
        )
    if not text.strip():
        raise error("The file is empty.")
    return text


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def check_json_value(value: Any, *, max_depth: int, error: type[Exception]) -> None:
    """Raise ``error`` when parsed JSON nests deeper than ``max_depth`` (a scalar at the top
    is depth 0) or holds a lone surrogate in a key or a string.

    One level at a time, each in a comprehension, and each level's strings searched in one
    regex pass: a 2 MB file of half a million empty objects is checked in a fraction of a
    second rather than one item at a time."""
    level = [value]
    for depth in range(max_depth + 1):
        strings = [item for item in level if isinstance(item, str)]
        if strings and _SURROGATE.search(text := "\n".join(strings)):
            raise error(
                f"The file has a string with a lone surrogate ({_escaped(text)}), which "
                "is not Unicode text."
            )
        objects = [item for item in level if isinstance(item, dict)]
        arrays = [item for item in level if isinstance(item, list)]
        if not objects and not arrays:
            return
        if depth >= max_depth:
            raise error(f"The JSON is nested more than {max_depth} levels deep.")
        level = [key for item in objects for key in item]
        level += [child for item in objects for child in item.values()]
        level += [child for item in arrays for child in item]


def _escaped(text: str) -> str:
    found = _SURROGATE.search(text)
    return f"\\u{ord(found.group(0)):04x}" if found else ""


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
