from django.urls import path

from programs.views import pwa, today

urlpatterns = [
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
