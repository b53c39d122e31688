"""Write workflows for accounts, invitations and coaching links.

Keyword-only, atomic, and they raise ``ValidationError`` with a stable ``code``.
"""

import csv
import io
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property, partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from athletes.models import AthleteGroup, AthleteProfile, CoachingLink, Invitation, User
from athletes.tasks import invitation_email_send

logger = logging.getLogger(__name__)


class InvitationError(ValidationError):
    """An invitation that cannot be used; ``code`` says why (unknown, expired, used...)."""


@transaction.atomic
def coach_signup(*, email: str, name: str, password: str) -> User:
    return User.objects.create_user(email=email, name=name, password=password, is_coach=True)


@transaction.atomic
def self_coached_signup(*, email: str, name: str, password: str) -> User:
    """A runner without a coach: a coach whose athlete is themselves, through an ordinary
    coaching link, so every coach's screen and every athlete's works for them unchanged."""
    user = User.objects.create_user(email=email, name=name, password=password, is_coach=True)
    profile = AthleteProfile.objects.create(user=user)
    CoachingLink.objects.create(coach=user, athlete=profile)
    return user


@transaction.atomic
def coach_role_add(*, user: User) -> User:
    """An athlete (or curator) starts coaching too."""
    if not user.is_coach:
        user.is_coach = True
        user.save(update_fields=["is_coach"])
    return user


@dataclass
class InvitationSent:
    """A new invitation and its one-time link, to show the coach.

    The worker emails the link after the transaction commits. ``email_failed`` says whether
    that is known to have failed when the page is answered: with the immediate backend it
    has been tried already; with a worker it is usually still to come, and a failure shows
    later beside the invitation in the coach's list."""

    invitation: Invitation
    link: str

    def __iter__(self):
        # ``invitation, link = invitation_create(...)``, as callers wrote it before.
        return iter((self.invitation, self.link))

    @cached_property
    def email_failed(self) -> bool:
        return Invitation.objects.filter(
            pk=self.invitation.pk, email_failed_at__isnull=False
        ).exists()


@transaction.atomic
def invitation_create(
    *,
    coach: User,
    email: str,
    name: str = "",
    site_url: str,
    group: AthleteGroup | None = None,
) -> InvitationSent:
    """Invite ``email`` to be ``coach``'s athlete; return the link (on ``site_url``,
    "https://host/") and email it once the transaction commits.

    A new invitation to the same address replaces the coach's previous open one, so a
    lost or expired link is fixed by inviting again. A mail server that is down or
    refuses the message does not undo the invitation: the coach shares the link
    themselves (``email_failed``, and ``Invitation.email_failed_at``).
    """
    email = User.objects.normalize_email(email.strip()).lower()
    if not coach.is_coach:
        raise ValidationError("Only coaches can invite athletes.", code="not_a_coach")
    if email == coach.email.lower():
        raise ValidationError("You cannot invite yourself.", code="self_invitation")
    if CoachingLink.objects.active().filter(coach=coach, athlete__user__email__iexact=email):
        raise ValidationError(
            "%(email)s is already one of your athletes.",
            code="already_coached",
            params={"email": email},
        )
    if group is not None and group.coach_id != coach.pk:
        raise ValidationError("Pick one of your groups.", code="not_your_group")
    now = timezone.now()
    Invitation.objects.pending().filter(coach=coach, email__iexact=email).update(revoked_at=now)
    invitation = Invitation(
        coach=coach,
        email=email,
        name=name.strip(),
        # A stand-in nobody holds the token of; the real hash needs the id (see make_token).
        token_hash=secrets.token_hex(32),
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        group=group,
    )
    invitation.full_clean()
    invitation.save()
    invitation.token_hash = Invitation.hash_token(invitation.make_token())
    invitation.save(update_fields=["token_hash"])
    transaction.on_commit(partial(_email_invitation, invitation.pk, site_url))
    return InvitationSent(invitation=invitation, link=invitation.link(site_url=site_url) or "")


def _email_invitation(invitation_id: int, site_url: str) -> None:
    """Queue the email, once the invitation is committed. A queue that cannot take it
    (Redis unreachable) must not fail the request: the coach is told to share the link."""
    try:
        invitation_email_send.enqueue(invitation_id=invitation_id, site_url=site_url)
    except Exception:
        logger.exception("Invitation %s: its email could not be queued.", invitation_id)
        Invitation.objects.filter(pk=invitation_id).update(email_failed_at=timezone.now())


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    """The invitation a link points at, if it can still be used; else ``InvitationError``."""
    queryset = Invitation.objects.select_related("coach")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(token_hash=Invitation.hash_token(token)).first()
    if invitation is None:
        raise InvitationError("This invitation link is not valid.", code="unknown")
    if invitation.accepted_at is not None:
        raise InvitationError(
            "This invitation has already been used. Sign in to continue.", code="used"
        )
    if invitation.revoked_at is not None:
        raise InvitationError(
            "This invitation was withdrawn. Ask your coach for a new link.", code="revoked"
        )
    if invitation.is_expired:
        raise InvitationError(
            "This invitation has expired. Ask your coach to send you a new one.", code="expired"
        )
    return invitation


def _link_athlete(*, invitation: Invitation, user: User) -> CoachingLink:
    profile, _created = AthleteProfile.objects.get_or_create(user=user)
    link = CoachingLink.objects.active().filter(coach=invitation.coach, athlete=profile).first()
    if link is None:
        link = CoachingLink.objects.create(coach=invitation.coach, athlete=profile)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.group_id is not None:
        invitation.group.athletes.add(profile)
    return link


