"""A block as plain data, the shape of the block file format (docs/block-format.md).

``block_to_dict`` reads a block in a fixed number of queries; ``block_write`` creates one
from such a dict with one bulk insert per level, so copying a block, importing a file
and loading the built-in templates all cost the same handful of queries whatever the
block's size, and export → import round-trips exactly.
"""

import datetime
from decimal import Decimal
from typing import Any

from programs.models import Block, Prescription, Session, Week

FORMAT = "runstrong-block"
VERSION = 1

PRESCRIPTION_KEYS = (
    "exercise",
    "superset",
    "sets",
    "reps_min",
    "reps_max",
    "duration_s",
    "distance_m",
    "per_side",
    "load_type",
    "load_value",
    "tempo",
    "rest_s",
    "notes",
    "progression",
    "load_step",
    "reps_cap",
)


def json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def block_to_dict(block: Block) -> dict[str, Any]:
    """The block with its weeks, sessions and prescriptions (exercises by slug).

    Pass a block fetched with ``Block.objects.with_structure()`` to read it in one go.
    """
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": block.name,
        "goal": block.goal,
        "notes": block.notes,
        "deload_every": block.deload_every,
        "deload_fraction": json_number(block.deload_fraction),
        "weeks": [
            {
                "number": week.number,
                "phase": week.phase,
                "notes": week.notes,
                "sessions": [session_to_dict(session) for session in week.sessions.all()],
            }
            for week in block.weeks.all()
        ],
    }


def session_to_dict(session: Session) -> dict[str, Any]:
    """The session's keys; ``time`` only when it has one, so a block without times writes
    the same file as before times existed."""
    data: dict[str, Any] = {"day": session.day, "label": session.label, "title": session.title}
    if session.start_time is not None:
        data["time"] = f"{session.start_time:%H:%M}"
    data["prescriptions"] = [prescription_to_dict(p) for p in session.prescriptions.all()]
    return data


def prescription_to_dict(p: Prescription) -> dict[str, Any]:
    return {
        "exercise": p.exercise.slug,
        "superset": p.superset,
        "sets": p.sets,
        "reps_min": p.reps_min,
        "reps_max": p.reps_max,
        "duration_s": p.duration_s,
        "distance_m": p.distance_m,
        "per_side": p.per_side,
        "load_type": p.load_type,
        "load_value": json_number(p.load_value),
        "tempo": p.tempo,
        "rest_s": p.rest_s,
        "notes": p.notes,
        "progression": p.progression,
        "load_step": json_number(p.load_step),
        "reps_cap": p.reps_cap,
    }


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _time(value: str | None) -> datetime.time | None:
    return None if value is None else datetime.time.fromisoformat(value)


def block_write(
    *,
    data: dict[str, Any],
    exercises: dict[str, int],
    owner=None,
    name: str | None = None,
    is_template: bool = False,
    is_shared: bool = False,
    builtin_key: str = "",
    created_from: Block | None = None,
) -> Block:
    """Create a block from validated ``data``; ``exercises`` maps each slug to its id.

    Call it inside a transaction: it writes the block, then every week, every session and
    every prescription in one bulk insert each.
    """
    block = Block.objects.create(
        owner=owner,
        name=name or data["name"],
        goal=data.get("goal", ""),
        notes=data.get("notes", ""),
        deload_every=data.get("deload_every"),
        deload_fraction=_decimal(data.get("deload_fraction")) or Decimal("0.5"),
        is_template=is_template,
        is_shared=is_shared,
        builtin_key=builtin_key,
        created_from=created_from,
    )
    weeks = Week.objects.bulk_create(
        [
            Week(block=block, number=w["number"], phase=w["phase"], notes=w.get("notes", ""))
            for w in data["weeks"]
        ]
    )
    sessions_data = [
        (week, order, s)
        for week, w in zip(weeks, data["weeks"], strict=True)
        for order, s in enumerate(w["sessions"], start=1)
    ]
    sessions = Session.objects.bulk_create(
        [
            Session(
                week=week,
                order=order,
                day=s.get("day"),
                label=s.get("label", ""),
                title=s.get("title", ""),
                start_time=_time(s.get("time")),
            )
            for week, order, s in sessions_data
        ]
    )
    Prescription.objects.bulk_create(
        [
            prescription_from_dict(p, session=session, order=order, exercises=exercises)
            for session, (_week, _order, s) in zip(sessions, sessions_data, strict=True)
            for order, p in enumerate(s["prescriptions"], start=1)
        ]
    )
    return block


def prescription_from_dict(
    p: dict[str, Any], *, session: Session, order: int, exercises: dict[str, int]
) -> Prescription:
    return Prescription(
        session=session,
        order=order,
        exercise_id=exercises[p["exercise"]],
        superset=p.get("superset", ""),
        sets=p["sets"],
        reps_min=p.get("reps_min"),
        reps_max=p.get("reps_max"),
        duration_s=p.get("duration_s"),
        distance_m=p.get("distance_m"),
        per_side=p.get("per_side", False),
        load_type=p.get("load_type", "bodyweight"),
        load_value=_decimal(p.get("load_value")),
        tempo=p.get("tempo", ""),
        rest_s=p.get("rest_s"),
        notes=p.get("notes", ""),
        progression=p.get("progression", "hold"),
        load_step=_decimal(p.get("load_step")),
        reps_cap=p.get("reps_cap"),
    )
