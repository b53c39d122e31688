"""A person's rights over their data: a copy of everything about them, and deleting their
account with everything that is only theirs.

It lives in ``programs`` because the data does: ``athletes`` may not import ``programs``,
and a person's runs, sessions, logs and flags span both apps.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from athletes.models import (
    AthleteGroup,
    AthleteProfile,
    CoachingLink,
    FailedLogin,
    Invitation,
    User,
)
from config.csvcells import guard_row
from library.models import Exercise
from programs import caching
from programs.blocks.files import block_export
from programs.logbook.logexport import export_rows
from programs.models import (
    Assignment,
    Block,
    Flag,
    OneRepMax,
    PainNote,
    Run,
    ScheduledSession,
    SessionComment,
    SetLog,
)
from programs.schedule.runfiles import export_runs_csv

README = """\
Your RunStrong data, as of {now}.

profile.json          your account, your athlete profile, your coaches and athletes,
                      the invitations you received and sent, and your groups
runs.csv              every run on your calendar, with every field we keep
runs-plan.csv         the same runs in the run plan format RunStrong imports back
strength_sessions.csv every strength session you were given, and how it went
strength_log.csv      every set you logged against what was planned
pain_notes.csv        the pain you reported
one_rep_maxes.csv     your one-rep maxes
coach_comments.csv    your coaches' comments on your sessions
flags.json            the conflicts the planner raised on your plan
blocks/*.json         your own blocks, in the block file format RunStrong imports back

Distances are in metres and durations in seconds unless a column says otherwise.
"""


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _csv(rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow(guard_row("" if cell is None else cell for cell in row))
    return out.getvalue()


def _profile(user: User, athlete: AthleteProfile | None) -> dict[str, Any]:
    links = CoachingLink.objects.select_related("coach", "athlete__user")
    received = Invitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=user.email))
    return {
        "account": {
            "email": user.email,
            "name": user.name,
            "joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "time_zone": user.time_zone,
            "weight_unit": user.weight_unit,
            "distance_unit": user.distance_unit,
            "coach": user.is_coach,
            "curator": user.is_staff,
        },
        "athlete": None
        if athlete is None
        else {"since": _iso(athlete.created_at), "calendar_feed": bool(athlete.feed_token)},
        "coaches": [
            {"coach": link.coach.name, "from": _iso(link.started_at), "to": _iso(link.ended_at)}
            for link in links.filter(athlete__user=user).order_by("started_at")
        ],
        "athletes_coached": [
            {
                "athlete": link.athlete.user.name,
                "from": _iso(link.started_at),
                "to": _iso(link.ended_at),
            }
            for link in links.filter(coach=user).order_by("started_at")
        ],
        "invitations_received": [
            {
                "from": invitation.coach.name,
                "sent": _iso(invitation.created_at),
                "accepted": _iso(invitation.accepted_at),
            }
            for invitation in received.select_related("coach").order_by("created_at")
        ],
        "invitations_sent": [
            {
                "email": invitation.email,
                "name": invitation.name,
                "sent": _iso(invitation.created_at),
                "accepted": _iso(invitation.accepted_at),
                "revoked": _iso(invitation.revoked_at),
            }
            for invitation in Invitation.objects.filter(coach=user).order_by("created_at")
        ],
        "groups": [
            {"name": group.name, "athletes": [a.user.name for a in group.athletes.all()]}
            for group in AthleteGroup.objects.filter(coach=user).prefetch_related("athletes__user")
        ],
    }


def _runs(athlete: AthleteProfile) -> str:
    fields = [
        "date",
        "start_time",
        "run_type",
        "title",
        "distance_m",
        "duration_s",
        "actual_distance_m",
        "actual_duration_s",
        "status",
        "race_priority",
        "notes",
        "source",
        "created_at",
        "updated_at",
    ]
    rows = Run.objects.for_athlete(athlete).order_by("date", "start_time", "pk")
    return _csv([fields, *([getattr(run, f) for f in fields] for run in rows)])


def _sessions(athlete: AthleteProfile) -> str:
    header = [
        "date",
        "planned_date",
        "block",
        "week",
        "phase",
        "title",
        "status",
        "skip_reason",
        "rpe",
        "notes",
        "completed_at",
    ]
    sessions = ScheduledSession.objects.for_athlete(athlete).select_related("assignment")
    return _csv(
        [
            header,
            *(
                [
                    s.date,
                    s.planned_date,
                    s.assignment.block_name,
                    s.week_number,
                    s.phase,
                    s.title,
                    s.status,
                    s.skip_reason,
                    s.rpe,
                    s.notes,
                    s.completed_at,
                ]
                for s in sessions.order_by("date", "order", "pk")
            ),
        ]
    )


def _pain_notes(athlete: AthleteProfile) -> str:
    notes = PainNote.objects.filter(athlete=athlete).order_by("date", "pk")
    return _csv(
        [
            ["date", "area", "score", "note"],
            *([n.date, n.area, n.score, n.note] for n in notes),
        ]
    )


def _maxes(athlete: AthleteProfile) -> str:
    maxes = OneRepMax.objects.filter(athlete=athlete).select_related("exercise")
    return _csv(
        [
            ["exercise", "kg", "tested_on", "updated_at"],
            *([m.exercise.name, m.kg, m.tested_on, m.updated_at] for m in maxes),
        ]
    )


def _comments(athlete: AthleteProfile) -> str:
    comments = (
        SessionComment.objects.filter(session__athlete=athlete)
        .select_related("session", "author")
        .order_by("session__date", "created_at", "pk")
    )
    return _csv(
        [
            ["session_date", "session", "coach", "written_at", "comment"],
            *(
                [
                    c.session.date,
                    c.session.title,
                    c.author.name if c.author else "",
                    c.created_at,
                    c.text,
                ]
                for c in comments
            ),
        ]
    )


def _flags(athlete: AthleteProfile) -> list[dict[str, Any]]:
    return [
        {
            "date": _iso(flag.date),
            "code": flag.code,
            "severity": flag.severity,
            "message": flag.message,
            "suggestion": flag.fix_text,
            "raised": _iso(flag.created_at),
            "acknowledged": _iso(flag.acknowledged_at),
            "note": flag.note,
        }
        for flag in Flag.objects.for_athlete(athlete)
    ]


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def account_data_zip(*, user: User) -> bytes:
    """A zip of everything RunStrong keeps about ``user`` (see README above)."""
    athlete = AthleteProfile.objects.filter(user=user).first()
    files: dict[str, str] = {
        "README.txt": README.format(now=timezone.now().strftime("%Y-%m-%d %H:%M UTC")),
        "profile.json": _json(_profile(user, athlete)),
    }
    if athlete is not None:
        files |= {
            "runs.csv": _runs(athlete),
            "runs-plan.csv": export_runs_csv(athlete=athlete),
            "strength_sessions.csv": _sessions(athlete),
            "strength_log.csv": _csv(export_rows(athlete=athlete, unit=user.weight_unit)),
            "pain_notes.csv": _pain_notes(athlete),
            "one_rep_maxes.csv": _maxes(athlete),
            "coach_comments.csv": _comments(athlete),
            "flags.json": _json(_flags(athlete)),
        }
    for block in Block.objects.owned_by(user).with_structure().order_by("pk"):
        files[f"blocks/{block.pk}-{slugify(block.name) or 'block'}.json"] = block_export(block)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete ``user`` and everything that is only theirs, in one transaction.

    Logs are history the database protects (``SetLog.session`` is ``PROTECT``), so they
    go first, explicitly. What others hold stays: exercises the person proposed to the
    shared library lose their author; comments they wrote as a coach on an athlete's
    session, and flags they acknowledged, stay with the athlete without a name.
    The person's blocks go: assigning copied them into each athlete's sessions.
    """
    athlete = AthleteProfile.objects.filter(user=user).first()
    if athlete is not None:
        SetLog.objects.filter(Q(athlete=athlete) | Q(session__athlete=athlete)).delete()
        PainNote.objects.filter(athlete=athlete).delete()
        Flag.objects.filter(athlete=athlete).delete()
        OneRepMax.objects.filter(athlete=athlete).delete()
        ScheduledSession.objects.filter(athlete=athlete).delete()
        Assignment.objects.filter(athlete=athlete).delete()
        Run.objects.filter(athlete=athlete).delete()
        CoachingLink.objects.filter(athlete=athlete).delete()
        athlete.delete()
    # Invitations addressed to the person carry their email and name.
    Invitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=user.email)).delete()
    Invitation.objects.filter(coach=user).delete()
    # Their athletes' pages name them (Today's coaches) and their blocks; these deletes
    # send no signal, so the pages are told here.
    coached = set(CoachingLink.objects.filter(coach=user).values_list("athlete_id", flat=True))
    coached |= set(
        Assignment.objects.filter(block__owner=user).values_list("athlete_id", flat=True)
    )
    CoachingLink.objects.filter(coach=user).delete()
    AthleteGroup.objects.filter(coach=user).delete()
    Block.objects.filter(owner=user).delete()
    Exercise.objects.filter(proposed_by=user).update(proposed_by=None)
    FailedLogin.objects.filter(key=f"account:{user.email.lower()}").delete()
    user.delete()
    caching.athletes_changed(coached)
