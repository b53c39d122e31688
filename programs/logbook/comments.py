"""A coach's comments on an athlete's session, which the athlete reads with it."""

from django.core.exceptions import ValidationError
from django.db import transaction

from athletes.models import User
from programs import caching
from programs.models import ScheduledSession, SessionComment

MAX_COMMENT_CHARS = SessionComment._meta.get_field("text").max_length


@transaction.atomic
def session_comment_add(*, session: ScheduledSession, author: User, text: str) -> SessionComment:
    text = text.strip()
    if not text:
        raise ValidationError("Write a comment first.", code="empty")
    # A model TextField lets NUL through (a form's CharField would not); PostgreSQL
    # cannot store it.
    if "\x00" in text:
        raise ValidationError("A comment cannot contain a NUL character.", code="nul")
    # A TextField's max_length only sizes the form widget; the model does not check it.
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationError(
            "A comment is at most %(max)s characters; this one is %(length)s.",
            code="too_long",
            params={"max": MAX_COMMENT_CHARS, "length": len(text)},
        )
    comment = SessionComment(session=session, author=author, text=text)
    comment.full_clean()
    comment.save()
    caching.athletes_changed([session.athlete_id])
    return comment
