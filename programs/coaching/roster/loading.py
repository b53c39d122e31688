"""Loading every athlete's row for a coach in a fixed number of queries."""

import datetime
from collections import defaultdict
from collections.abc import Sequence

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    DateField,
    FloatField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from athletes.models import AthleteGroup, AthleteProfile, User
from config import pagecache
from programs import conflicts
from programs.coaching.roster.rows import (
    FLAG_DAYS,
    PAIN_DAYS,
    RACE_DAYS,
    TREND_WEEKS,
    AthleteUrls,
    CurrentBlock,
    FlagCounts,
    LastLog,
    Pain,
    RosterEntry,
    RosterRow,
    UpcomingRun,
    WeekFigures,
    WeekRunning,
    needs_attention,
    week_starts,
)
from programs.conflicts.model import TAPER_PRIORITIES
from programs.conflicts.services import load_kg, thresholds_for
from programs.logbook.running import last_week_running, week_distance
from programs.models import (
    KEY_RUN_TYPES,
    Assignment,
    Flag,
    OneRepMax,
    PainNote,
    Run,
    RunStatus,
    RunType,
    ScheduledPrescription,
    ScheduledSession,
    SessionStatus,
    SetLog,
)
from programs.schedule.calendar import monday
from programs.units import format_distance, today_in


def roster_entries(coach: User, *, today: datetime.date | None = None) -> list[RosterEntry]:
    """An entry for each of ``coach``'s current athletes, by name: what the roster filters,
    sorts and counts by; each athlete's own today unless ``today`` is given. Two queries
    and two round trips to the cache when every athlete's figures are cached; then as
    many more as ``_rows_built`` takes, whatever the number of athletes.

    An athlete's row is cached under their version (``programs.caching``) and today, for
    the page (``roster_page_rows``); their figures are kept with that key in one entry for
    the whole squad, so a squad of 500 reads one value where it read 500 (issue #17). Only
    the athletes whose key moved on are read again. The name, e-mail and groups are always
    read afresh: they change without the athlete's data."""
    athletes = list(
        AthleteProfile.objects.coached_by(coach)
        .order_by("user__name", "user__email", "pk")
        .values_list("pk", "user__name", "user__email", "user__time_zone")
    )
    if not athletes:
        return []
    zones = {zone: today or today_in(zone) for zone in {zone for *_rest, zone in athletes}}
    todays = {pk: zones[zone] for pk, _name, _email, zone in athletes}
    keys = _row_keys(coach, todays)
    figures_key = pagecache.key("roster-figures", coach.pk)
    known = cache.get(figures_key) or {}
    figures = {
        pk: found[1] for pk, key in keys.items() if (found := known.get(pk)) and found[0] == key
    }
    if missing := [pk for pk in todays if pk not in figures]:
        profiles = AthleteProfile.objects.filter(pk__in=missing).select_related("user")
        built = _rows_built(coach, list(profiles), {pk: todays[pk] for pk in missing})
        # Rows kept without the athlete (RosterRow.__getstate__), who is read afresh.
        cache.set_many({keys[pk]: row for pk, row in built.items()}, pagecache.TIMEOUT)
        figures |= {pk: RosterEntry.figures_of(row) for pk, row in built.items()}
        # Only the current athletes' figures, each with the key it was read under.
        known = {pk: (keys[pk], figures[pk]) for pk in keys if pk in figures}
        cache.set(figures_key, known, pagecache.TIMEOUT)
    entries = [
        RosterEntry.of(pk, name, email, today=todays[pk], row_key=keys[pk], figures=found)
        for pk, name, email, _zone in athletes
        # None: the athlete's account deleted between the two reads above.
        if (found := figures.get(pk)) is not None
    ]
    by_pk = {entry.pk: entry for entry in entries}
    # The coach's groups' members; a former athlete still in a group is not on the roster.
    for athlete_id, group_id, name in (
        AthleteGroup.athletes.through.objects.filter(athletegroup__coach=coach)
        .order_by("athletegroup__name")
        .values_list("athleteprofile_id", "athletegroup_id", "athletegroup__name")
    ):
        if entry := by_pk.get(athlete_id):
            entry.groups.append(name)
            entry.group_ids.add(group_id)
    return entries


