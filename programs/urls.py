"""Every URL of programs, from its subjects' url modules. Paths and names are those the
app had before it was split by subject, so links and bookmarks keep working."""

from django.urls import include, path

from programs.blocks import urls as blocks
from programs.conflicts import urls as conflicts
from programs.logbook import urls as logbook
from programs.schedule import urls as schedule

urlpatterns = [
    path("blocks/", include((blocks.urlpatterns + schedule.block_patterns, "programs"))),
    path("runs/activities/", include("programs.activities.urls")),
    path("runs/", include((schedule.run_patterns, "runs"))),
    path("calendar/", include((schedule.calendar_patterns, "schedule"))),
    path("", include((schedule.feed_patterns, "feed"))),
    path("flags/", include((conflicts.urlpatterns + schedule.flag_patterns, "flags"))),
    path("progress/", include((logbook.progress_patterns, "progress"))),
    path("logs/", include((logbook.log_patterns, "logs"))),
    path("", include(logbook.today_patterns)),
    path("account/", include("programs.account.urls")),
    path("", include("programs.coaching.urls")),
    path("coach/", include("programs.seasons.urls")),
    path("notifications/", include("programs.notifications.urls")),
]
