"""The athlete's private calendar feed: runs and strength sessions as iCalendar (RFC 5545).

The feed is a snapshot that calendar apps (Google, Apple, Outlook) fetch again every few
hours. The only key to it is the secret token in its URL; making a new token revokes the
old URL. Events keep their UIDs across fetches and token changes, so a client updates
the events it has rather than duplicating them.

The content lines are written here rather than through icalendar's object model: a full
year is some 550 events, and icalendar's per-property objects and per-character folding
took twice the 200 ms the feed may take. icalendar still writes the VTIMEZONE, the one
part with real rules in it, and the tests read every feed back with icalendar's parser.
"""

import datetime
import re
import secrets
import zoneinfo
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Prefetch
from icalendar import Timezone

from athletes.models import AthleteProfile, User
from programs.dose import dose_for_athlete
from programs.models import (
    Dose,
    OneRepMax,
    Phase,
    RacePriority,
    Run,
    RunStatus,
    RunType,
    ScheduledPrescription,
    ScheduledSession,
    SessionStatus,
)
from programs.units import format_distance, format_duration, local_today

WEEKS_BACK = 8
WEEKS_AHEAD = 52
DEFAULT_RUN_LENGTH = datetime.timedelta(hours=1)
PRODID = "-//RunStrong//Training plan feed//EN"
# A hint to clients that honour it (RFC 7986, and Outlook's X-PUBLISHED-TTL); Google
# refreshes on its own schedule.
REFRESH_INTERVAL = "PT1H"
LINE_OCTETS = 75
DOSE_FIELDS = [f.name for f in Dose._meta.get_fields()]
# TEXT may hold no control character but HTAB (RFC 5545 §3.3.11); line breaks are
# escaped, and anything else an imported note carried is dropped.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def feed_token_new() -> str:
    """43 URL-safe characters (256 random bits): the URL is the only key, so it must not
    be guessable."""
    return secrets.token_urlsafe(32)


@transaction.atomic
def athlete_feed_rotate(*, athlete: AthleteProfile) -> str:
    """Give ``athlete`` a new feed token, which also creates the feed the first time; the
    old URL stops working at once. Returns the new token."""
    athlete.feed_token = feed_token_new()
    athlete.save(update_fields=["feed_token"])
    return athlete.feed_token


def feed_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return (
        today - datetime.timedelta(weeks=WEEKS_BACK),
        today + datetime.timedelta(weeks=WEEKS_AHEAD),
    )


def uid_domain() -> str:
    """The right-hand side of every UID: the site's host name, so two RunStrong installs
    never produce the same UID (RFC 5545 §3.8.4.7). It holds no token, so UIDs survive a
    regenerated feed URL."""
    hosts = (host.lstrip(".") for host in settings.ALLOWED_HOSTS)
    return next((host for host in hosts if host and host != "*"), "runstrong.invalid")


def build_feed(athlete: AthleteProfile) -> bytes:
    """The feed of ``athlete`` (with ``user`` loaded) from 8 weeks back to 52 weeks ahead
    of their local today, in four queries whatever its size."""
    user = athlete.user
    tz = zoneinfo.ZoneInfo(user.time_zone)
    first, last = feed_window(local_today(user))
    runs = list(Run.objects.for_athlete(athlete).between(first, last))
    # Only the columns the feed shows, and names rather than whole rows: a year holds
    # a thousand prescriptions or more, and building their exercises and assignments
    # as models cost more than writing the feed.
    prescriptions = (
        ScheduledPrescription.objects.annotate(exercise_name=F("exercise__name"))
        .only(*DOSE_FIELDS, "session_id", "exercise_id")
        .order_by("order")
    )
    sessions = (
        ScheduledSession.objects.for_athlete(athlete)
        .between(first, last)
        .annotate(block_name=F("assignment__block_name"))
        .only("date", "title", "status", "skip_reason", "week_number", "phase", "updated_at")
        .prefetch_related(Prefetch("prescriptions", queryset=prescriptions))
    )
    one_rep_maxes = dict(OneRepMax.objects.filter(athlete=athlete).values_list("exercise_id", "kg"))
    writer = _EventWriter(tz=tz, domain=uid_domain(), user=user, one_rep_maxes=one_rep_maxes)

    dated = [((r.date, r.start_time or datetime.time.min, 0, r.pk), writer.run(r)) for r in runs]
    dated += [((s.date, datetime.time.min, 1, s.pk), writer.session(s)) for s in sessions]
    dated.sort(key=lambda pair: pair[0])

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_text(' · '.join(filter(None, ['RunStrong', user.name])))}",
        f"X-WR-TIMEZONE:{_text(user.time_zone)}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH_INTERVAL}",
        f"X-PUBLISHED-TTL:{REFRESH_INTERVAL}",
    ]
    head = b"".join(_fold(line) for line in lines)
    if any(run.start_time is not None for run in runs):
        # Only the transitions the window needs (icalendar's default spans 1970–2038); a
        # run ends at most a week after the window.
        head += Timezone.from_tzid(
            user.time_zone,
            first_date=first - datetime.timedelta(days=1),
            last_date=last + datetime.timedelta(days=8),
        ).to_ical()
    body = b"".join(_fold(line) for _, event in dated for line in event)
    return head + body + _fold("END:VCALENDAR")


