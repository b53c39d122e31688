from django.urls import path

from programs.coaching import views

urlpatterns = [
    path("coach/", views.roster, name="coach_home"),
    path("coach/athletes/<int:athlete_id>/", views.coach_athlete_detail, name="coach_athlete"),
]
