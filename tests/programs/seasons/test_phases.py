"""Phases laid backwards from A races: their order and lengths, the taper before A and B
races, recovery after races, deloads, and seasons too short for the full layout."""

import datetime
import itertools

import pytest

from programs.conflicts import Thresholds
from programs.seasons import Phase, plan_season
from programs.seasons.phases import allocate
from tests.programs.seasons.calendars import MON, day, race, request, weeks_of_runs

F, S, P, M = Phase.FOUNDATION, Phase.STRENGTH, Phase.POWER, Phase.MAINTENANCE
D, T, R = Phase.DELOAD, Phase.TAPER, Phase.RECOVERY


def phases(plan) -> list[str]:
    return [w.phase for w in plan.weeks]


def a_season(race_week: int, *extra, **fields):
    """USUAL_WEEK runs up to an A marathon on the Sunday of ``race_week``."""
    a = day(race_week, "sun")
    others = [r.date for r in extra]
    runs = [*weeks_of_runs(race_week + 1, skip={a, *others}), race(a, "A"), *extra]
    return plan_season(request(runs, **fields)), a


@pytest.mark.parametrize(
    ("length", "first", "before_a_race", "expected"),
    [
        # The first segment: foundation 4–6, strength 6–8, power 3–6, then maintenance.
        (13, True, True, [F] * 4 + [S] * 6 + [P] * 3),
        (14, True, True, [F] * 4 + [S] * 7 + [P] * 3),
        (16, True, True, [F] * 5 + [S] * 7 + [P] * 4),
        (20, True, True, [F] * 6 + [S] * 8 + [P] * 6),
        (26, True, True, [F] * 6 + [S] * 8 + [M] * 6 + [P] * 6),
        # Shorter: each shrinks in proportion (4 : 6 : 3), one foundation week at least.
        (12, True, True, [F] * 4 + [S] * 6 + [P] * 2),
        (8, True, True, [F] * 2 + [S] * 5 + [P]),
        (5, True, True, [F] * 2 + [S] * 2 + [P]),
        (2, True, True, [F, S]),
        (1, True, True, [F]),
        (0, True, True, []),
        # After an A race: no foundation; strength 6–8 and power 3–6 from 9 weeks.
        (9, False, True, [S] * 6 + [P] * 3),
        (19, False, True, [S] * 8 + [M] * 5 + [P] * 6),
        (8, False, True, [M] * 6 + [P] * 2),
        (2, False, True, [M] * 2),
        # After the last A race, the season goes on in maintenance.
        (5, False, False, [M] * 5),
        # No A race at all: the first segment's layout all the same.
        (13, True, False, [F] * 4 + [S] * 6 + [P] * 3),
    ],
)
def test_segment_lengths(length, first, before_a_race, expected):
    assert allocate(length, first=first, before_a_race=before_a_race) == expected


def test_a_16_week_build_to_an_a_marathon():
    plan, a = a_season(15)

    # 14 weeks before the taper: foundation 4, strength 7, power 3, each with its deload
    # after three loading weeks; the taper takes the race week and the week before (its
    # last 4 days are in the 10-day window).
    assert phases(plan) == [F, F, F, D, S, S, S, D, S, S, S, D, P, P, T, T]
    assert plan.end == a


def test_nothing_hard_in_the_a_taper_window_nor_on_race_day():
    plan, a = a_season(15)
    window = a - datetime.timedelta(days=Thresholds().taper_warning_days)

    tapering = [s for s in plan.sessions if window <= s.date <= a]
    assert tapering
    assert not any(s.heavy or s.plyometric for s in tapering)
    assert all(s.date != a for s in plan.sessions)
    assert {s.name for w in plan.weeks if w.phase == T for s in w.sessions} <= {
        "Short strength",
        "Light strength",
    }
    assert any(s.heavy or s.plyometric for s in plan.sessions if s.date < window)


def test_the_coachs_taper_window_sets_the_taper_length():
    plan, a = a_season(15, thresholds=Thresholds(taper_warning_days=7))

    # A 7-day window reaches one day into the week before: one taper week.
    assert phases(plan)[-2:] == [P, T]
    window = a - datetime.timedelta(days=7)
    assert not any(s.heavy or s.plyometric for s in plan.sessions if s.date >= window)


