"""Throttle repeated failed sign-ins, per account (email) and per client address.

An attacker guessing one account's password is stopped after a few tries; one address
spraying many accounts is stopped too. A success clears the account's count.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from athletes.models import FailedLogin


def _account_key(email: str) -> str:
    return f"account:{email.strip().lower()}"


def _address_key(address: str) -> str:
    return f"address:{address}"


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def seconds_until_allowed(*, email: str, address: str) -> int:
    """0 when a sign-in may be tried; else how long until the oldest failure ages out."""
    since = _window_start()
    limits = {
        _account_key(email): settings.LOGIN_THROTTLE_PER_ACCOUNT,
        _address_key(address): settings.LOGIN_THROTTLE_PER_ADDRESS,
    }
    wait = 0
    for key, limit in limits.items():
        failures = FailedLogin.objects.filter(key=key, created_at__gte=since)
        if failures.count() >= limit:
            oldest = failures.aggregate(first=Min("created_at"))["first"]
            remaining = (oldest - since).total_seconds()
            wait = max(wait, math.ceil(remaining))
    return wait


def record_failure(*, email: str, address: str) -> None:
    FailedLogin.objects.filter(created_at__lt=_window_start()).delete()
    FailedLogin.objects.bulk_create(
        [FailedLogin(key=_account_key(email)), FailedLogin(key=_address_key(address))]
    )


def record_success(*, email: str) -> None:
    FailedLogin.objects.filter(key=_account_key(email)).delete()


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
