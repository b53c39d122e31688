from django.urls import path

from programs.coaching import start, views

urlpatterns = [
    path("coach/", views.roster, name="coach_home"),
    path("coach/athletes/<int:athlete_id>/", views.coach_athlete_detail, name="coach_athlete"),
    path("coach/start/", start.get_started, name="get_started"),
]
