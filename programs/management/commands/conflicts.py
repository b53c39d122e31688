import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from athletes.models import AthleteProfile
from programs import conflicts
from programs.conflicts import titles
from programs.conflicts.services import load_plans, suggestion_data


def _date(value: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: “{value}” is not a date like 2026-12-07.") from None


class Command(BaseCommand):
    help = (
        "Print an athlete's strength–run conflicts, sorted by date then code; --json prints "
        "a list of objects with code, title, severity, date, message, sessions and suggestion."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="The athlete's email.")
        parser.add_argument("--from", dest="first", help="First date, YYYY-MM-DD.")
        parser.add_argument("--to", dest="last", help="Last date, YYYY-MM-DD.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, email: str, first: str | None, last: str | None, **options):
        athlete = (
            AthleteProfile.objects.select_related("user").filter(user__email__iexact=email).first()
        )
        if athlete is None:
            raise CommandError(f"{email} is not an athlete.")
        first_date = _date(first, "--from") if first else None
        last_date = _date(last, "--to") if last else None
        if first_date and last_date and last_date < first_date:
            raise CommandError("--to is before --from.")
        plan = load_plans([athlete], since=first_date)[athlete.pk]
        flags = [
            f
            for f in conflicts.evaluate(
                plan.sessions,
                plan.runs,
                plan.thresholds,
                distance_unit=plan.distance_unit,
                today=plan.today,
            )
            if (first_date is None or f.date >= first_date)
            and (last_date is None or f.date <= last_date)
        ]
        flags.sort(key=lambda f: (f.date, f.code))
        sessions = {s.id: s for s in plan.sessions}
        if options["json"]:
            self.stdout.write(json.dumps([_json(f, sessions) for f in flags], ensure_ascii=False))
            return
        for flag in flags:
            title = titles.title(flag.code)
            self.stdout.write(f"{flag.date:%a %d %b %Y}  {flag.severity:<8} {flag.code}: {title}")
            self.stdout.write(f"  {flag.message}")
            if flag.suggestion is not None:
                self.stdout.write(f"  → {flag.suggestion.text}")
        self.stdout.write(self.style.SUCCESS(f"{len(flags)} flag{'s' * (len(flags) != 1)}."))


def _json(flag: conflicts.Flag, sessions: dict[str, conflicts.StrengthSession]) -> dict:
    return {
        "code": flag.code,
        "title": titles.title(flag.code),
        "severity": flag.severity,
        "date": flag.date.isoformat(),
        "message": flag.message,
        "sessions": [
            {"id": int(i), "date": sessions[i].date.isoformat(), "title": sessions[i].title}
            for i in flag.session_ids
        ],
        "suggestion": suggestion_data(flag.suggestion),
    }
