"""Reads that build the conflict pages' data. The inbox lists up to a page of flags, so
each row's URLs and dates are made here once per page, not by a template tag per flag."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from programs.models import Flag

BADGES = {"critical": "text-bg-danger", "warning": "text-bg-warning"}
# Reversed once with this id in place of a flag's, then filled in for each row.
_PLACEHOLDER = 2147483647


@dataclass(frozen=True)
class InboxRow:
    pk: int
    severity: str
    severity_label: str
    badge: str
    athlete_name: str
    athlete_url: str
    title: str
    date: str
    code: str
    message: str
    fix_text: str
    # The form posts to ``action_url`` (acknowledge, or reopen once acknowledged); an open
    # flag with a checked fix also offers it with ``fix_url``, else that is "".
    action_url: str
    fix_url: str
    acknowledged_on: str
    note: str


def _url_maker(name: str) -> Callable[[int], str]:
    pattern = reverse(name, args=[_PLACEHOLDER])
    head, tail = pattern.split(str(_PLACEHOLDER))
    return lambda pk: f"{head}{pk}{tail}"


def flag_inbox_rows(flags: Iterable[Flag]) -> list[InboxRow]:
    athlete_url = _url_maker("coach_athlete")
    acknowledge_url = _url_maker("flags:acknowledge")
    reopen_url = _url_maker("flags:reopen")
    fix_url = _url_maker("flags:fix")
    days: dict[datetime.date, str] = {}
    rows = []
    for flag in flags:
        if flag.date not in days:
            days[flag.date] = date_format(flag.date, "D j M")
        acknowledged = flag.acknowledged_at is not None
        rows.append(
            InboxRow(
                pk=flag.pk,
                severity=flag.severity,
                severity_label=flag.get_severity_display(),
                badge=BADGES.get(flag.severity, "text-bg-secondary"),
                athlete_name=flag.athlete.user.name,
                athlete_url=athlete_url(flag.athlete_id),
                title=flag.title,
                date=days[flag.date],
                code=flag.code,
                message=flag.message,
                fix_text=flag.fix_text,
                action_url=reopen_url(flag.pk) if acknowledged else acknowledge_url(flag.pk),
                fix_url=fix_url(flag.pk) if flag.can_fix and not acknowledged else "",
                acknowledged_on=(
                    date_format(timezone.localtime(flag.acknowledged_at), "j M")
                    if acknowledged
                    else ""
                ),
                note=flag.note,
            )
        )
    return rows
