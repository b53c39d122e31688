import hashlib
import zoneinfo
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import cached_property
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from athletes.querysets import (
    AthleteProfileQuerySet,
    CoachingLinkQuerySet,
    InvitationQuerySet,
    UserManager,
)


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class WeightUnit(models.TextChoices):
    KG = "kg", _("kilograms (kg)")
    LB = "lb", _("pounds (lb)")


class DistanceUnit(models.TextChoices):
    KM = "km", _("kilometres (km)")
    MI = "mi", _("miles (mi)")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email.

    Roles are not exclusive: ``is_coach`` marks a coach, an ``AthleteProfile`` marks an
    athlete, ``is_staff`` marks a curator of the shared library (Django admin).
    """

    # unique=True for Django's auth checks; the Lower() constraint below also refuses
    # the same address in another case.
    email = models.EmailField(
        _("email"),
        max_length=254,
        unique=True,
        error_messages={"unique": _("An account with this email already exists.")},
    )
    name = models.CharField(_("name"), max_length=150)
    is_coach = models.BooleanField(_("coach"), default=False)
    is_staff = models.BooleanField(
        _("curator (staff)"),
        default=False,
        help_text=_("Curators sign in to the admin to keep the exercise library."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/London", choices=_time_zone_choices
    )
    weight_unit = models.CharField(
        _("weights in"), max_length=2, choices=WeightUnit.choices, default=WeightUnit.KG
    )
    distance_unit = models.CharField(
        _("distances in"), max_length=2, choices=DistanceUnit.choices, default=DistanceUnit.KM
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message=_("An account with this email already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def is_athlete(self) -> bool:
        return hasattr(self, "athlete_profile")


class AthleteProfile(models.Model):
    """The athlete role of a user: what their coaches and their run schedule hang from."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="athlete_profile"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The secret in the athlete's calendar feed URL: it is the only key to the feed, so it
    # is long and random, and making a new one revokes the old URL.
    feed_token = models.CharField(max_length=64, blank=True, editable=False)

    objects = AthleteProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("athlete profile")
        constraints = [
            models.UniqueConstraint(
                fields=["feed_token"],
                condition=~models.Q(feed_token=""),
                name="athlete_feed_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @cached_property
    def active_coach_ids(self) -> tuple[int, ...]:
        """The users coaching this athlete now. Kept with the signed-in user's cached copy
        (athletes/caching.py), whose version a coaching link's save moves; so a set logged
        finds whose squad pages it changes without a query."""
        return tuple(
            CoachingLink.objects.active().filter(athlete=self).values_list("coach_id", flat=True)
        )


class CoachingLink(models.Model):
    """A coach coaches an athlete from ``started_at`` until ``ended_at`` (open when null).

    Ending a link keeps the row, so the athlete's history with that coach stays.
    """

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_links"
    )
    athlete = models.ForeignKey(
        AthleteProfile, on_delete=models.CASCADE, related_name="coaching_links"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CoachingLinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["coach", "athlete"],
                condition=models.Q(ended_at__isnull=True),
                name="coachinglink_one_active_per_pair",
                violation_error_message=_("This coach already coaches this athlete."),
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="coachinglink_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["coach", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.coach} → {self.athlete}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class AthleteGroup(models.Model):
    """A coach's group of athletes ("Marathon squad"), to assign to and to read the roster
    by. An athlete may be in several groups; groups are the coach's own."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="athlete_groups"
    )
    name = models.CharField(_("name"), max_length=80)
    athletes = models.ManyToManyField(AthleteProfile, related_name="athlete_groups", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "coach",
                Lower("name"),
                name="athlete_group_name_unique_per_coach",
                violation_error_message=_("You already have a group with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
LINK_HMAC_SALT = "athletes.Invitation.token"


class Invitation(models.Model):
    """A single-use sign-up link a coach sends an athlete, valid for 14 days.

    Only a hash of the token is stored. The token itself is derived from the secret key and
    the invitation's own fields, as Django derives password-reset tokens, so the worker that
    emails the link makes it again from the invitation's id: no token is stored, nor put on
    the task queue (which may be a database table).
    """

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent"
    )
    email = models.EmailField(_("athlete's email"))
    name = models.CharField(_("athlete's name"), max_length=150, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # What became of the email with the link (a background task sends it): the coach is
    # told to share the link themselves once it has failed for good.
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_failed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The group the athlete joins on accepting.
    group = models.ForeignKey(
        AthleteGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("group"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "coach",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_coach_email",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=models.Q(emailed_at__isnull=True)
                | models.Q(email_failed_at__isnull=True),
                name="invitation_emailed_or_failed_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} from {self.coach}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def make_token(self, secret: str | None = None) -> str:
        """The token of this (saved) invitation's link, under ``secret`` (the secret key)."""
        created = (self.created_at - EPOCH) // timedelta(microseconds=1)
        value = f"{self.pk}:{self.coach_id}:{self.email}:{created}"
        digest = salted_hmac(LINK_HMAC_SALT, value, secret=secret, algorithm="sha256").digest()
        return urlsafe_base64_encode(digest)

    def link_token(self) -> str | None:
        """The token in this invitation's link, made again; ``None`` when it cannot be (made
        before tokens were derived, or under a secret key no longer listed)."""
        for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
            token = self.make_token(secret)
            if constant_time_compare(self.hash_token(token), self.token_hash):
                return token
        return None

    def link(self, *, site_url: str) -> str | None:
        """The link that accepts this invitation, on ``site_url`` ("https://host/")."""
        token = self.link_token()
        if token is None:
            return None
        return site_url.rstrip("/") + reverse("invitation_accept", args=[token])

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired


class FailedLogin(models.Model):
    """One failed sign-in, kept for the throttle window.

    Kept in the database rather than a per-process cache so that every web worker sees
    the same count. ``key`` is ``account:<email>`` or ``address:<ip>``.
    """

    key = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["key", "created_at"])]

    def __str__(self) -> str:
        return f"{self.key} at {self.created_at:%Y-%m-%d %H:%M}"
