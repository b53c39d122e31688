import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from athletes.models import AthleteProfile
from config.textfiles import write_text_output
from programs.schedule.runfiles import export_runs_csv, export_runs_json


class Command(BaseCommand):
    help = (
        "Write an athlete's runs as CSV (date,type,distance,unit,duration,notes; import_runs "
        "reads it back unchanged) or as JSON (planned beside done, with the activity's start, "
        "climb and heart rate), to standard output or a file."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="The athlete's email.")
        parser.add_argument("-o", "--output", type=Path, help="Write to this file.")
        parser.add_argument("--format", choices=("csv", "json"), default="csv")

    def handle(self, *args, email: str, output: Path | None, format: str, **options) -> None:
        athlete = AthleteProfile.objects.filter(user__email__iexact=email).first()
        if athlete is None:
            raise CommandError(f"{email} is not an athlete.")
        if format == "json":
            text = json.dumps(export_runs_json(athlete=athlete), ensure_ascii=False, indent=1)
        else:
            text = export_runs_csv(athlete=athlete)
        write_text_output(self, text, output)
