"""The one-click unsubscribe link's token: it works signed out, for one kind of e-mail."""

from django.core import signing

from athletes.models import User
from programs.models import NotificationKind

UNSUBSCRIBE_SALT = "programs.notifications.unsubscribe"


def unsubscribe_token(*, user: User, kind: str) -> str:
    """A signed "user id.kind": the link works signed out, for that one e-mail."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(f"{user.pk}.{kind}")


def unsubscribe_target(token: str) -> tuple[User, str] | None:
    """The active user and kind a token names, or None for a tampered or stale token."""
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    user_id, _, kind = value.partition(".")
    if kind not in NotificationKind.values or not user_id.isdigit():
        return None
    user = User.objects.filter(pk=int(user_id), is_active=True).first()
    return None if user is None else (user, kind)