def roster_page_rows(coach: User, entries: Sequence[RosterEntry]) -> list[RosterRow]:
    """The rows of ``entries``, in their order: from the cache, where ``roster_entries``
    keeps them under the keys it gave each entry, and built again if the cache let one go.
    One query (the athletes) and one round trip to the cache for any page."""
    if not entries:
        return []
    todays = {entry.pk: entry.today for entry in entries}
    keys = {entry.pk: entry.row_key for entry in entries}
    cached = cache.get_many(list(keys.values()))
    athletes = AthleteProfile.objects.filter(pk__in=list(todays)).select_related("user")
    by_pk = {athlete.pk: athlete for athlete in athletes}
    missing = [by_pk[pk] for pk in todays if keys[pk] not in cached and pk in by_pk]
    built = _rows_built(coach, missing, {a.pk: todays[a.pk] for a in missing})
    if built:
        cache.set_many({keys[pk]: row for pk, row in built.items()}, pagecache.TIMEOUT)
    rows = []
    for entry in entries:
        if entry.pk not in by_pk:  # the athlete's account deleted since the entries' read
            continue
        row = built.get(entry.pk) or cached[keys[entry.pk]]
        row.athlete = by_pk[entry.pk]
        row.groups, row.group_ids = entry.groups, entry.group_ids
        rows.append(row)
    return rows


def roster_rows(coach: User, *, today: datetime.date | None = None) -> list[RosterRow]:
    """Every row of ``coach``'s roster, by name (the roster itself shows a page of them)."""
    return roster_page_rows(coach, roster_entries(coach, today=today))


def _row_keys(coach: User, todays: dict[int, datetime.date]) -> dict[int, str]:
    """Each athlete's row's cache key: their version, today and the coach's unit."""
    tokens = pagecache.versions("athlete", list(todays))
    prefix = pagecache.key("roster-row", coach.pk, coach.distance_unit)
    return {pk: f"{prefix}:{pk}:{tokens[pk]}:{day}" for pk, day in todays.items()}


def _rows_built(
    coach: User, athletes: Sequence[AthleteProfile], todays: dict[int, datetime.date]
) -> dict[int, RosterRow]:
    """The rows of ``athletes`` (without groups or details), read from the database in a
    fixed number of queries; none without athletes."""
    if not athletes:
        return {}
    # Logging a set marks its session done on the day the set was done, so the latest
    # done session is the last logged one, and the (athlete, date) index finds it at once
    # where reading the roster's sets costs ten times more.
    last_done = ScheduledSession.objects.filter(
        athlete=OuterRef("pk"), status=SessionStatus.DONE
    ).order_by("-date", "-pk")
    last_logs = {
        pk: LastLog(on, title or "Strength")
        for pk, on, title in AthleteProfile.objects.filter(pk__in=list(todays))
        .annotate(
            last_log_on=Subquery(last_done.values("date")[:1]),
            last_log_title=Subquery(last_done.values("title")[:1]),
        )
        .values_list("pk", "last_log_on", "last_log_title")
        if on
    }
    unit = coach.distance_unit
    urls = AthleteUrls.maker()

    weeks, past_sessions, blocks = _weeks(todays)
    races = _races(todays, unit)
    hard = _hard_sessions([a for a in athletes if a.pk in races], todays, races)
    rows: dict[int, RosterRow] = {}
    for athlete in athletes:
        pk = athlete.pk
        *trend, this_week = weeks[pk]
        rows[pk] = RosterRow(
            athlete=athlete,
            today=todays[pk],
            week=this_week,
            trend=trend,
            last_log=last_logs.get(pk),
            block=blocks.get(pk),
            past_sessions=past_sessions[pk],
            races=races.get(pk, []),
            hard_sessions=hard.get(pk, []),
            urls=urls(pk),
        )
    for athlete_id, counts in _flag_counts(todays).items():
        rows[athlete_id].flags = counts
    for athlete_id, pains in _pains(todays).items():
        rows[athlete_id].pains = pains
    for row in rows.values():
        row.reasons = needs_attention(row)
    roster_details(list(rows.values()), coach)
    return rows


def roster_details(rows: Sequence[RosterRow], coach: User) -> None:
    """Fill in each row's next key run and last week's running, in ``coach``'s unit: what
    a row shows but no reason, filter or sort reads. Three queries; none without rows."""
    if not rows:
        return
    todays = {row.athlete.pk: row.today for row in rows}
    unit = coach.distance_unit
    next_runs = _next_key_runs(todays, unit)
    running = last_week_running(todays)
    for row in rows:
        pk = row.athlete.pk
        row.next_key_run = next_runs.get(pk)
        if week := running.get(pk):
            row.last_week_running = WeekRunning(
                week.done_m,
                week.planned_m,
                week_distance(week.done_m, unit),
                week_distance(week.planned_m, unit),
            )


def _by_today(todays: dict[int, datetime.date]) -> dict[datetime.date, list[int]]:
    """Athletes by their today: a few dates at most (time zones), so a filter by each
    athlete's own today is a short OR."""
    groups: dict[datetime.date, list[int]] = defaultdict(list)
    for athlete_id, today in todays.items():
        groups[today].append(athlete_id)
    return groups


