import datetime
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from athletes.models import AthleteProfile, User
from programs.schedule.services import parse_weekdays
from programs.seasons import SeasonPlan, plan_season
from programs.seasons.services import season_apply, season_diff, season_request_for

# The request's fields as the command's options, for its error messages.
OPTIONS = {
    "start": "--start",
    "end": "--end",
    "sessions_per_week": "--sessions",
    "weekdays": "--days",
}


def _date(value: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: “{value}” is not a date like 2026-12-07.") from None


class Command(BaseCommand):
    help = (
        "Plan an athlete's strength season around their runs and races, checked by the "
        "conflict engine (docs/season-planner.md); --apply makes it the athlete's blocks "
        "and assignments. --json prints {weeks: [...], flags: [...]}."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="The athlete's email.")
        parser.add_argument("--coach", required=True, help="The coach's email.")
        parser.add_argument("--start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--end", help="Last day, YYYY-MM-DD (default: the last A race).")
        parser.add_argument(
            "--sessions",
            type=int,
            choices=(2, 3),
            default=2,
            help="Strength sessions a week in foundation and strength weeks (default 2).",
        )
        parser.add_argument("--days", help="Preferred strength days, e.g. mon,thu.")
        parser.add_argument("--json", action="store_true", help="Print the plan as JSON.")
        parser.add_argument("--apply", action="store_true", help="Apply the plan.")
        parser.add_argument(
            "--replace-future",
            action="store_true",
            help="Replace the athlete's planned sessions from today on with nothing logged "
            "(default: keep every existing session and plan around it).",
        )

    def handle(self, *args, email: str, coach: str, start: str, end: str | None, **options):
        athlete = (
            AthleteProfile.objects.select_related("user").filter(user__email__iexact=email).first()
        )
        if athlete is None:
            raise CommandError(f"{email} is not an athlete.")
        coach_user = User.objects.by_email(coach).filter(is_coach=True).first()
        if coach_user is None:
            raise CommandError(f"{coach} is not a coach.")
        if not AthleteProfile.objects.coached_by(coach_user).filter(pk=athlete.pk).exists():
            raise CommandError(f"{coach} does not coach {email}.")
        start_date = _date(start, "--start")
        end_date = _date(end, "--end") if end else None
        if end_date is not None and end_date < start_date:
            raise CommandError("--end is before --start.")
        try:
            weekdays = [d - 1 for d in parse_weekdays(options["days"])] if options["days"] else []
        except ValidationError as error:
            raise CommandError(f"--days: {' '.join(error.messages)}") from None
        request = season_request_for(
            athlete=athlete,
            start=start_date,
            end=end_date,
            sessions_per_week=options["sessions"],
            weekdays=weekdays,
            replace_future=options["replace_future"],
        )
        if errors := request.errors():
            raise CommandError(
                " ".join(
                    f"{OPTIONS.get(field, field)}: {message}" for field, message in errors.items()
                )
            )
        plan = plan_season(request)
        if options["json"]:
            self.stdout.write(json.dumps(plan.to_json(), ensure_ascii=False))
        else:
            self._describe(plan, athlete)
        if options["apply"]:
            try:
                assignments = season_apply(plan=plan, athlete=athlete, coach=coach_user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            names = ", ".join(f"“{a.block_name}”" for a in assignments) or "no block"
            out = self.stderr if options["json"] else self.stdout
            out.write(
                f"Applied: {len(plan.sessions)} sessions in {names}; "
                f"{len(plan.replaced)} replaced sessions deleted."
            )

    def _describe(self, plan: SeasonPlan, athlete: AthleteProfile) -> None:
        sessions = plan.sessions
        self.stdout.write(
            f"Season for {athlete.user.email} from {plan.start:%a %d %b %Y} to "
            f"{plan.end:%a %d %b %Y}: {len(plan.weeks)} weeks, {len(sessions)} sessions."
        )
        for week in plan.weeks:
            days = " · ".join(
                f"{s.date:%a %d %b}"
                + (f" {s.start_time:%H:%M}" if s.start_time else "")
                + f" {s.name}"
                for s in week.sessions
            )
            self.stdout.write(f"  {week.start}  {week.phase:<12} {days or '—'}")
        diff = season_diff(athlete=athlete, plan=plan)
        self.stdout.write(
            f"Against the current calendar: {len(diff.added)} added, {len(diff.removed)} "
            f"removed, {len(diff.moved)} moved, {len(diff.unchanged)} unchanged, "
            f"{len(diff.kept)} kept."
        )
        for flag in plan.flags:
            self.stdout.write(f"  {flag.date}  {flag.severity:<8} {flag.code}: {flag.message}")
        for exception in plan.exceptions:
            self.stdout.write(f"  Unavoidable, week of {exception.week}: {exception.message}")
        flags = len(plan.flags)
        self.stdout.write(self.style.SUCCESS(f"{flags} flag{'s' * (flags != 1)}."))
