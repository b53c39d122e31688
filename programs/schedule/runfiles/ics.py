"""Reading an iCalendar (.ics) training plan into runs, with the icalendar library."""

from __future__ import annotations

import hashlib
import zoneinfo
from datetime import date, datetime, timedelta

import icalendar

from programs.schedule.runfiles.parsing import read_workout
from programs.schedule.runfiles.records import (
    MAX_DISTANCE_M,
    MAX_DURATION_S,
    MAX_ROWS,
    Incoming,
    Parsed,
    RunFileError,
)

MAX_KEY_LENGTH = 255
MAX_TITLE_LENGTH = 200


def read_calendar(text: str, *, time_zone: str) -> Parsed:
    """The calendar's events as runs, dated in ``time_zone`` (the athlete's). Raises
    RunFileError when the text is not a calendar or no event has a usable date."""
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise RunFileError("The file is not an iCalendar file (it must start BEGIN:VCALENDAR).")
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise RunFileError(f"The calendar cannot be read: {error}") from None
    events = list(calendar.walk("VEVENT"))
    if not events:
        raise RunFileError("The calendar has no events.")
    if len(events) > MAX_ROWS:
        raise RunFileError(f"The calendar has {len(events):,} events; the limit is {MAX_ROWS:,}.")
    lines = _event_lines(text)
    tz = zoneinfo.ZoneInfo(time_zone)
    parsed = Parsed()
    keys: dict[str, int] = {}
    for index, event in enumerate(events):
        line = lines[index] if index < len(lines) else 0
        try:
            _read_event(event, line, tz, keys, parsed)
        except (ArithmeticError, ValueError):
            # A number or a date past what a calendar can mean (year 9999 in a far zone,
            # a 400-digit distance): that event is an error row, the others still import.
            parsed.errors.append((line, "a date or number in this event is out of range"))
    if len(parsed.errors) == len(events):
        first_line, first = parsed.errors[0]
        raise RunFileError(
            f"None of the {len(events)} events has a usable start date "
            f"(line {first_line}, {first}); nothing was imported."
        )
    return parsed


def _event_lines(text: str) -> list[int]:
    """The line number of each BEGIN:VEVENT, in file order (the events' order)."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if not line.startswith((" ", "\t")) and line.strip().upper() == "BEGIN:VEVENT"
    ]


def _read_event(
    event: icalendar.Event, line: int, tz: zoneinfo.ZoneInfo, keys: dict[str, int], parsed: Parsed
) -> None:
    summary = " ".join(str(event.get("SUMMARY", "")).split())
    description = str(event.get("DESCRIPTION", "")).strip()
    start = _start(event)
    if isinstance(start, str):
        parsed.errors.append((line, start))
        return
    span = _span_days(event, start)
    if span > 1:
        parsed.skipped.append((line, summary, f"spans {span} days"))
        return
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        parsed.skipped.append((line, summary, "cancelled"))
        return
    if "RRULE" in event:
        parsed.skipped.append((line, summary, "repeating events (RRULE) are not imported"))
        return
    workout = read_workout(summary, description)
    if workout.run_type is None:
        parsed.skipped.append((line, summary, workout.skip))
        return
    if (workout.distance_m or 0) > MAX_DISTANCE_M or (workout.duration_s or 0) > MAX_DURATION_S:
        parsed.errors.append((line, f"{summary!r}: the distance or time is out of range"))
        return
    if isinstance(start, datetime):
        local = start.astimezone(tz) if start.tzinfo is not None else start
        day, start_time = local.date(), local.time().replace(tzinfo=None, microsecond=0)
    else:
        day, start_time = start, None
    key = _key(event, day, summary)
    if key in keys:
        parsed.skipped.append(
            (line, summary, f"the same event as line {keys[key]} (UID or date and summary)")
        )
        return
    keys[key] = line
    values = {
        "date": day,
        "start_time": start_time,
        "run_type": workout.run_type,
        "title": summary[:MAX_TITLE_LENGTH],
        "distance_m": workout.distance_m,
        "duration_s": workout.duration_s,
        "notes": description,
        "race_priority": workout.race_priority,
    }
    parsed.runs.append(Incoming(line=line, values=values, key=key))


def _start(event: icalendar.Event) -> date | str:
    """The event's DTSTART, or a message saying why it has none that can be used."""
    if "DTSTART" not in event:
        broken = [message for name, message in event.errors if "DTSTART" in str(message)]
        reason = f" ({broken[0]})" if broken else ""
        return f"no usable start date (DTSTART){reason}"
    try:
        value = event.decoded("DTSTART")
    except Exception as error:  # icalendar raises several types for a broken value
        return f"the start date (DTSTART) cannot be read: {error}"
    if not isinstance(value, date):
        return f"the start date (DTSTART) is not a date: {value!r}"
    return value


def _span_days(event: icalendar.Event, start: date) -> int:
    """How many days the event covers; 1 for an all-day event or a run in one day."""
    try:
        if "DTEND" in event:
            length = event.decoded("DTEND") - start
        elif "DURATION" in event:
            length = event.decoded("DURATION")
        else:
            return 1
    except Exception:  # a broken end is no reason to lose the run
        return 1
    if not isinstance(length, timedelta):
        return 1
    return max(1, -(-length // timedelta(days=1)))


def _key(event: icalendar.Event, day: date, summary: str) -> str:
    uid = str(event.get("UID", "")).strip()
    key = f"uid:{uid}" if uid else f"date:{day.isoformat()}:{summary.lower()}"
    if len(key) > MAX_KEY_LENGTH:
        prefix = key.split(":", 1)[0]
        key = f"{prefix}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    return key
