import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from athletes.models import AthleteProfile
from programs.blocks.files.fields import TIME_PATTERN
from programs.models import Block
from programs.schedule.services import assignment_create, parse_weekdays


class Command(BaseCommand):
    help = (
        "Assign a block (by id or exact name) to an athlete from a start date on their "
        "strength weekdays, e.g. --start 2026-12-07 --days mon,thu."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("block", help="The block's id or exact name.")
        parser.add_argument("email", help="The athlete's email.")
        parser.add_argument("--start", required=True, help="Start date, YYYY-MM-DD.")
        parser.add_argument("--days", required=True, help="Strength weekdays, e.g. mon,thu.")
        parser.add_argument(
            "--time",
            help="Planned time of every session, HH:MM (24-hour); without it, each session "
            "takes its block session's time, if any.",
        )

    def handle(
        self, *args, block: str, email: str, start: str, days: str, time: str | None, **options
    ):
        athlete = (
            AthleteProfile.objects.select_related("user").filter(user__email__iexact=email).first()
        )
        if athlete is None:
            raise CommandError(f"{email} is not an athlete.")
        found = _block(block)
        try:
            start_date = datetime.date.fromisoformat(start)
        except ValueError:
            raise CommandError(f"--start: “{start}” is not a date like 2026-12-07.") from None
        start_time = None if time is None else _time(time)
        try:
            weekdays = parse_weekdays(days)
            (assignment,) = assignment_create(
                block=found,
                athletes=[athlete],
                start=start_date,
                weekdays=weekdays,
                assigned_by=None,
                start_time=start_time,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        sessions = list(assignment.sessions.order_by("date").values_list("date", flat=True))
        at = f" at {start_time:%H:%M}" if start_time else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Assigned “{found.name}” to {athlete.user.email}: {len(sessions)} sessions "
                f"from {sessions[0]:%a %d %b %Y} to {sessions[-1]:%a %d %b %Y}{at}."
            )
        )


def _time(text: str) -> datetime.time:
    if not TIME_PATTERN.fullmatch(text):
        raise CommandError(f"--time: “{text}” is not a time like 18:30 (HH:MM, 24-hour).")
    return datetime.time.fromisoformat(text)


def _block(reference: str) -> Block:
    blocks = Block.objects.with_structure()
    if reference.isdigit():
        found = blocks.filter(pk=int(reference)).first()
        if found is not None:
            return found
    matches = list(blocks.filter(name=reference)[:2])
    if not matches:
        raise CommandError(f"No block with id or name “{reference}”.")
    if len(matches) > 1:
        raise CommandError(f"Several blocks are named “{reference}”: give its id.")
    return matches[0]
