from django.urls import path

from programs.schedule.views import runfiles as files
from programs.schedule.views import runs as views

app_name = "runs"

urlpatterns = [
    path("", views.run_list, name="list"),
    path("add/", views.run_create, name="add"),
    path("import/", files.run_import, name="import"),
    path("export.csv", files.run_export, name="export"),
    path("athlete/<int:athlete_id>/", views.athlete_run_list, name="athlete_list"),
    path("athlete/<int:athlete_id>/add/", views.athlete_run_create, name="athlete_add"),
    path("athlete/<int:athlete_id>/import/", files.athlete_run_import, name="athlete_import"),
    path("athlete/<int:athlete_id>/export.csv", files.athlete_run_export, name="athlete_export"),
    path("<int:run_id>/edit/", views.run_update, name="edit"),
    path("<int:run_id>/move/", views.run_move, name="move"),
    path("<int:run_id>/status/", views.run_status, name="status"),
    path("<int:run_id>/delete/", views.run_delete, name="delete"),
]
