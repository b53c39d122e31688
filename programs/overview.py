"""One athlete at a glance for their coach: this week's calendar, the latest sessions
against the plan, pain reported lately, recorded 1RMs and the e1RM trend of the exercise
they log most. A fixed number of queries whatever the history."""

import datetime
from collections import Counter

from athletes.models import AthleteProfile, User
from athletes.runs import local_today
from programs import logexport
from programs.calendar import build_calendars, week_range
from programs.charts import line_chart
from programs.loads import format_weight, kg_to_unit
from programs.models import OneRepMax, PainNote, SetLog
from programs.progress import exercise_history

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
    recent = list(
        logexport.with_logs(logexport.logged_sessions(athlete).order_by("-date", "-pk"))[
            :RECENT_SESSIONS
        ]
    )
    maxes = [
        (record, format_weight(record.kg, reader.weight_unit, plates=False))
        for record in OneRepMax.objects.filter(athlete=athlete).select_related("exercise")
    ]
    logged = Counter(
        SetLog.objects.filter(athlete=athlete, load_kg__gt=0).values_list(
            "exercise", "exercise__name"
        )
    )
    chart, chart_exercise = "", None
    if logged:
        (exercise_id, name), _count = logged.most_common(1)[0]
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
        "recent": logexport.review_sessions(recent, athlete=athlete, unit=reader.weight_unit),
        "pain": PainNote.objects.filter(
            athlete=athlete, date__gte=today - datetime.timedelta(days=PAIN_DAYS)
        ),
        "maxes": maxes,
        "chart": chart,
        "chart_exercise": chart_exercise,
    }