@transaction.atomic
def invitation_accept_new_user(*, token: str, name: str, password: str) -> User:
    """Create the athlete's account from an invitation and link them to the coach."""
    invitation = invitation_for_token(token, lock=True)
    if User.objects.by_email(invitation.email).exists():
        raise InvitationError(
            "An account with this email already exists. Sign in to accept the invitation.",
            code="account_exists",
        )
    user = User.objects.create_user(email=invitation.email, name=name, password=password)
    _link_athlete(invitation=invitation, user=user)
    return user


@transaction.atomic
def invitation_accept_existing_user(*, token: str, user: User) -> CoachingLink:
    """A signed-in user accepts an invitation sent to their own email."""
    invitation = invitation_for_token(token, lock=True)
    if invitation.email.lower() != user.email.lower():
        raise InvitationError(
            "This invitation was sent to another email address.", code="wrong_user"
        )
    if invitation.coach_id == user.pk:
        raise InvitationError("You cannot coach yourself.", code="self_invitation")
    return _link_athlete(invitation=invitation, user=user)


@transaction.atomic
def coaching_link_end(*, link: CoachingLink) -> CoachingLink:
    """Stop coaching; the link is kept, so the athlete's history stays."""
    if link.ended_at is None:
        link.ended_at = timezone.now()
        link.save(update_fields=["ended_at"])
    return link


@transaction.atomic
def invitation_resend(*, invitation: Invitation, site_url: str) -> InvitationSent:
    """A new link for a pending invitation (the old one stops working), emailed again."""
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise ValidationError("This invitation is no longer pending.", code="not_pending")
    return invitation_create(
        coach=invitation.coach,
        email=invitation.email,
        name=invitation.name,
        group=invitation.group,
        site_url=site_url,
    )


@dataclass
class InvitationLine:
    """One line of a pasted list or CSV: what it asked for, and what came of it."""

    line: int
    email: str
    name: str = ""
    group: str = ""
    error: str = ""
    sent: InvitationSent | None = None

    @property
    def link(self) -> str:
        return self.sent.link if self.sent else ""

    @property
    def email_failed(self) -> bool:
        return self.sent is not None and self.sent.email_failed


COLUMNS = ("email", "name", "group")


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def parse_invitation_list(text: str) -> list[InvitationLine]:
    """Read "email", "name, email", "name, email, group" or "email, name, group" lines,
    or a CSV with a header naming those columns. Blank lines are skipped; a line without
    a valid email is kept with an error so the coach sees it."""
    reader = csv.reader(io.StringIO(text.strip()))
    try:
        rows = [row for row in reader if any(c.strip() for c in row)]
    except csv.Error as error:
        raise ValidationError(
            "Line %(line)s cannot be read: %(error)s.",
            code="unreadable",
            params={"line": reader.line_num, "error": error},
        ) from None
    header = [c.strip().lower() for c in rows[0]] if rows else []
    columns = None
    if "email" in header:
        columns = {name: header.index(name) if name in header else None for name in COLUMNS}
        rows = rows[1:]
    lines = []
    for number, row in enumerate(rows, start=2 if columns else 1):
        cells = [c.strip() for c in row]
        if columns:
            email, name, group = (_cell(cells, columns[key]) for key in COLUMNS)
        else:
            email = next((c for c in cells if "@" in c), "")
            rest = [c for c in cells if c != email]
            name, group = [*rest, "", ""][:2]
        line = InvitationLine(line=number, email=email.lower(), name=name, group=group)
        try:
            validate_email(line.email)
        except ValidationError:
            line.error = f"“{email or ', '.join(cells)}” is not an email address."
        lines.append(line)
    return lines


MAX_INVITATIONS = 200


@transaction.atomic
def invitations_create_many(
    *,
    coach: User,
    lines: list[InvitationLine],
    site_url: str,
    default_group: AthleteGroup | None = None,
) -> list[InvitationLine]:
    """Invite every valid line; a group named on a line is the coach's (made if new).
    Each line reports its link or why it was not sent; one bad line stops no other."""
    if len(lines) > MAX_INVITATIONS:
        raise ValidationError(
            "Invite at most %(max)s athletes at a time.",
            code="too_many",
            params={"max": MAX_INVITATIONS},
        )
    groups = {g.name.lower(): g for g in AthleteGroup.objects.filter(coach=coach)}
    seen = set()
    for line in lines:
        if line.error:
            continue
        if line.email in seen:
            line.error = "Listed twice: invited once."
            continue
        seen.add(line.email)
        try:
            # One savepoint per line: its new group and its invitation stand or fall
            # together, and a bad line (a group name too long) stops no other.
            with transaction.atomic():
                group = default_group
                if line.group:
                    group = groups.get(line.group.lower()) or group_create(
                        coach=coach, name=line.group
                    )
                line.sent = invitation_create(
                    coach=coach,
                    email=line.email,
                    name=line.name,
                    group=group,
                    site_url=site_url,
                )
        except ValidationError as error:
            line.error = " ".join(error.messages)
        else:
            if group is not None:
                groups[group.name.lower()] = group
    return lines


@transaction.atomic
def group_create(*, coach: User, name: str) -> AthleteGroup:
    group = AthleteGroup(coach=coach, name=name.strip())
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def group_update(*, group: AthleteGroup, name: str, athletes: list[AthleteProfile]) -> AthleteGroup:
    """Rename the group and set its members (only the coach's current athletes)."""
    group.name = name.strip()
    group.full_clean()
    group.save()
    coached = set(AthleteProfile.objects.coached_by(group.coach).values_list("pk", flat=True))
    if any(a.pk not in coached for a in athletes):
        raise ValidationError("Only your athletes can be in your groups.", code="not_coached")
    group.athletes.set(athletes)
    return group


@transaction.atomic
def group_delete(*, group: AthleteGroup) -> AthleteGroup:
    """Delete a group; its athletes, plans and invitations stay."""
    group.delete()
    return group
