from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from library.io import BUILTIN_PATH, LibraryFileError, import_exercises
from library.models import Source


class Command(BaseCommand):
    help = (
        "Load the built-in exercise library. Safe to re-run: changed built-in rows are "
        "updated, and rows a curator has edited since are kept unless --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite rows edited by a curator or not from the built-in library.",
        )
        parser.add_argument(
            "--file",
            type=Path,
            default=BUILTIN_PATH,
            help="The library file to load (default: the built-in library/data/exercises.json).",
        )

    def handle(self, *args, force: bool, file: Path, **options) -> None:
        try:
            data = file.read_bytes()
            report = import_exercises(
                data=data, filename=file.name, source=Source.BUILTIN, force=force
            )
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except LibraryFileError as error:
            raise CommandError(f"{file}: {error}") from None
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Built-in library {file}: {report.summary()}")
        for label, slugs in (("created", report.created), ("updated", report.updated)):
            # A first load creates the whole library: the count says enough.
            if 0 < len(slugs) <= 20:
                self.stdout.write(f"  {label}: {', '.join(slugs)}")
        for reason in sorted(set(report.kept.values())):
            slugs = [slug for slug, why in report.kept.items() if why == reason]
            self.stdout.write(f"  {reason}: {', '.join(slugs)}")
        self.stdout.write(f"Built-in exercise library: {report.summary()}.")
