"""What the cached pages are keyed by, and the writes that move those keys on (see
config/pagecache.py for the mechanism).

Three kinds of subject:
- ``athlete``: everything one athlete's Today, calendar, feed and roster row show (their
  sessions and sets, runs, flags, pain notes, 1RMs, assignments, coaching links). Moved on
  by a save of any of those rows (the receivers below) and, for the writes made in bulk
  (``bulk_create``, ``update()``, queryset deletes, which send no signal), by the services
  that make them: ``conflicts_sync``, which every change to a plan ends with, set logging,
  and account deletion.
- ``block``: one block's builder (its weeks, sessions and prescriptions). Moved on by a
  save of the block or any of its rows, and by the editing services that delete or copy
  rows (in bulk, without signals).
- ``squad``: one coach's whole squad (the roster, the flags inbox). Moved on with any of
  their athletes' versions (``athletes_changed`` finds the coaches), and by a save of one
  of the coach's groups or invitations, or of the coach.
- ``library``: the exercises' names and demonstrations every page shows (library/caching.py).

A page's key also holds what else it shows that can change without these: the viewer, the
viewer's units, the athlete's today.
"""

import hashlib
from collections.abc import Iterable

from django.db.models.signals import m2m_changed, post_delete, post_save

from athletes.models import AthleteGroup, AthleteProfile, CoachingLink, Invitation, User
from config import pagecache
from library.caching import ALL as LIBRARY
from library.caching import library_version
from programs.models import (
    Assignment,
    Block,
    Flag,
    OneRepMax,
    PainNote,
    Prescription,
    Run,
    ScheduledSession,
    Session,
    SetLog,
    Week,
)
from programs.units import today_in

__all__ = [
    "athlete_version",
    "athletes_changed",
    "block_changed",
    "block_version",
    "grid_versions",
    "library_version",
    "squad_changed",
    "squad_version",
]


def athletes_changed(athlete_ids: Iterable[int]) -> None:
    """The athletes' versions, and their current coaches' squads', move on. One query
    (the coaches), none without athletes."""
    ids = set(athlete_ids)
    if not ids:
        return
    coaches = CoachingLink.objects.active().filter(athlete_id__in=ids).values_list("coach_id")
    pagecache.changed_many({"athlete": ids, "squad": {coach for (coach,) in coaches}})


def athlete_changed(athlete: AthleteProfile) -> None:
    """``athletes_changed`` for one athlete whose coaches are known: no query when the
    profile came with the signed-in user's cached copy (a set logged, issue #17)."""
    pagecache.changed_many({"athlete": [athlete.pk], "squad": athlete.active_coach_ids})


def squad_changed(coach_ids: Iterable[int]) -> None:
    """What a coach's squad pages show beyond their athletes' data changed: a group, an
    invitation, the coach's own name."""
    pagecache.changed("squad", coach_ids)


def block_changed(block_id: int, weeks: Iterable[int] | None = None) -> None:
    """The block's pages move on, and the grid rows of ``weeks`` (their ids) when the
    change touched those weeks alone; every grid row when it may have touched any week
    (``weeks`` None, the default: a caller that does not say is never wrong)."""
    if weeks is None:
        pagecache.changed_many({"block": [block_id], "block-grid": [block_id]})
    else:
        pagecache.changed_many({"block": [block_id], "week": weeks})


def grid_versions(block_id: int, week_ids: Iterable[int]) -> dict[int, str]:
    """Each week's version for its row of the builder's grid: the week's own, the block's
    grid version (moved by a change that may touch any week) and the library's (the
    exercises' names and classes). One round trip."""
    week_ids = list(week_ids)
    found = pagecache.versions_many(
        {"block-grid": [block_id], "library": [LIBRARY], "week": week_ids}
    )
    shared = f"{found['block-grid', block_id]}.{found['library', LIBRARY]}"
    return {pk: f"{shared}.{found['week', pk]}" for pk in week_ids}


def athlete_version(athlete_id: int) -> str:
    return pagecache.version("athlete", athlete_id)


