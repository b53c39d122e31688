from django.urls import path

from programs.views import assignments, calendar

app_name = "schedule"

urlpatterns = [
    path("", calendar.calendar, name="calendar"),
    path("athlete/<int:athlete_id>/", calendar.athlete_calendar, name="athlete_calendar"),
    path("sessions/<int:session_id>/", calendar.session_detail, name="session"),
    path("sessions/<int:session_id>/move/", calendar.session_move, name="session_move"),
    path("sessions/<int:session_id>/skip/", calendar.session_skip, name="session_skip"),
    path("sessions/<int:session_id>/unskip/", calendar.session_unskip, name="session_unskip"),
    path("runs/<int:run_id>/move/", calendar.run_move, name="run_move"),
    path("maxes/", assignments.maxes, name="maxes"),
    path("athlete/<int:athlete_id>/maxes/", assignments.athlete_maxes, name="athlete_maxes"),
    path("assignments/<int:assignment_id>/push/", assignments.assignment_push, name="push"),
]
