"""Conflict flags: the coach's inbox across athletes, acknowledging one with a note, and the
coach's thresholds. Applying a flag's fix is a schedule write: programs.schedule.views.fixes."""

import datetime
import hashlib

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config import pagecache
from config.redirects import next_url
from config.roles import coach_required
from programs import caching
from programs.conflicts import services
from programs.conflicts.forms import AcknowledgeForm, ConflictSettingsForm
from programs.conflicts.selectors import flag_inbox_rows
from programs.models import ConflictSettings, Flag
from programs.permissions import get_flag_for_coach
from programs.units import local_today

# Each flag carries a form; fifty keep the page light and still show a busy week.
PAGE_SIZE = 50
SEVERITIES = ("critical", "warning", "info")
INBOX_FIELDS = (
    "athlete__user__name",
    "code",
    "severity",
    "date",
    "message",
    "suggestion",
    "acknowledged_at",
    "note",
)


@require_GET
@coach_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Every open flag across the coach's athletes, critical first. Cached until one of
    those athletes' data changes (``programs.caching``): a page for the whole squad."""
    severity = request.GET.get("severity", "")
    # Flags are kept from the Monday of each athlete's week; a week on, one that was not
    # recomputed since is history.
    today = local_today(request.user)
    since = today - datetime.timedelta(days=7)
    acknowledged = request.GET.get("acknowledged") == "1"

    def context() -> dict:
        flags = (
            Flag.objects.coached_by(request.user)
            .filter(date__gte=since)
            .select_related("athlete__user")
            .only(*INBOX_FIELDS)
            .by_urgency()
        )
        flags = flags.exclude(acknowledged_at=None) if acknowledged else flags.open()
        if severity in SEVERITIES:
            flags = flags.filter(severity=severity)
        page = Paginator(flags, PAGE_SIZE).get_page(request.GET.get("page"))
        return {
            "page": page,
            "rows": flag_inbox_rows(page.object_list),
            "severity": severity,
            "severities": SEVERITIES,
            "acknowledged": acknowledged,
            "back": request.get_full_path(),
        }

    key = pagecache.key(
        "inbox",
        request.user.pk,
        caching.squad_version(request.user),
        today,
        hashlib.sha256(request.get_full_path().encode()).hexdigest()[:16],
    )
    return pagecache.render_cached(request, "programs/flag_inbox.html", key, context)


@require_POST
@coach_required
def acknowledge(request: HttpRequest, flag_id: int) -> HttpResponse:
    flag = get_flag_for_coach(request.user, flag_id)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        services.flag_acknowledge(flag=flag, user=request.user, note=form.cleaned_data["note"])
        messages.success(request, f"Acknowledged {flag.code} on {flag.date:%a %d %b}.")
    else:
        messages.error(request, form.errors["note"][0])
    return redirect(next_url(request, reverse("flags:inbox")))


@require_POST
@coach_required
def reopen(request: HttpRequest, flag_id: int) -> HttpResponse:
    flag = get_flag_for_coach(request.user, flag_id)
    services.flag_reopen(flag=flag)
    messages.info(request, f"{flag.code} on {flag.date:%a %d %b} is open again.")
    return redirect(next_url(request, reverse("flags:inbox")))


@require_http_methods(["GET", "POST"])
@coach_required
def conflict_settings(request: HttpRequest) -> HttpResponse:
    instance = ConflictSettings.objects.filter(coach=request.user).first() or ConflictSettings(
        coach=request.user
    )
    form = ConflictSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        report = services.conflict_settings_save(settings=form.save(commit=False))
        messages.success(
            request,
            f"Saved. Your athletes' plans were checked again: {report.created} new flags, "
            f"{report.removed} cleared.",
        )
        return redirect("flags:settings")
    return render(request, "programs/conflict_settings.html", {"form": form})
