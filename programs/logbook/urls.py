"""The logbook's URLs: Today and set logging (no namespace: the phone's app shell), the
coach's reading of logs (/logs/) and progress (/progress/)."""

from django.urls import path

from programs.logbook.views import logs, progress, pwa, today

today_patterns = [
    path("athlete/", today.today, name="athlete_home"),
    path("today/sets/", today.set_sync, name="set_sync"),
    path("today/sets/one/", today.set_log, name="set_log"),
    path("today/sessions/<int:session_id>/finish/", today.session_finish, name="session_finish"),
    path("today/exercises/<int:prescription_id>/skip/", today.exercise_skip, name="exercise_skip"),
    path("today/exercises/<int:prescription_id>/swap/", today.exercise_swap, name="exercise_swap"),
    path("today/runs/<int:run_id>/done/", today.run_done, name="run_done"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
]

log_patterns = [
    path("export/", logs.export_mine, name="export"),
    path("athlete/<int:athlete_id>/", logs.athlete_logs, name="athlete"),
    path("athlete/<int:athlete_id>/export/", logs.export_athlete, name="athlete_export"),
    path("sessions/<int:session_id>/comment/", logs.session_comment, name="comment"),
]

progress_patterns = [
    path("", progress.progress, name="mine"),
    path("exercises/<int:exercise_id>/", progress.exercise_progress, name="exercise"),
    path("athlete/<int:athlete_id>/", progress.athlete_progress, name="athlete"),
    path(
        "athlete/<int:athlete_id>/exercises/<int:exercise_id>/",
        progress.athlete_exercise_progress,
        name="athlete_exercise",
    ),
]