class _EventWriter:
    """The content lines of one athlete's events, with labels read once per feed (a
    translated choice label costs a lookup each time)."""

    def __init__(
        self,
        *,
        tz: zoneinfo.ZoneInfo,
        domain: str,
        user: User,
        one_rep_maxes: Mapping[int, Decimal],
    ) -> None:
        self.tz = tz
        self.domain = domain
        self.distance_unit = user.distance_unit
        self.weight_unit = user.weight_unit
        self.one_rep_maxes = one_rep_maxes
        self.run_types = {value: str(label) for value, label in RunType.choices}
        self.priorities = {value: str(label) for value, label in RacePriority.choices}
        self.phases = {value: str(label) for value, label in Phase.choices}

    def run(self, run: Run) -> list[str]:
        run_type = self.run_types.get(run.run_type, run.run_type)
        distance = format_distance(run.distance_m, self.distance_unit)
        duration = format_duration(run.duration_s)
        summary = " · ".join(filter(None, [run.title or run_type, distance or duration]))
        lines = [" · ".join(filter(None, [run_type, distance, duration]))]
        if run.race_priority:
            lines.append(self.priorities.get(run.race_priority, run.race_priority))
        if run.status == RunStatus.DONE:
            lines.append("Done")
        if run.notes:
            lines += ["", run.notes]

        if run.start_time is None:
            when = _all_day(run.date)
        else:
            start = datetime.datetime.combine(run.date, run.start_time, tzinfo=self.tz)
            length = datetime.timedelta(seconds=run.duration_s or 0) or DEFAULT_RUN_LENGTH
            # Added in UTC, so a run across a clock change lasts as long as it says.
            end = (start.astimezone(datetime.UTC) + length).astimezone(self.tz)
            tzid = f"TZID={self.tz.key}"
            when = [f"DTSTART;{tzid}:{start:%Y%m%dT%H%M%S}", f"DTEND;{tzid}:{end:%Y%m%dT%H%M%S}"]
        return _event(
            uid=f"runstrong-run-{run.pk}@{self.domain}",
            stamp=run.updated_at,
            when=when,
            summary=summary,
            description="\n".join(lines),
            skipped=run.status == RunStatus.SKIPPED,
        )

    def session(self, session: ScheduledSession) -> list[str]:
        block = session.block_name
        phase = self.phases.get(session.phase, session.phase)
        lines = [f"{block}, week {session.week_number} ({phase})", ""]
        for rx in session.prescriptions.all():
            label = f"{rx.superset} {rx.exercise_name}" if rx.superset else rx.exercise_name
            lines.append(f"- {label}: {dose_for_athlete(rx, self.one_rep_maxes, self.weight_unit)}")
        if session.status == SessionStatus.DONE:
            lines += ["", "Done"]
        if session.skip_reason:
            lines += ["", f"Skipped: {session.skip_reason}"]
        return _event(
            uid=f"runstrong-strength-{session.pk}@{self.domain}",
            stamp=session.updated_at,
            when=_all_day(session.date),
            summary=f"Strength · {session.title or block}",
            description="\n".join(lines),
            skipped=session.status == SessionStatus.SKIPPED,
        )


def _all_day(day: datetime.date) -> list[str]:
    return [
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + datetime.timedelta(days=1):%Y%m%d}",
        # A plan for the day, not an appointment: it must not show the athlete busy all
        # day to colleagues who see their free/busy time.
        "TRANSP:TRANSPARENT",
    ]


def _event(
    *,
    uid: str,
    stamp: datetime.datetime,
    when: list[str],
    summary: str,
    description: str,
    skipped: bool,
) -> list[str]:
    # The row's last change rather than the time of the request: the same plan gives
    # the same bytes, and a client can tell which events changed.
    utc = f"{stamp.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"
    lines = ["BEGIN:VEVENT", f"UID:{_text(uid)}", f"DTSTAMP:{utc}", f"LAST-MODIFIED:{utc}", *when]
    if skipped:
        # Kept as cancelled, not left out: a client that knew the event marks it rather
        # than losing it silently, and the history stays. The summary says it too, for
        # clients that show cancelled events like any other.
        lines.append("STATUS:CANCELLED")
        summary = f"Skipped · {summary}"
    lines.append(f"SUMMARY:{_text(summary)}")
    if description:
        lines.append(f"DESCRIPTION:{_text(description)}")
    lines.append("END:VEVENT")
    return lines


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline escaped."""
    value = CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> bytes:
    """One content line in UTF-8, folded into lines of at most 75 octets (RFC 5545 §3.1)
    and ended with CRLF. A fold never splits a character, nor a backslash from the
    character it escapes, which some clients read wrongly."""
    data = line.encode()
    if len(data) <= LINE_OCTETS:
        return data + b"\r\n"
    parts, start, room = [], 0, LINE_OCTETS
    while len(data) - start > room:
        cut = start + room
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte
            cut -= 1
        chunk = data[start:cut]
        if (len(chunk) - len(chunk.rstrip(b"\\"))) % 2:
            cut -= 1
        parts.append(data[start:cut])
        # A continuation line starts with a space, which counts towards its 75 octets.
        start, room = cut, LINE_OCTETS - 1
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"
