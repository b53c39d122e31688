from django.urls import path

from programs.views import progress

app_name = "progress"

urlpatterns = [
    path("", progress.progress, name="mine"),
    path("exercises/<int:exercise_id>/", progress.exercise_progress, name="exercise"),
    path("athlete/<int:athlete_id>/", progress.athlete_progress, name="athlete"),
    path(
        "athlete/<int:athlete_id>/exercises/<int:exercise_id>/",
        progress.athlete_exercise_progress,
        name="athlete_exercise",
    ),
]