def _weeks(
    todays: dict[int, datetime.date],
) -> tuple[dict[int, list[WeekFigures]], dict[int, list[datetime.date]], dict[int, CurrentBlock]]:
    """Each athlete's trend weeks and this week, the dates of their past sessions in them,
    and the block this week belongs to. Two queries."""
    first = monday(min(todays.values())) - datetime.timedelta(weeks=TREND_WEEKS)
    last = monday(max(todays.values())) + datetime.timedelta(days=6)
    # Scalar subqueries per session walk the prescription and set log session indexes;
    # counting the logs' rows (not their UUID keys) never leaves the index.
    planned = (
        ScheduledPrescription.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(sets=Sum("sets"))
        .values("sets")
    )
    done = (
        SetLog.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(sets=Count("*"))
        .values("sets")
    )
    sessions = (
        ScheduledSession.objects.filter(athlete_id__in=list(todays), date__range=(first, last))
        .order_by()
        .values_list(
            "athlete_id",
            "date",
            "status",
            "week_number",
            "phase",
            "assignment_id",
            Coalesce(Subquery(planned), 0),
            Coalesce(Subquery(done), 0),
        )
    )
    weeks = {
        pk: {start: WeekFigures(start) for start in week_starts(today, TREND_WEEKS + 1)}
        for pk, today in todays.items()
    }
    this_week = {pk: monday(today) for pk, today in todays.items()}
    past: dict[int, list[datetime.date]] = defaultdict(list)
    # The session of this week nearest today names the block: the latest one on or
    # before today, else the first one after.
    nearest: dict[int, tuple] = {}
    mondays: dict[datetime.date, datetime.date] = {}
    for athlete_id, date, status, week_number, phase, assignment_id, planned, done in sessions:
        today = todays[athlete_id]
        start = mondays.get(date) or mondays.setdefault(date, monday(date))
        week = weeks[athlete_id].get(start)
        if week is None:
            continue
        week.planned_sets += planned
        week.planned_sessions += 1
        week.done_sets += done
        if status == SessionStatus.DONE or done:
            week.done_sessions += 1
        if date < today or status != SessionStatus.PLANNED or done:
            week.due_sets += planned
            week.due_sessions += 1
        if date < today:
            past[athlete_id].append(date)
        if start == this_week[athlete_id]:
            key = (date > today, abs((date - today).days))
            if athlete_id not in nearest or key < nearest[athlete_id][0]:
                nearest[athlete_id] = (key, assignment_id, week_number, phase)
    assignments = {
        pk: (name, weeks)
        for pk, name, weeks in Assignment.objects.filter(pk__in={n[1] for n in nearest.values()})
        .annotate(weeks=Max("sessions__week_number"))
        .values_list("pk", "block_name", "weeks")
    }
    blocks = {
        athlete_id: CurrentBlock(*assignments[assignment_id], week_number, phase)
        for athlete_id, (_key, assignment_id, week_number, phase) in nearest.items()
    }
    for dates in past.values():
        dates.sort()
    return {pk: list(w.values()) for pk, w in weeks.items()}, past, blocks


def _upcoming(row: tuple, unit: str) -> UpcomingRun:
    _athlete_id, date, run_type, title, distance_m, priority = row
    return UpcomingRun(date, run_type, title, format_distance(distance_m, unit), priority)


RUN_COLUMNS = ("athlete_id", "date", "run_type", "title", "distance_m", "race_priority")


def _from_today(todays: dict[int, datetime.date], days: int | None = None) -> Q:
    condition = Q(pk__in=[])
    for today, athlete_ids in _by_today(todays).items():
        dates = {"date__gte": today}
        if days is not None:
            dates["date__lte"] = today + datetime.timedelta(days=days)
        condition |= Q(athlete_id__in=athlete_ids, **dates)
    return condition


def _next_key_runs(todays: dict[int, datetime.date], unit: str) -> dict[int, UpcomingRun]:
    """Each athlete's next planned key run (a race is one). Per athlete, the (athlete,
    date) index finds it in a step or two, where ranking every run to come reads them
    all."""
    today = Case(
        *(When(pk__in=ids, then=Value(day)) for day, ids in _by_today(todays).items()),
        output_field=DateField(),
    )
    next_run = (
        Run.objects.filter(athlete=OuterRef("pk"), date__gte=OuterRef("today"))
        .filter(status=RunStatus.PLANNED, run_type__in=KEY_RUN_TYPES)
        .order_by("date", "start_time", "pk")
        .values("pk")[:1]
    )
    # Two queries: nested in the second, PostgreSQL runs the first's subquery three
    # times an athlete.
    firsts = (
        AthleteProfile.objects.filter(pk__in=list(todays))
        .annotate(today=today)
        .values_list(Subquery(next_run), flat=True)
    )
    rows = Run.objects.filter(pk__in=[pk for pk in firsts if pk]).values_list(*RUN_COLUMNS)
    return {row[0]: _upcoming(row, unit) for row in rows}


