from django.urls import path

from programs.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_upload, name="upload"),
    path("athlete/<int:athlete_id>/", views.athlete_activity_upload, name="athlete_upload"),
    path("imports/<uuid:import_id>/", views.activity_import, name="import"),
]
