"""The values a block file may hold: one parser per field, with its default, and the load
ranges by load type. A parser returns the clean value or raises ``_InvalidError`` saying
what is wrong; ``validation`` walks the file and puts each message at its path."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from programs.blocks.files.reading import (
    INTEGER_MAX,
    MAX_SETS,
    MAX_WEEKS,
    SMALL_MAX,
    _max_length,
    _show,
)
from programs.models import (
    TEMPO_VALIDATOR,
    Block,
    LoadType,
    Phase,
    Prescription,
    Progression,
    Session,
)

# A time of day as block files and assign_block take it: "HH:MM" on a 24-hour clock.
TIME_PATTERN = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


class _InvalidError(Exception):
    """A value is wrong; the message says why."""


_REQUIRED = object()
Parser = Callable[[Any], Any]


def _text(max_length: int | None = None, *, required: bool = False) -> Parser:
    def parse(value: Any) -> str:
        if not isinstance(value, str):
            none = "" if required else ' (use "" for none)'
            raise _InvalidError(f"must be text{none}, not {_show(value)}")
        if "\x00" in value:
            raise _InvalidError("contains a NUL character")
        if required:
            value = value.strip()
            if not value:
                raise _InvalidError("required")
        if max_length is not None and len(value) > max_length:
            raise _InvalidError(f"is {len(value)} characters long; the limit is {max_length}")
        return value

    return parse


def _whole(low: int, high: int, *, nullable: bool = False) -> Parser:
    def parse(value: Any) -> int | None:
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            kind = "a whole number or null" if nullable else "a whole number"
            raise _InvalidError(f"must be {kind}, not {_show(value)}")
        if value < low:
            raise _InvalidError(f"must be at least {low}")
        if value > high:
            raise _InvalidError(f"must be at most {high}")
        return value

    return parse


def _decimal(
    *,
    places: int,
    low: Decimal | None = None,
    high: Decimal | None = None,
    nullable: bool = False,
) -> Parser:
    def parse(value: Any) -> Decimal | None:
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            kind = "a number or null" if nullable else "a number"
            raise _InvalidError(f"must be {kind}, not {_show(value)}")
        number = Decimal(str(value))
        if number.normalize().as_tuple().exponent < -places:
            raise _InvalidError(f"may have at most {places} decimal places, not {_show(value)}")
        if low is not None and number < low:
            raise _InvalidError(f"must be at least {low}")
        if high is not None and number > high:
            raise _InvalidError(f"must be at most {high}")
        return number

    return parse


def _choice(choices: type) -> Parser:
    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise _InvalidError(f"must be text, not {_show(value)}")
        if value not in choices.values:
            raise _InvalidError(f"{_show(value)} is not one of: {', '.join(choices.values)}")
        return value

    return parse


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _InvalidError(f"must be true or false, not {_show(value)}")
    return value


def _tempo(value: Any) -> str:
    tempo = _text(_max_length(Prescription, "tempo"))(value)
    if tempo:
        try:
            TEMPO_VALIDATOR(tempo)
        except ValidationError as error:
            raise _InvalidError(f"{_show(tempo)} is not a tempo. {error.messages[0]}") from None
    return tempo


def _time(value: Any) -> str | None:
    """A time of day as "HH:MM", 24-hour; null for none."""
    if value is None:
        return None
    if not isinstance(value, str) or not TIME_PATTERN.fullmatch(value):
        raise _InvalidError(f'must be a time of day as "HH:MM" (e.g. "18:30"), not {_show(value)}')
    return value


_NAME = _text(_max_length(Block, "name"), required=True)

_BLOCK_FIELDS: dict[str, tuple[Parser, Any]] = {
    "name": (_NAME, _REQUIRED),
    "goal": (_text(_max_length(Block, "goal")), ""),
    "notes": (_text(), ""),
    "deload_every": (_whole(2, MAX_WEEKS, nullable=True), None),
    "deload_fraction": (
        _decimal(places=2, low=Decimal("0.1"), high=Decimal("0.9")),
        Decimal("0.5"),
    ),
}
_WEEK_FIELDS: dict[str, tuple[Parser, Any]] = {
    # "number" defaults to the week's position; see _Checker.week().
    "phase": (_choice(Phase), Phase.FOUNDATION.value),
    "notes": (_text(), ""),
}
_SESSION_FIELDS: dict[str, tuple[Parser, Any]] = {
    "day": (_whole(1, 7, nullable=True), None),
    "label": (_text(_max_length(Session, "label")), ""),
    "title": (_text(_max_length(Session, "title")), ""),
    # Written only when set; see _Checker.session().
    "time": (_time, None),
}
_PRESCRIPTION_FIELDS: dict[str, tuple[Parser, Any]] = {
    "exercise": (_text(required=True), _REQUIRED),
    "superset": (_text(_max_length(Prescription, "superset")), ""),
    "sets": (_whole(1, MAX_SETS), _REQUIRED),
    "reps_min": (_whole(1, SMALL_MAX, nullable=True), None),
    "reps_max": (_whole(1, SMALL_MAX, nullable=True), None),
    "duration_s": (_whole(0, INTEGER_MAX, nullable=True), None),
    "distance_m": (_whole(0, INTEGER_MAX, nullable=True), None),
    "per_side": (_boolean, False),
    "load_type": (_choice(LoadType), LoadType.BODYWEIGHT.value),
    # Its range depends on load_type; see _Checker.load().
    "load_value": (_decimal(places=2, nullable=True), None),
    "tempo": (_tempo, ""),
    "rest_s": (_whole(0, SMALL_MAX, nullable=True), None),
    "notes": (_text(_max_length(Prescription, "notes")), ""),
    "progression": (_choice(Progression), Progression.HOLD.value),
    "load_step": (
        _decimal(places=2, low=Decimal(0), high=Decimal("999.99"), nullable=True),
        None,
    ),
    "reps_cap": (_whole(1, SMALL_MAX, nullable=True), None),
}

# load_type: (lowest, highest, lowest allowed itself, how to say it)
_LOAD_RANGES = {
    LoadType.KG: (Decimal(0), Decimal(500), False, "a kg load must be more than 0 and at most 500"),
    LoadType.PERCENT_1RM: (Decimal(1), Decimal(110), True, "% 1RM must be from 1 to 110"),
    LoadType.RPE: (Decimal(1), Decimal(10), True, "RPE must be from 1 to 10"),
    LoadType.RIR: (Decimal(0), Decimal(10), True, "RIR must be from 0 to 10"),
}
