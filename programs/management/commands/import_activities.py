import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from athletes.models import AthleteProfile
from programs.activities.archive import MAX_ARCHIVE_BYTES
from programs.activities.parsing import MAX_FILE_BYTES
from programs.activities.services import activities_import


class Command(BaseCommand):
    help = (
        "Import an athlete's recorded runs from FIT, GPX or TCX files, or zips of them (a "
        "Garmin or Strava export). A file on a day with a planned run marks that run done; "
        "others become new done runs. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="The athlete's email.")
        parser.add_argument("files", nargs="+", type=Path, help="Activity files or .zip files.")
        parser.add_argument(
            "--runs",
            action="store_true",
            help="Files that name no sport (most GPX files) are runs.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, writing nothing."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the report as one JSON object."
        )

    def handle(self, *args, email: str, files: list[Path], runs: bool, dry_run: bool, **options):
        athlete = (
            AthleteProfile.objects.select_related("user").filter(user__email__iexact=email).first()
        )
        if athlete is None:
            raise CommandError(f"{email} is not an athlete.")
        for path in files:
            if not path.is_file():
                raise CommandError(f"Cannot read {path}: no such file.")
        report = activities_import(
            athlete=athlete, uploads=_read(files), assume_run=runs, dry_run=dry_run
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.to_json(), ensure_ascii=False))
            return
        for row in report.files:
            if row["outcome"] in {"skipped", "error"}:
                stream = self.stderr if row["outcome"] == "error" else self.stdout
                stream.write(f"  {row['outcome']} {row['file']}: {row['detail']}")
        self.stdout.write(self.style.SUCCESS(report.summary()))


def _read(files: list[Path]):
    for path in files:
        # One byte past the limit is enough for the reader to call the file too large.
        limit = (MAX_ARCHIVE_BYTES if path.suffix.lower() == ".zip" else MAX_FILE_BYTES) + 1
        try:
            with path.open("rb") as handle:
                data = handle.read(limit)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        yield path.name, data
