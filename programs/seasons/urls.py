from django.urls import path

from programs.seasons import views

app_name = "seasons"

urlpatterns = [
    path("athletes/<int:athlete_id>/season/", views.season_plan, name="plan"),
    path("athletes/<int:athlete_id>/season/draft/", views.season_draft, name="draft"),
    path(
        "athletes/<int:athlete_id>/season/draft/sessions/<str:session_id>/",
        views.season_session,
        name="session",
    ),
    path("athletes/<int:athlete_id>/season/draft/move/", views.season_move, name="move"),
    path("athletes/<int:athlete_id>/season/draft/remove/", views.season_remove, name="remove"),
    path("athletes/<int:athlete_id>/season/draft/dose/", views.season_dose, name="dose"),
    path("athletes/<int:athlete_id>/season/draft/apply/", views.season_apply, name="apply"),
    path("athletes/<int:athlete_id>/season/draft/discard/", views.season_discard, name="discard"),
    path("groups/<int:group_id>/season/", views.group_season, name="group"),
    path("groups/seasons/<uuid:job_id>/", views.group_season_job, name="group_job"),
]
