from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, Value, When

from library.text import normalize


class ExerciseQuerySet(models.QuerySet):
    def published(self) -> ExerciseQuerySet:
        return self.filter(status="published")

    def visible_to(self, user: AbstractBaseUser) -> ExerciseQuerySet:
        """What a person may open: curators see everything; others see published and
        retired exercises (old programs still show them) and their own drafts."""
        if user.is_staff:
            return self.all()
        return self.filter(Q(status__in=["published", "retired"]) | Q(proposed_by=user))

    def pickable_by(self, user: AbstractBaseUser) -> ExerciseQuerySet:
        """What a coach may put in a program: published, or a draft they proposed."""
        return self.filter(Q(status="published") | Q(status="draft", proposed_by=user))

    def search(self, query: str) -> ExerciseQuerySet:
        """Every word must appear in the name or an alias, ignoring case and accents.
        Names that start with the query come first."""
        text = normalize(query)
        if not text:
            return self
        queryset = self
        for word in text.split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset.annotate(
            rank=Case(
                When(search_text__startswith=text, then=Value(0)),
                When(search_text__contains=f"\n{text}", then=Value(1)),
                default=Value(2),
            )
        ).order_by("rank", "name")

    def filtered(
        self,
        *,
        muscle: str = "",
        pattern: str = "",
        equipment: str = "",
        load_class: str = "",
        unilateral: bool | None = None,
    ) -> ExerciseQuerySet:
        exercise, muscle_role = self.model, self.model.muscle_roles.rel.related_model
        queryset = self
        # EXISTS rather than a join: no duplicate rows, so no DISTINCT to sort them out.
        if muscle:
            queryset = queryset.filter(
                Exists(muscle_role.objects.filter(exercise=OuterRef("pk"), muscle__slug=muscle))
            )
        if pattern:
            queryset = queryset.filter(pattern=pattern)
        if equipment:
            queryset = queryset.filter(
                Exists(
                    exercise.equipment.through.objects.filter(
                        exercise=OuterRef("pk"), equipment__slug=equipment
                    )
                )
            )
        if load_class:
            queryset = queryset.filter(load_class=load_class)
        if unilateral is not None:
            queryset = queryset.filter(unilateral=unilateral)
        return queryset

    def with_primary_muscles(self) -> ExerciseQuerySet:
        """What a list of exercises shows: primary muscles, in one more query."""
        muscle_role = self.model.muscle_roles.rel.related_model
        return self.prefetch_related(
            Prefetch(
                "muscle_roles",
                queryset=muscle_role.objects.filter(primary=True)
                .select_related("muscle")
                .order_by("muscle__order"),
                to_attr="primary_roles",
            )
        )

    def with_details(self) -> ExerciseQuerySet:
        """Muscles, equipment and variants in a fixed number of queries."""
        exercise, muscle_role = self.model, self.model.muscle_roles.rel.related_model
        return self.select_related("easier").prefetch_related(
            Prefetch(
                "muscle_roles",
                queryset=muscle_role.objects.select_related("muscle").order_by(
                    "-primary", "muscle__order"
                ),
            ),
            "equipment",
            Prefetch("harder", queryset=exercise.objects.order_by("name")),
        )
