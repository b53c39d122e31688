from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from library.io import MAX_FILE_BYTES, LibraryFileError, import_exercises


class Command(BaseCommand):
    help = (
        "Create or update exercises from a library file (.csv or .json; see "
        "docs/library-format.md). A file with any invalid row writes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The .csv or .json file to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and report what would change, writing nothing.",
        )

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        try:
            with file.open("rb") as handle:
                # One byte past the limit is enough to report the file as too large.
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            report = import_exercises(data=data, filename=file.name, dry_run=dry_run)
        except LibraryFileError as error:
            raise CommandError(f"{file}: {error}") from None
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(f"{file}: {report.summary()}")
        self.stdout.write(self.style.SUCCESS(f"{file}: {report.summary()}"))
