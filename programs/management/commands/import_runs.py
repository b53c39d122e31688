import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from athletes.models import AthleteProfile
from programs.schedule.runfiles import MAX_FILE_BYTES, RunFileError, import_runs


class Command(BaseCommand):
    help = (
        "Create or update an athlete's runs from a training plan (.ics or .csv; see "
        "docs/run-format.md). Re-importing updates runs and never duplicates them."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="The athlete's email.")
        parser.add_argument("file", type=Path, help="The .ics or .csv file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, writing nothing."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the report as one JSON object."
        )

    def handle(self, *args, email: str, file: Path, dry_run: bool, json: bool, **options):
        athlete = (
            AthleteProfile.objects.select_related("user").filter(user__email__iexact=email).first()
        )
        if athlete is None:
            raise CommandError(f"{email} is not an athlete.")
        try:
            with file.open("rb") as handle:
                # One byte past the limit is enough to report the file as too large.
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            report = import_runs(athlete=athlete, data=data, filename=file.name, dry_run=dry_run)
        except RunFileError as error:
            raise CommandError(f"{file}: {error}") from None
        if json:
            self.stdout.write(_dumps(report.to_json()))
            return
        for line, summary, reason in report.skipped:
            self.stdout.write(f"  skipped line {line}: {summary!r}: {reason}")
        for line, message in report.errors:
            self.stderr.write(f"  error line {line}, {message}")
        self.stdout.write(self.style.SUCCESS(f"{file}: {report.summary()}"))


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)
