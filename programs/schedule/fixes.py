"""Carrying out a conflict flag's checked fix: move the session to the suggested day, or
lighten it. A schedule write like any other, so it lives with the schedule and rechecks
the flags through the conflicts service (arrows point schedule → conflicts only)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from athletes.models import AthleteProfile
from programs.conflicts.services import conflicts_sync
from programs.models import Flag, ScheduledSession, SessionStatus
from programs.schedule.services import scheduled_session_move
from programs.units import local_today


class _OutOfDateError(Exception):
    def __init__(self, athlete: AthleteProfile) -> None:
        super().__init__()
        self.athlete = athlete


def flag_fix(*, flag: Flag) -> ScheduledSession:
    """Carry out the flag's checked suggestion (move the session, or lighten it) and
    recompute the athlete's flags. A move to a day now past is refused, and the plan is
    checked again in a transaction of its own, so the recheck stays."""
    try:
        return _flag_fix(flag=flag)
    except _OutOfDateError as stale:
        conflicts_sync(athletes=[stale.athlete])
        raise ValidationError(
            "That day has passed; the plan was checked again.", code="fix_out_of_date"
        ) from None


@transaction.atomic
def _flag_fix(*, flag: Flag) -> ScheduledSession:
    suggestion = flag.suggestion or {}
    if suggestion.get("kind") not in {"move", "lighten"}:
        raise ValidationError("This flag has no fix to apply.", code="no_fix")
    session = (
        ScheduledSession.objects.filter(athlete=flag.athlete_id, pk=suggestion["session_id"])
        .select_related("athlete__user")
        .first()
    )
    if session is None or session.status != SessionStatus.PLANNED:
        raise ValidationError(
            "The session has changed since this was suggested.", code="session_changed"
        )
    if suggestion["kind"] == "move":
        to_date = datetime.date.fromisoformat(suggestion["to_date"])
        if to_date < local_today(session.athlete.user):
            # Suggested some days ago: never move a session into the past.
            raise _OutOfDateError(session.athlete)
        return scheduled_session_move(session=session, date=to_date)
    _lighten(session, suggestion["changes"])
    conflicts_sync(athletes=[session.athlete])
    return session


def _lighten(session: ScheduledSession, changes: list[dict]) -> None:
    prescriptions = list(session.prescriptions.select_related("exercise").order_by("order"))
    for change in changes:
        rx = prescriptions[change["index"]]
        if change.get("drop"):
            rx.delete()
            continue
        if change.get("exercise") and rx.exercise.easier_id:
            rx.exercise_id = rx.exercise.easier_id
        if change.get("load_type"):
            rx.load_type = change["load_type"]
            value = change.get("load_value")
            rx.load_value = None if value is None else Decimal(str(value))
        if change.get("sets"):
            rx.sets = change["sets"]
        rx.full_clean(exclude={"session", "exercise"})
        rx.save()
