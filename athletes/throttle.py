"""Throttle repeated failed sign-ins, per account (email) and per client address.

An attacker guessing one account's password is stopped after a few tries; one address
spraying many accounts is stopped too. A success clears the account's count.

The check and the count are one step: an attempt is counted as a failure when it is let
through, before the password is checked, under a lock on its keys. Counting after the
check let concurrent attempts all pass a check that saw none of the others (8 through
against a limit of 5). A sign-in that succeeds takes its count back.
"""

import hashlib
import math
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from athletes.models import FailedLogin


def _account_key(email: str) -> str:
    return f"account:{email.strip().lower()}"


def _address_key(address: str) -> str:
    return f"address:{address}"


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def _lock(keys: list[str]) -> None:
    """Hold ``keys`` until the transaction ends, so that attempts on one account or from
    one address take turns between check and count. PostgreSQL: transaction-level
    advisory locks, taken in one order so that two attempts can't deadlock. SQLite's
    write transactions start IMMEDIATE (settings) and take turns already."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(keys):
            digest = hashlib.blake2b(f"runstrong-login:{key}".encode(), digest_size=8).digest()
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, signed=True)]
            )


def seconds_until_allowed(*, email: str, address: str) -> int:
    """0 when a sign-in may be tried, and the attempt is then counted as a failure until
    ``record_success``; else how long until the oldest failure ages out."""
    since = _window_start()
    limits = {
        _account_key(email): settings.LOGIN_THROTTLE_PER_ACCOUNT,
        _address_key(address): settings.LOGIN_THROTTLE_PER_ADDRESS,
    }
    with transaction.atomic():
        _lock(list(limits))
        wait = 0
        for key, limit in limits.items():
            failures = FailedLogin.objects.filter(key=key, created_at__gte=since)
            if failures.count() >= limit:
                oldest = failures.aggregate(first=Min("created_at"))["first"]
                remaining = (oldest - since).total_seconds()
                wait = max(wait, math.ceil(remaining))
        if not wait:
            FailedLogin.objects.bulk_create([FailedLogin(key=key) for key in limits])
    return wait


def record_failure(*, email: str, address: str) -> None:
    """The failure was counted when the attempt was let through: only old ones go."""
    FailedLogin.objects.filter(created_at__lt=_window_start()).delete()


def record_success(*, email: str, address: str | None = None) -> None:
    """Clear the account's count; with ``address``, take back the count the attempt put
    on the address (a team signing in on one gym's Wi-Fi is no attack)."""
    FailedLogin.objects.filter(key=_account_key(email)).delete()
    if address is not None:
        newest = (
            FailedLogin.objects.filter(key=_address_key(address))
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
        FailedLogin.objects.filter(pk=newest).delete()


def client_address(request) -> str:
    """The client's address.

    Behind ``RUNSTRONG_TRUSTED_PROXIES`` reverse proxies, the address is read that many
    entries from the right of X-Forwarded-For: entries further left were written by the
    client and are not trusted.
    """
    hops = settings.RUNSTRONG_TRUSTED_PROXIES
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or "unknown"