def test_a_b_race_gets_a_mini_taper_and_a_recovery_week():
    b = race(day(7, "sat"), "B", 21.1)
    plan, _a = a_season(15, b)
    limits = Thresholds()

    # Its 5-day window covers Monday to Saturday; a half marathon's 5 recovery days cover
    # Monday to Thursday of the week after.
    assert phases(plan)[7:9] == [T, R]
    days = limits.b_taper_warning_days
    window = [s for s in plan.sessions if 0 <= (b.date - s.date).days <= days]
    recovering = [s for s in plan.sessions if 1 <= (s.date - b.date).days <= 5]
    assert window
    assert recovering
    assert not any(s.heavy or s.plyometric for s in window + recovering)


def test_a_short_b_race_gets_no_recovery_week():
    b = race(day(7, "sat"), "B", 10)
    plan, _a = a_season(15, b)

    assert phases(plan)[7] == T
    assert phases(plan)[8] != R


def test_a_c_race_changes_no_phase_only_its_own_days():
    c = race(day(9, "sat"), "C", 21.1)
    without, _a = a_season(15)
    plan, _a = a_season(15, c)

    assert phases(plan) == phases(without)
    near = [s for s in plan.sessions if -1 <= (s.date - c.date).days <= 5]
    assert not any(s.heavy or s.plyometric for s in near)
    # No taper for it: hard work two days before it stays.
    assert any((s.heavy or s.plyometric) and (c.date - s.date).days == 2 for s in plan.sessions)


def test_recovery_after_an_a_race_then_maintenance_to_the_end():
    a = day(10, "sun")
    runs = [*weeks_of_runs(17, skip={a}), race(a, "A")]
    plan = plan_season(request(runs, end=day(16, "sun")))

    assert phases(plan)[9:] == [T, T, R, M, M, M, D, M]
    assert not any(s.heavy or s.plyometric for s in plan.sessions if 1 <= (s.date - a).days <= 10)


def test_a_second_a_race_builds_again_from_strength():
    a1, a2 = day(15, "sun"), day(35, "sun")
    runs = [*weeks_of_runs(36, skip={a1, a2}), race(a1, "A"), race(a2, "A")]
    plan = plan_season(request(runs))
    after = phases(plan)[17:]

    assert plan.end == a2
    assert phases(plan)[14:17] == [T, T, R]
    assert F not in after
    assert after[0] == S
    assert after[-3:] == [P, T, T]


@pytest.mark.parametrize(
    ("race_week", "expected"),
    [
        (0, [T]),
        (1, [T, T]),
        (2, [F, T, T]),
        (3, [F, S, T, T]),
        # Three loading weeks and then the taper: one more loading week than a deload.
        (5, [F, S, S, S, T, T]),
        (6, [F, F, S, D, P, T, T]),
    ],
)
def test_short_seasons(race_week, expected):
    plan, _a = a_season(race_week)

    assert phases(plan) == expected
    if F not in expected and S not in expected:
        assert not any(s.heavy or s.plyometric for s in plan.sessions)


@pytest.mark.parametrize("every", [3, 4, 6])
def test_a_deload_after_every_n_loading_weeks(every):
    plan = plan_season(request([], end=MON + datetime.timedelta(weeks=20, days=-1),
                               deload_every=every))  # fmt: skip
    loading, runs = 0, []
    for phase in phases(plan):
        if phase == D:
            runs.append(loading)
            loading = 0
        else:
            loading += 1

    assert runs
    assert set(runs) == {every}
    assert loading <= every


def test_a_deload_is_about_half_the_volume_at_the_same_load():
    plan = plan_season(request([], end=MON + datetime.timedelta(weeks=12, days=-1)))
    weeks = plan.weeks
    checked = 0
    for before, deload in itertools.pairwise(weeks):
        if deload.phase != D:
            continue
        total_before = sum(e.sets for s in before.sessions for e in s.exercises)
        total_deload = sum(e.sets for s in deload.sessions for e in s.exercises)
        assert 0.4 <= total_deload / total_before <= 0.65
        loads = {(e.slug, e.load_text) for s in deload.sessions for e in s.exercises}
        assert loads <= {(e.slug, e.load_text) for s in before.sessions for e in s.exercises}
        checked += 1
    assert checked >= 2
