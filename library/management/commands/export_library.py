from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.textfiles import write_text_output
from library.io import export_exercises


class Command(BaseCommand):
    help = (
        "Write every exercise in the library file format (JSON by default), to standard "
        "output or to a file. import_library reads the result back unchanged."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=["json", "csv"],
            help="The file format; default: from the -o file's extension, else json.",
        )
        parser.add_argument("-o", "--output", type=Path, help="Write to this file.")

    def handle(self, *args, fmt: str | None, output: Path | None, **options) -> None:
        if output is not None:
            suffix = output.suffix.lower().lstrip(".")
            if suffix not in ("json", "csv"):
                raise CommandError(f"{output}: the file name must end in .json or .csv.")
            if fmt is not None and fmt != suffix:
                raise CommandError(
                    f"--format {fmt} does not match {output.name}; import reads the "
                    "format from the extension."
                )
            fmt = suffix
        text = export_exercises(fmt=fmt or "json")
        write_text_output(self, text, output)
