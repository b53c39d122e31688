"""One athlete at a glance for their coach: this week's calendar, the races ahead that have
no priority, the latest sessions against the plan, pain reported lately, recorded 1RMs, the
e1RM trend of the exercise they log most and the running of the last weeks, planned and
done. A fixed number of queries whatever the history."""

import datetime

from django.db.models import Count

from athletes.models import AthleteProfile, User
from programs.logbook import logexport
from programs.logbook.charts import line_chart
from programs.logbook.progress import exercise_history
from programs.logbook.running import running_volume
from programs.models import OneRepMax, PainNote, RacePriority, Run, RunStatus, RunType, SetLog
from programs.schedule.calendar import build_calendars, week_range
from programs.units import format_distance, format_weight, kg_to_unit, local_today

RECENT_SESSIONS = 3
PAIN_DAYS = 14


def athlete_overview(athlete: AthleteProfile, *, reader: User) -> dict:
    today = local_today(athlete.user)
    first, last = week_range(today)
    week = build_calendars(
        [athlete],
        first,
        last,
        today=today,
        distance_unit=reader.distance_unit,
        weight_unit=reader.weight_unit,
    )[athlete.pk]
    # A race without a priority is treated as a C race: no taper rule guards it.
    races = [
        (run, format_distance(run.distance_m, reader.distance_unit))
        for run in Run.objects.for_athlete(athlete)
        .filter(run_type=RunType.RACE, race_priority="", status=RunStatus.PLANNED, date__gte=today)
        .order_by("date", "start_time", "pk")
    ]
    recent = list(
        logexport.with_logs(logexport.logged_sessions(athlete).order_by("-date", "-pk"))[
            :RECENT_SESSIONS
        ]
    )
    maxes = [
        (record, format_weight(record.kg, reader.weight_unit, plates=False))
        for record in OneRepMax.objects.filter(athlete=athlete).select_related("exercise")
    ]
    # Counted in the database: the page must not read the whole history to pick one.
    most = (
        SetLog.objects.filter(athlete=athlete, load_kg__gt=0)
        .values("exercise", "exercise__name")
        .annotate(sets=Count("pk"))
        .order_by("-sets", "exercise__name")
        .first()
    )
    chart, chart_exercise = "", None
    if most:
        exercise_id, name = most["exercise"], most["exercise__name"]
        history = exercise_history(athlete, exercise_id)
        points = [
            (p.date, float(kg_to_unit(p.best_e1rm, reader.weight_unit)))
            for p in history
            if p.best_e1rm is not None
        ]
        if points:
            chart_exercise = {"id": exercise_id, "name": name}
            chart = line_chart(
                points,
                unit_label=reader.weight_unit,
                title=f"Estimated 1RM per session, {name}",
                chart_id="overview-e1rm",
            )
    return {
        "week": week[0],
        "today": today,
        "races_without_priority": races,
        "race_priorities": RacePriority.choices,
        "recent": logexport.review_sessions(recent, athlete=athlete, unit=reader.weight_unit),
        "pain": PainNote.objects.filter(
            athlete=athlete, date__gte=today - datetime.timedelta(days=PAIN_DAYS)
        ),
        "maxes": maxes,
        "chart": chart,
        "chart_exercise": chart_exercise,
        "running": running_volume(athlete, unit=reader.distance_unit),
    }
