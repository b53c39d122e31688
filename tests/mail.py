"""A mail server that is down, for the tests of e-mails sent by tasks. ``MAILERS`` names
the backend by its dotted path, so it lives in an importable module, not in a test file."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class DownMailBackend(BaseEmailBackend):
    """A mail server that refuses every connection; counts the tries."""

    tries = 0

    def send_messages(self, email_messages):
        DownMailBackend.tries += 1
        raise smtplib.SMTPConnectError(421, "Service not available")
