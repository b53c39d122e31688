from django.urls import path

from programs.conflicts import views as flags

urlpatterns = [
    path("", flags.inbox, name="inbox"),
    path("settings/", flags.conflict_settings, name="settings"),
    path("<int:flag_id>/acknowledge/", flags.acknowledge, name="acknowledge"),
    path("<int:flag_id>/reopen/", flags.reopen, name="reopen"),
]