def squad_version(coach) -> str:
    """One version for the pages about ``coach``'s whole squad (the roster, the flags
    inbox). It moves when any of their athletes' does (``athletes_changed`` moves the
    squad's token too), when one joins or leaves, when a group or an invitation changes,
    and when an athlete's day turns (each time zone's today is part of it). One query and
    one round trip to the cache, whatever the squad's size."""
    members = sorted(
        AthleteProfile.objects.coached_by(coach).order_by().values_list("pk", "user__time_zone")
    )
    todays = {zone: today_in(zone) for zone in {zone for _pk, zone in members}}
    text = ":".join(
        [
            pagecache.version("squad", coach.pk),
            ",".join(str(pk) for pk, _zone in members),
            ",".join(f"{zone}={day}" for zone, day in sorted(todays.items())),
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def block_version(block_id: int) -> str:
    return pagecache.version("block", block_id)


def _athlete_row_saved(sender, instance, **kwargs) -> None:
    athletes_changed([instance.athlete_id])


def _user_saved(sender, instance, update_fields=None, **kwargs) -> None:
    """A renamed athlete or coach, or one with new units or time zone; not a sign-in (it
    saves ``last_login`` alone). The profile is usually loaded with the user (the sign-in
    backend joins it); otherwise one query finds it, or that the user is no athlete."""
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    if instance.is_athlete:
        athletes_changed([instance.athlete_profile.pk])
    if instance.is_coach:
        squad_changed([instance.pk])
        # Their athletes' Today names them: two queries more, on a coach's own save.
        athletes_changed(
            CoachingLink.objects.active()
            .filter(coach=instance)
            .values_list("athlete_id", flat=True)
        )


def _coach_row_changed(sender, instance, **kwargs) -> None:
    """A group of the coach's, or an invitation they sent."""
    squad_changed([instance.coach_id])


def _group_members_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Athletes added to or removed from a group (either side of the relation)."""
    if not action.startswith("post_"):
        return
    if reverse:  # athlete.athlete_groups.add(...): the groups are in pk_set
        coaches = AthleteGroup.objects.filter(pk__in=pk_set or ()).values_list("coach_id")
        squad_changed({coach for (coach,) in coaches})
    else:
        squad_changed([instance.coach_id])


def _block_saved(sender, instance, **kwargs) -> None:
    block_changed(instance.pk)


def _week_saved(sender, instance, **kwargs) -> None:
    block_changed(instance.block_id, weeks=[instance.pk])


def _block_row_changed(sender, instance, **kwargs) -> None:
    """A session or prescription of a block saved: its week's row. The editing views load
    the row with its week and block, so this reads no more. (Deletes: the editing
    services say so; a ``post_delete`` receiver would make every cascade load its rows.
    A prescription moved to another session: ``editing.prescription_move`` names both
    weeks.)"""
    week = instance.week if isinstance(instance, Session) else instance.session.week
    block_changed(week.block_id, weeks=[week.pk])


def connect() -> None:
    """Called once, from the app's ``ready()``. Only ``post_save`` for the athletes' rows:
    a ``post_delete`` receiver would stop Django deleting those rows in bulk (it would
    load each one to send the signal); their services delete and then call
    ``conflicts_sync``, which moves the version on."""
    for model in (
        Assignment,
        CoachingLink,
        Flag,
        OneRepMax,
        PainNote,
        Run,
        ScheduledSession,
        SetLog,
    ):
        post_save.connect(_athlete_row_saved, sender=model, dispatch_uid=f"pagecache-{model}")
    post_save.connect(_user_saved, sender=User, dispatch_uid="pagecache-user")
    for model in (AthleteGroup, Invitation):
        post_save.connect(_coach_row_changed, sender=model, dispatch_uid=f"pagecache-{model}")
    post_delete.connect(_coach_row_changed, sender=AthleteGroup, dispatch_uid="pagecache-group-del")
    m2m_changed.connect(
        _group_members_changed,
        sender=AthleteGroup.athletes.through,
        dispatch_uid="pagecache-group-members",
    )
    post_save.connect(_block_saved, sender=Block, dispatch_uid="pagecache-block")
    post_save.connect(_week_saved, sender=Week, dispatch_uid="pagecache-week")
    for model in (Session, Prescription):
        post_save.connect(_block_row_changed, sender=model, dispatch_uid=f"pagecache-{model}")
