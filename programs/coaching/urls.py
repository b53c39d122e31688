from django.urls import path

from programs.coaching import views
from programs.views import roster

urlpatterns = [
    path("coach/", roster.roster, name="coach_home"),
    path("coach/athletes/<int:athlete_id>/", views.coach_athlete_detail, name="coach_athlete"),
]
