"""Properties over generated calendars: whatever the runs, races, kept sessions and coach's
settings, the planner's flags are the engine's own on the plan, every flag at warning or
worse comes with an explained exception, and the plan's own sessions never raise one."""

import datetime

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from programs.conflicts import Item, Run, Severity, StrengthSession, Thresholds, evaluate
from programs.conflicts.schedule import monday
from programs.seasons import plan_season
from tests.programs.seasons.calendars import MON, request

SERIOUS = {Severity.WARNING, Severity.CRITICAL}
RUN_TYPES = ["easy", "easy", "easy", "long", "tempo", "intervals", "hills", "recovery",
             "race", "rest", "cross_training"]  # fmt: skip
DISTANCES = st.none() | st.sampled_from([5000, 8000, 10000, 16000, 21097, 30000, 42195])
TIMES = st.none() | st.sampled_from([datetime.time(6, 30), datetime.time(12), datetime.time(18)])
KEPT_ITEMS = [
    Item("Back squat", "heavy_lower", 4, 5, "rpe", 8),
    Item("Box jump", "plyometric", 3, 5, foot_contacts=1),
    Item("Glute bridge", "light_lower", 3, 12),
    Item("Plank", "core", 3),
]


@st.composite
def runs(draw, days: int) -> list[Run]:
    result = []
    for n in range(-14, days + 7):  # a fortnight before (recoveries) and a week after (tapers)
        if not draw(st.booleans()):
            continue
        run_type = draw(st.sampled_from(RUN_TYPES))
        result.append(
            Run(
                id=f"r{n}",
                date=MON + datetime.timedelta(days=n),
                run_type=run_type,
                distance_m=draw(DISTANCES),
                duration_s=draw(st.none() | st.integers(1200, 14400)),
                start_time=draw(TIMES),
                race_priority=draw(st.sampled_from(["A", "B", "C", ""]))
                if run_type == "race"
                else "",
            )
        )
    return result


@st.composite
def kept(draw, days: int) -> list[StrengthSession]:
    return [
        StrengthSession(
            id=f"k{n}",
            date=MON + datetime.timedelta(days=draw(st.integers(-21, days))),
            title="Kept",
            items=tuple(draw(st.lists(st.sampled_from(KEPT_ITEMS), min_size=1, max_size=3))),
            done=draw(st.booleans()),
        )
        for n in range(draw(st.integers(0, 4)))
    ]


@st.composite
def calendars(draw, *, keeping: bool = True):
    days = draw(st.integers(1, 16 * 7))
    thresholds = Thresholds(
        min_days_between=draw(st.integers(0, 3)),
        max_per_week=draw(st.integers(2, 4)),
        taper_warning_days=draw(st.integers(5, 14)),
        b_taper_warning_days=draw(st.integers(2, 5)),
        heavy_rpe=draw(st.sampled_from([7.0, 8.0, 9.0])),
        spike_ratio=draw(st.sampled_from([1.2, 1.5, 2.0])),
    )
    fields = {
        "start": MON + datetime.timedelta(days=draw(st.integers(0, 6))),
        "end": MON + datetime.timedelta(days=days),
        "sessions_per_week": draw(st.sampled_from([2, 3])),
        "in_season_sessions": draw(st.sampled_from([1, 2])),
        "weekdays": tuple(draw(st.sets(st.integers(0, 6), max_size=3))),
        "deload_every": draw(st.integers(3, 6)),
        "thresholds": thresholds,
        "existing": tuple(draw(kept(days))) if keeping else (),
        "replace_existing": draw(st.booleans()),
        "one_rep_maxes": draw(
            st.sampled_from([{}, {"romanian-deadlift": 100.0, "goblet-squat": 40.0}])
        ),
    }
    fields["end"] = max(fields["end"], fields["start"])
    return request(draw(runs(days)), **fields)


def _engine_flags(season, plan):
    """The engine's flags on the plan, run afresh: the planned sessions as plain engine
    sessions beside the kept ones."""
    planned = [
        StrengthSession(
            s.id,
            s.date,
            s.name,
            tuple(
                Item(
                    e.name,
                    e.load_class,
                    e.sets,
                    e.reps_min,
                    e.load_type,
                    e.load_value,
                    e.load_kg,
                    e.foot_contacts_per_rep,
                    one_rm_kg=e.one_rm_kg,
                )
                for e in s.exercises
            ),
            start_time=s.start_time,
            phase=s.phase,
        )
        for s in plan.sessions
    ]
    kept = [s for s in season.existing if s.id not in plan.replaced]
    ids = {s.id for s in planned}
    first = monday(season.start)
    return [
        f
        for f in evaluate([*kept, *planned], season.runs, season.thresholds, suggest=False)
        if f.code != "RUN_DISTANCE_SPIKE"
        and (first <= f.date <= plan.end or any(i in ids for i in f.session_ids))
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendars())
def test_any_accepted_calendar_gives_a_clean_plan_or_explained_exceptions(season):
    plan = plan_season(season)

    assert [f.key for f in plan.flags] == [f.key for f in _engine_flags(season, plan)]
    explained = {f.key for e in plan.exceptions for f in e.flags}
    serious = [f for f in plan.flags if f.severity in SERIOUS]
    assert {f.key for f in serious} <= explained
    planned = {s.id for s in plan.sessions}
    if not any(s.id not in plan.replaced for s in season.existing):
        # Nothing kept: every flag at warning or worse would be the plan's own doing.
        assert serious == []
    for f in serious:
        event(f"explained: {f.code}")
        assert not set(f.session_ids) <= planned or f.code == "LOAD_SPIKE"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendars(keeping=False))
def test_without_kept_sessions_nothing_is_flagged_at_warning_or_worse(season):
    plan = plan_season(season)

    assert [f for f in plan.flags if f.severity in SERIOUS] == []
    assert {e.reason for e in plan.exceptions} <= {"fewer_sessions"}
    assert all(not (s.heavy or s.plyometric) for s in plan.sessions if s.lightened)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendars())
def test_planned_sessions_keep_the_dates_spacing_and_weekly_limit(season):
    plan = plan_season(season)
    limits = season.thresholds
    kept = [s.date for s in season.existing if s.id not in plan.replaced]
    dates = sorted(s.date for s in plan.sessions)

    assert all(season.start <= d <= plan.end for d in dates)
    gap = max(1, limits.min_days_between)
    for d in dates:
        others = [o for o in [*dates, *kept] if o != d] + [o for o in kept if o == d]
        assert all(abs((d - o).days) >= gap for o in others)
    for week in plan.weeks:
        kept_here = sum(monday(d) == week.start for d in kept)
        assert len(week.sessions) + kept_here <= max(limits.max_per_week, kept_here)
        assert all(monday(s.date) == week.start for s in week.sessions)
