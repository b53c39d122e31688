from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db import models
from django.db.models import Prefetch, Q

from athletes.models import AthleteProfile, User


class BlockQuerySet(models.QuerySet):
    def owned_by(self, user: User) -> BlockQuerySet:
        """Blocks the coach may edit."""
        return self.filter(owner=user)

    def visible_to(self, user: User) -> BlockQuerySet:
        """A coach's own blocks plus the templates every coach may copy (built-in or
        shared); another coach's private block is not here (404)."""
        return self.filter(
            Q(owner=user)
            | Q(is_template=True, builtin_key__gt="")
            | Q(is_template=True, is_shared=True)
        )

    def with_structure(self, *, muscles: bool = False) -> BlockQuerySet:
        """Weeks, sessions, prescriptions and their exercises in three more queries (and
        with ``muscles``, each exercise's muscles in two more)."""
        weeks = self.model.weeks.rel.related_model.objects.prefetch_related(
            sessions_prefetch(muscles=muscles)
        )
        return self.prefetch_related(Prefetch("weeks", queryset=weeks.order_by("number")))


def sessions_prefetch(*, muscles: bool = False) -> Prefetch:
    """A week's sessions with their prescriptions and exercises (and their muscles)."""
    # The models import this module for their managers: look them up, don't import them.
    session, prescription = (
        apps.get_model("programs", "Session"),
        apps.get_model("programs", "Prescription"),
    )
    muscle_role = apps.get_model("library", "ExerciseMuscle")
    prescriptions = prescription.objects.select_related("exercise").order_by("order")
    if muscles:
        # Inside the prescriptions queryset: an exercise fetched by select_related is not
        # prefetched again by a lookup that passes through it.
        prescriptions = prescriptions.prefetch_related(
            Prefetch(
                "exercise__muscle_roles", queryset=muscle_role.objects.select_related("muscle")
            )
        )
    sessions = session.objects.prefetch_related(Prefetch("prescriptions", queryset=prescriptions))
    return Prefetch("sessions", queryset=sessions.order_by("order"))


class AthleteDataQuerySet(models.QuerySet):
    """The one scope for what belongs to an athlete (sessions, flags, runs, assignments):
    the athlete sees their own, a coach their current athletes'; nobody else sees any."""

    def for_athlete(self, athlete) -> AthleteDataQuerySet:
        return self.filter(athlete=athlete)

    def owned_by(self, user: User) -> AthleteDataQuerySet:
        """The user's own, as an athlete."""
        return self.filter(athlete__user=user)

    def owned_by_any(self, users: Iterable[User]) -> AthleteDataQuerySet:
        """What any of ``users`` owns, as an athlete: ``owned_by`` for many at once."""
        return self.filter(athlete__user__in=users)

    def coached_by(self, coach: User) -> AthleteDataQuerySet:
        """The coach's current athletes' (not the coach's own, as an athlete)."""
        return self.filter(athlete__in=AthleteProfile.objects.coached_by(coach))

    def visible_to(self, user: User) -> AthleteDataQuerySet:
        """The user's own and, for a coach, their current athletes'."""
        scope = Q(athlete__user=user)
        if user.is_coach:
            scope |= Q(athlete__in=AthleteProfile.objects.coached_by(user))
        return self.filter(scope)


class AssignmentQuerySet(AthleteDataQuerySet):
    """Assignments: the athlete's scope, nothing more yet."""


class ScheduledSessionQuerySet(AthleteDataQuerySet):
    def between(self, first, last) -> ScheduledSessionQuerySet:
        return self.filter(date__gte=first, date__lte=last)

    def editable_on(self, today) -> ScheduledSessionQuerySet:
        """Sessions a pushed block edit may still rewrite: planned, from ``today`` on, with
        nothing logged."""
        # SessionStatus.PLANNED: the models module imports this one, so not the enum.
        return self.filter(status="planned", date__gte=today, set_logs__isnull=True)

    def with_prescriptions(self) -> ScheduledSessionQuerySet:
        prescriptions = self.model.prescriptions.rel.related_model.objects.select_related(
            "exercise"
        ).order_by("order")
        return self.prefetch_related(Prefetch("prescriptions", queryset=prescriptions))


SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}


class FlagQuerySet(AthleteDataQuerySet):
    def open(self) -> FlagQuerySet:
        return self.filter(acknowledged_at__isnull=True)

    def by_urgency(self) -> FlagQuerySet:
        """Critical first, then warnings, then information; soonest first within each."""
        rank = models.Case(
            *(models.When(severity=s, then=models.Value(r)) for s, r in SEVERITY_RANK.items()),
            output_field=models.IntegerField(),
        )
        return self.alias(rank=rank).order_by("rank", "date", "code", "pk")


class RunQuerySet(AthleteDataQuerySet):
    def editable_by(self, user: User) -> RunQuerySet:
        """The runs ``user`` may see and change: the ones visible to them."""
        return self.visible_to(user)

    def between(self, first, last) -> RunQuerySet:
        return self.filter(date__gte=first, date__lte=last)
