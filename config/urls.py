from django.contrib import admin
from django.urls import include, path

from config import views

handler500 = views.server_error

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("library/", include("library.urls")),
    path("blocks/", include("programs.urls")),
    path("runs/", include("programs.schedule.urls_runs")),
    path("calendar/", include("programs.urls_schedule")),
    path("flags/", include("programs.urls_flags")),
    path("progress/", include("programs.urls_progress")),
    path("logs/", include("programs.urls_logs")),
    path("", include("programs.urls_feed")),
    path("", include("programs.urls_today")),
    # Beside the account page (athletes.urls): a person's data spans both apps.
    path("account/", include("programs.urls_account")),
    path("", include("programs.coaching.urls")),
    path("", include("athletes.urls")),
]
