from django.urls import path

from programs.views import logs

app_name = "logs"

urlpatterns = [
    path("export/", logs.export_mine, name="export"),
    path("athlete/<int:athlete_id>/", logs.athlete_logs, name="athlete"),
    path("athlete/<int:athlete_id>/export/", logs.export_athlete, name="athlete_export"),
    path("sessions/<int:session_id>/comment/", logs.session_comment, name="comment"),
]
