"""The e-mails a person asked for (settings), the coach's notifications page, and the
one-click unsubscribe link that works signed out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.roles import coach_required
from programs.models import NotificationKind, NotificationSettings
from programs.notifications import selectors, services
from programs.notifications.forms import NotificationSettingsForm
from programs.notifications.tokens import unsubscribe_target
from programs.units import local_today


@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    instance = NotificationSettings.objects.filter(user=request.user).first()
    instance = instance or NotificationSettings(user=request.user)
    form = NotificationSettingsForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your e-mail settings are saved.")
        return redirect("notifications:settings")
    return render(request, "programs/notifications/settings.html", {"form": form})


@require_GET
@coach_required
def inbox(request: HttpRequest) -> HttpResponse:
    data = selectors.coach_inbox_data(coach=request.user, today=local_today(request.user))
    return render(request, "programs/notifications/inbox.html", {"data": data})


@require_POST
@coach_required
def mark_read(request: HttpRequest) -> HttpResponse:
    services.coach_notifications_mark_read(coach=request.user)
    messages.info(request, "Marked as read.")
    return redirect("notifications:inbox")


# Signed out, and POSTed by mail clients with no cookie (RFC 8058 one-click): the signed
# token is the only key, and all it can do is turn one e-mail off.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    target = unsubscribe_target(token)
    if target is None:
        return render(
            request, "programs/notifications/unsubscribe.html", {"invalid": True}, status=404
        )
    user, kind = target
    label = NotificationKind(kind).label
    if request.method == "POST":
        services.notification_unsubscribe(user=user, kind=kind)
        return render(
            request, "programs/notifications/unsubscribe.html", {"done": True, "label": label}
        )
    return render(request, "programs/notifications/unsubscribe.html", {"label": label})
