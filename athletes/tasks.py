"""The emails with sign-up and password-reset links, sent by the background worker.

A mail server that is down or refuses the message never fails a request: each task tries
again later (``config.tasks.retry_later``) and, after the last attempt, logs an error and
fails; a failed invitation email is marked on the invitation so the coach shares the link
themselves. Arguments are ids and plain strings; no token goes on the queue: the worker
makes the invitation's token again from its id, and a fresh password-reset token.
"""

import logging

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives, send_mail
from django.tasks import TaskContext, task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from athletes.models import Invitation, User
from config.tasks import retry_later

logger = logging.getLogger(__name__)

# smtplib.SMTPException is an OSError; so are refused and timed-out connections.
MAIL_ERRORS = (OSError,)


@task(takes_context=True)
def invitation_email_send(
    context: TaskContext, *, invitation_id: int, site_url: str, attempt: int = 1
) -> str:
    """Email the invitation's link to the athlete, once: a withdrawn, used or replaced
    invitation, or one already emailed, is skipped."""
    invitation = Invitation.objects.select_related("coach").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open or invitation.emailed_at is not None:
        return "skipped"
    link = invitation.link(site_url=site_url)
    if link is None:  # the secret key changed with no fallback: the coach resends it
        Invitation.objects.filter(pk=invitation.pk).update(email_failed_at=timezone.now())
        logger.error("Invitation %s: its link cannot be made again; not emailed.", invitation.pk)
        return "skipped"
    # One line: a line break in a name would be a header injection, refused by the mailer.
    coach_name = " ".join(invitation.coach.name.split())
    try:
        send_mail(
            subject=f"{coach_name} invites you to RunStrong",
            message=render_to_string(
                "athletes/email/invitation.txt", {"invitation": invitation, "link": link}
            ),
            from_email=None,
            recipient_list=[invitation.email],
        )
    except MAIL_ERRORS:
        kwargs = {"invitation_id": invitation_id, "site_url": site_url}
        if retry_later(context, attempt=attempt, **kwargs) is not None:
            return "retrying"
        Invitation.objects.filter(pk=invitation.pk).update(email_failed_at=timezone.now())
        logger.error(
            "Invitation %s: the email to %s was not sent after %s attempts; the coach is "
            "asked to share the link.",
            invitation.pk,
            invitation.email,
            attempt,
        )
        raise
    Invitation.objects.filter(pk=invitation.pk).update(emailed_at=timezone.now())
    return "sent"


@task(takes_context=True)
def password_reset_email_send(
    context: TaskContext,
    *,
    user_id: int,
    domain: str,
    site_name: str,
    protocol: str,
    subject_template_name: str,
    email_template_name: str,
    html_email_template_name: str | None = None,
    from_email: str | None = None,
    attempt: int = 1,
) -> str:
    """Django's password-reset email, with a token made here, when it is sent: the link
    works for PASSWORD_RESET_TIMEOUT from then. An account that can no longer reset its
    password (deactivated, or its password made unusable) gets nothing."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return "skipped"
    values = {
        "email": user.email,
        "domain": domain,
        "site_name": site_name,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": protocol,
    }
    subject = "".join(render_to_string(subject_template_name, values).splitlines())
    body = render_to_string(email_template_name, values)
    message = EmailMultiAlternatives(subject, body, from_email, [user.email])
    if html_email_template_name is not None:
        message.attach_alternative(render_to_string(html_email_template_name, values), "text/html")
    try:
        message.send()
    except MAIL_ERRORS:
        kwargs = {
            "user_id": user_id,
            "domain": domain,
            "site_name": site_name,
            "protocol": protocol,
            "subject_template_name": subject_template_name,
            "email_template_name": email_template_name,
            "html_email_template_name": html_email_template_name,
            "from_email": from_email,
        }
        if retry_later(context, attempt=attempt, **kwargs) is not None:
            return "retrying"
        logger.error(
            "Password reset for user %s: the email was not sent after %s attempts.",
            user_id,
            attempt,
        )
        raise
    return "sent"