def _races(todays: dict[int, datetime.date], unit: str) -> dict[int, list[UpcomingRun]]:
    """Planned races the athletes taper for within RACE_DAYS. One query."""
    races: dict[int, list[UpcomingRun]] = defaultdict(list)
    for row in (
        Run.objects.filter(_from_today(todays, RACE_DAYS), status=RunStatus.PLANNED)
        .filter(run_type=RunType.RACE, race_priority__in=TAPER_PRIORITIES)
        .order_by("date", "pk")
        .values_list(*RUN_COLUMNS)
    ):
        races[row[0]].append(_upcoming(row, unit))
    return races


def _hard_sessions(
    racing: Sequence[AthleteProfile],
    todays: dict[int, datetime.date],
    races: dict[int, list[UpcomingRun]],
) -> dict[int, list[datetime.date]]:
    """For the ``racing`` athletes, the days of the planned sessions from today to their
    last race in ``races`` that the conflict engine classifies as hard (heavy lower body
    or plyometric) by their coach's thresholds. Four queries; none when nobody races."""
    if not racing:
        return {}
    until = {a.pk: max(r.date for r in races[a.pk]) for a in racing}
    rows = list(
        ScheduledPrescription.objects.filter(
            session__athlete_id__in=list(until),
            session__status=SessionStatus.PLANNED,
            session__date__range=(min(todays[pk] for pk in until), max(until.values())),
        )
        .order_by()
        .values_list(
            "session_id",
            "session__athlete_id",
            "session__date",
            "exercise_id",
            "exercise__name",
            "exercise__load_class",
            "sets",
            "reps_min",
            "load_type",
            Cast("load_value", FloatField()),
        )
    )
    maxes = {
        (athlete_id, exercise_id): float(kg)
        for athlete_id, exercise_id, kg in OneRepMax.objects.filter(
            athlete_id__in=list(until)
        ).values_list("athlete_id", "exercise_id", "kg")
    }
    thresholds = thresholds_for(racing)
    # A squad's sessions repeat the same few doses: each session is read as a tuple of
    # plain rows, and the engine judges each distinct tuple once.
    doses: dict[int, list[tuple]] = {}
    dated: dict[int, tuple[int, datetime.date]] = {}
    for session_id, athlete_id, date, exercise_id, *dose in rows:
        if not todays[athlete_id] <= date < until[athlete_id]:
            continue
        if session_id not in doses:
            doses[session_id], dated[session_id] = [], (athlete_id, date)
        doses[session_id].append((*dose, maxes.get((athlete_id, exercise_id))))
    verdicts: dict[tuple, bool] = {}
    hard: dict[int, list[datetime.date]] = defaultdict(list)
    for session_id, (athlete_id, date) in dated.items():
        key = (tuple(doses[session_id]), thresholds[athlete_id])
        if key not in verdicts:
            items = tuple(_item(dose) for dose in key[0])
            session = conflicts.StrengthSession(str(session_id), date, "", items)
            verdicts[key] = conflicts.classify(session, key[1]).hard
        if verdicts[key]:
            hard[athlete_id].append(date)
    for dates in hard.values():
        dates.sort()
    return hard


def _item(dose: tuple) -> conflicts.Item:
    """A prescription's row as the conflict engine reads it, as ``load_plans`` does."""
    name, load_class, sets, reps, load_type, value, one_rm = dose
    return conflicts.Item(
        exercise=name,
        load_class=load_class,
        sets=sets,
        reps=reps,
        load_type=load_type,
        load_value=value,
        load_kg=load_kg(load_type, value, one_rm),
        one_rm_kg=one_rm,
    )


def _flag_counts(todays: dict[int, datetime.date]) -> dict[int, FlagCounts]:
    since = min(todays.values()) - datetime.timedelta(days=FLAG_DAYS)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for athlete_id, severity, count in (
        Flag.objects.open()
        .filter(athlete_id__in=list(todays), date__gte=since)
        .order_by()
        .values("athlete_id", "severity")
        .annotate(count=Count("pk"))
        .values_list("athlete_id", "severity", "count")
    ):
        counts[athlete_id][severity] = count
    return {pk: FlagCounts(**by_severity) for pk, by_severity in counts.items()}


def _pains(todays: dict[int, datetime.date]) -> dict[int, list[Pain]]:
    first = min(todays.values()) - datetime.timedelta(days=PAIN_DAYS - 1)
    pains: dict[int, list[Pain]] = defaultdict(list)
    for athlete_id, date, area, score, note in (
        PainNote.objects.filter(
            athlete_id__in=list(todays), date__range=(first, max(todays.values()))
        )
        .order_by("-date", "-pk")
        .values_list("athlete_id", "date", "area", "score", "note")
    ):
        if 0 <= (todays[athlete_id] - date).days < PAIN_DAYS:
            pains[athlete_id].append(Pain(date, area, score, note))
    return pains
