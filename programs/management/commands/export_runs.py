from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from athletes.models import AthleteProfile
from config.textfiles import write_text_output
from programs.schedule.runfiles import export_runs_csv


class Command(BaseCommand):
    help = (
        "Write an athlete's runs as CSV (date,type,distance,unit,duration,notes), to standard "
        "output or a file. import_runs reads the result back unchanged."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="The athlete's email.")
        parser.add_argument("-o", "--output", type=Path, help="Write to this .csv file.")

    def handle(self, *args, email: str, output: Path | None, **options) -> None:
        athlete = AthleteProfile.objects.filter(user__email__iexact=email).first()
        if athlete is None:
            raise CommandError(f"{email} is not an athlete.")
        text = export_runs_csv(athlete=athlete)
        write_text_output(self, text, output)
