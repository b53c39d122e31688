from __future__ import annotations

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


class ScheduledSessionQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ScheduledSessionQuerySet:
        """An athlete's own sessions and a coach's current athletes'; nobody else's."""
        scope = Q(athlete__user=user)
        if user.is_coach:
            scope |= Q(athlete__in=AthleteProfile.objects.coached_by(user))
        return self.filter(scope)

    def for_athlete(self, athlete) -> ScheduledSessionQuerySet:
        return self.filter(athlete=athlete)

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


class FlagQuerySet(models.QuerySet):
    def open(self) -> FlagQuerySet:
        return self.filter(acknowledged_at__isnull=True)

    def for_athlete(self, athlete) -> FlagQuerySet:
        return self.filter(athlete=athlete)

    def visible_to(self, user: User) -> FlagQuerySet:
        """An athlete's own flags and a coach's current athletes'."""
        scope = Q(athlete__user=user)
        if user.is_coach:
            scope |= Q(athlete__in=AthleteProfile.objects.coached_by(user))
        return self.filter(scope)

    def by_urgency(self) -> FlagQuerySet:
        """Critical first, then warnings, then information; soonest first within each."""
        rank = models.Case(
            *(models.When(severity=s, then=models.Value(r)) for s, r in SEVERITY_RANK.items()),
            output_field=models.IntegerField(),
        )
        return self.alias(rank=rank).order_by("rank", "date", "code", "pk")


class RunQuerySet(models.QuerySet):
    def editable_by(self, user: User) -> RunQuerySet:
        """The runs ``user`` may see and change: their own, and their current athletes'."""
        scope = models.Q(athlete__user=user)
        if user.is_coach:
            scope |= models.Q(athlete__in=AthleteProfile.objects.coached_by(user))
        return self.filter(scope)

    def for_athlete(self, athlete) -> RunQuerySet:
        return self.filter(athlete=athlete)

    def between(self, first, last) -> RunQuerySet:
        return self.filter(date__gte=first, date__lte=last)
