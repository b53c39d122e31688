"""The schedule's URLs, by where they live: /runs/, /calendar/, the feed, the page that
assigns a block (under /blocks/) and the one that applies a flag's fix (under /flags/).
programs/urls.py mounts each list with its namespace."""

from django.urls import path

from programs.schedule.views import assignments, calendar, feed, fixes, maxes, runfiles, runs

run_patterns = [
    path("", runs.run_list, name="list"),
    path("add/", runs.run_create, name="add"),
    path("import/", runfiles.run_import, name="import"),
    path("export.csv", runfiles.run_export, name="export"),
    path("athlete/<int:athlete_id>/", runs.athlete_run_list, name="athlete_list"),
    path("athlete/<int:athlete_id>/add/", runs.athlete_run_create, name="athlete_add"),
    path("athlete/<int:athlete_id>/import/", runfiles.athlete_run_import, name="athlete_import"),
    path("athlete/<int:athlete_id>/export.csv", runfiles.athlete_run_export, name="athlete_export"),
    path("<int:run_id>/edit/", runs.run_update, name="edit"),
    path("<int:run_id>/move/", runs.run_move, name="move"),
    path("<int:run_id>/status/", runs.run_status, name="status"),
    path("<int:run_id>/priority/", runs.run_priority, name="priority"),
    path("<int:run_id>/delete/", runs.run_delete, name="delete"),
]

calendar_patterns = [
    path("", calendar.calendar, name="calendar"),
    path("squad/", calendar.squad_calendar, name="squad"),
    path("athlete/<int:athlete_id>/", calendar.athlete_calendar, name="athlete_calendar"),
    path("sessions/<int:session_id>/", calendar.session_detail, name="session"),
    path("sessions/<int:session_id>/move/", calendar.session_move, name="session_move"),
    path("sessions/<int:session_id>/skip/", calendar.session_skip, name="session_skip"),
    path("sessions/<int:session_id>/unskip/", calendar.session_unskip, name="session_unskip"),
    path("runs/<int:run_id>/move/", calendar.run_move, name="run_move"),
    path("maxes/", maxes.maxes, name="maxes"),
    path("athlete/<int:athlete_id>/maxes/", maxes.athlete_maxes, name="athlete_maxes"),
    path("assignments/<int:assignment_id>/push/", assignments.assignment_push, name="push"),
]

feed_patterns = [
    path("feed/<str:token>.ics", feed.feed, name="ics"),
    path("calendar/feed/", feed.feed_settings, name="settings"),
    path("calendar/feed/new/", feed.feed_rotate, name="rotate"),
]

block_patterns = [
    path("<int:block_id>/assign/", assignments.block_assign, name="assign"),
]

flag_patterns = [
    path("<int:flag_id>/fix/", fixes.fix, name="fix"),
]
