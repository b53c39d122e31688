from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone


class UserQuerySet(models.QuerySet):
    def coaches(self) -> UserQuerySet:
        return self.filter(is_coach=True)

    def by_email(self, email: str) -> UserQuerySet:
        return self.filter(email__iexact=email.strip())


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields) -> AbstractBaseUser:
        if not email:
            raise ValueError("An email is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> AbstractBaseUser:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(
        self, email: str, password: str | None = None, **fields
    ) -> AbstractBaseUser:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, username: str) -> AbstractBaseUser:
        return self.get(email__iexact=username)


class CoachingLinkQuerySet(models.QuerySet):
    def active(self) -> CoachingLinkQuerySet:
        return self.filter(ended_at__isnull=True)

    def for_coach(self, coach: AbstractBaseUser) -> CoachingLinkQuerySet:
        return self.filter(coach=coach)

    def self_coached(self) -> CoachingLinkQuerySet:
        """Active links from a runner to themselves: a runner without a coach."""
        return self.active().filter(coach=models.F("athlete__user"))


class InvitationQuerySet(models.QuerySet):
    def open(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def pending(self) -> InvitationQuerySet:
        """Not accepted and not revoked; may have expired (the coach can send a new one)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def for_coach(self, coach: AbstractBaseUser) -> InvitationQuerySet:
        return self.filter(coach=coach)


class AthleteProfileQuerySet(models.QuerySet):
    def coached_by(self, coach: AbstractBaseUser) -> AthleteProfileQuerySet:
        """Athletes with an active coaching link to ``coach``."""
        return self.filter(
            coaching_links__coach=coach, coaching_links__ended_at__isnull=True
        ).distinct()
