"""Running volume per week: planned against done, in the athlete's own weeks."""

import datetime

import pytest
import time_machine

from programs.logbook.charts import planned_done_chart
from programs.logbook.running import last_week_running, weekly_running
from programs.models import Run
from programs.units import format_pace, local_today
from tests.factories import AthleteFactory, make_runs_for_a_year

TODAY = datetime.date(2026, 12, 18)  # a Friday
MONDAY = datetime.date(2026, 12, 14)
FIRST = MONDAY - datetime.timedelta(weeks=15)  # 31 Aug 2026


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 18, 12, tzinfo=datetime.UTC), tick=False):
        yield


def run(user, date, run_type="easy", **fields):
    return Run.objects.create(athlete=user.athlete_profile, date=date, run_type=run_type, **fields)


class TestWeeklyRunning:
    def test_sixteen_weeks_to_this_one_oldest_first(self, athlete):
        weeks = weekly_running(athlete.athlete_profile)

        assert len(weeks) == 16
        assert (weeks[0].start, weeks[-1].start) == (FIRST, MONDAY)
        assert all((w.planned_m, w.done_m) == (0, 0) for w in weeks)

    def test_planned_and_done_distance(self, athlete, other_athlete):
        run(athlete, MONDAY, distance_m=10_000, status="done", actual_distance_m=10_200)
        run(athlete, MONDAY, distance_m=8000, status="done")  # as planned
        run(athlete, MONDAY, distance_m=12_000, status="skipped")
        run(athlete, MONDAY, distance_m=6000)  # still to come
        run(athlete, MONDAY, status="done", source="activity", actual_distance_m=5000)
        run(athlete, MONDAY, "cross_training", distance_m=30_000, status="done")
        run(athlete, MONDAY, "rest", distance_m=1000)
        run(other_athlete, MONDAY, distance_m=50_000, status="done")

        this_week = weekly_running(athlete.athlete_profile)[-1]

        assert this_week.planned_m == 10_000 + 8000 + 12_000 + 6000
        assert this_week.done_m == 10_200 + 8000 + 5000

    def test_monday_to_sunday_weeks_at_the_edges(self, athlete):
        run(athlete, FIRST - datetime.timedelta(days=1), distance_m=1000, status="done")
        run(athlete, FIRST, distance_m=2000, status="done")
        run(athlete, MONDAY - datetime.timedelta(days=1), distance_m=3000, status="done")
        run(athlete, MONDAY + datetime.timedelta(days=6), distance_m=4000)
        run(athlete, MONDAY + datetime.timedelta(days=7), distance_m=5000)

        weeks = weekly_running(athlete.athlete_profile)

        assert (weeks[0].planned_m, weeks[0].done_m) == (2000, 2000)
        assert (weeks[-2].planned_m, weeks[-2].done_m) == (3000, 3000)
        assert (weeks[-1].planned_m, weeks[-1].done_m) == (4000, 0)
        assert sum(w.planned_m for w in weeks) == 9000

    def test_the_athletes_own_week(self, athlete):
        # Sunday 20 Dec, 20:00 in London, is already Monday 21 Dec in Auckland.
        athlete.time_zone = "Pacific/Auckland"
        athlete.save()
        run(athlete, datetime.date(2026, 12, 21), distance_m=7000, status="done")
        moment = datetime.datetime(2026, 12, 20, 20, tzinfo=datetime.UTC)

        with time_machine.travel(moment, tick=False):
            weeks = weekly_running(athlete.athlete_profile)

        assert weeks[-1].start == datetime.date(2026, 12, 21)
        assert weeks[-1].done_m == 7000

    def test_one_query_for_a_year(self, athlete, django_assert_num_queries):
        make_runs_for_a_year(athlete.athlete_profile, today=TODAY)
        with django_assert_num_queries(1):
            weeks = weekly_running(athlete.athlete_profile)
        assert all(w.done_m for w in weeks[:-1])


class TestLastWeekRunning:
    def test_each_athletes_week_before_their_own(self, athlete, other_athlete):
        kiwi = AthleteFactory(time_zone="Pacific/Auckland")
        run(athlete, datetime.date(2026, 12, 7), distance_m=10_000, status="done")
        run(athlete, datetime.date(2026, 12, 13), distance_m=9000, status="skipped")
        run(athlete, datetime.date(2026, 12, 14), distance_m=8000, status="done")  # this week
        run(kiwi, datetime.date(2026, 12, 13), distance_m=6000, status="done")  # 2 weeks ago
        run(kiwi, datetime.date(2026, 12, 20), distance_m=21_100, status="done")
        users = {user.athlete_profile.pk: user for user in (athlete, other_athlete, kiwi)}

        # Sunday 20 Dec, 20:00 in London, is already Monday 21 Dec in Auckland.
        with time_machine.travel(datetime.datetime(2026, 12, 20, 20, tzinfo=datetime.UTC)):
            weeks = last_week_running({pk: local_today(user) for pk, user in users.items()})

        ana, kia = weeks[athlete.athlete_profile.pk], weeks[kiwi.athlete_profile.pk]
        assert (ana.start, ana.planned_m, ana.done_m) == (
            datetime.date(2026, 12, 7),
            19_000,
            10_000,
        )
        assert (kia.start, kia.planned_m, kia.done_m) == (
            datetime.date(2026, 12, 14),
            21_100,
            21_100,
        )
        assert other_athlete.athlete_profile.pk not in weeks

    def test_one_query_for_many_athletes(self, db, django_assert_num_queries):
        users = [AthleteFactory(time_zone=zone) for zone in ("Europe/London", "Asia/Tokyo") * 5]
        for user in users:
            run(user, MONDAY - datetime.timedelta(days=3), distance_m=5000, status="done")

        with django_assert_num_queries(1):
            weeks = last_week_running({u.athlete_profile.pk: TODAY for u in users})

        assert {w.done_m for w in weeks.values()} == {5000}
        assert len(weeks) == 10


class TestPace:
    @pytest.mark.parametrize(
        ("metres", "seconds", "unit", "expected"),
        [
            (10_000, 3000, "km", "5:00 /km"),
            (10_200, 3060, "km", "5:00 /km"),
            (5000, 1650, "km", "5:30 /km"),
            (16_093, 4800, "mi", "8:00 /mi"),
            (1000, 4000, "km", "66:40 /km"),
            (None, 3000, "km", ""),
            (10_000, None, "km", ""),
            (0, 3000, "km", ""),
        ],
    )
    def test_time_per_km_or_mile(self, metres, seconds, unit, expected):
        assert format_pace(metres, seconds, unit) == expected


class TestPlannedDoneChart:
    def weeks(self):
        return [(FIRST + datetime.timedelta(weeks=n), float(n), float(n) + 0.5) for n in range(16)]

    def test_sixteen_weeks_with_their_figures_in_the_text_alternative(self):
        svg = planned_done_chart(self.weeks(), unit_label="km", title="Running", chart_id="run")

        assert svg.startswith("<svg")
        assert 'role="img" aria-labelledby="run-title run-desc"' in svg
        assert "style=" not in svg
        assert svg.count("<g><title>Week of") == 16
        assert "16 weeks from 31 Aug 2026, planned and done: 31 Aug: 0 planned, 0.5 done;" in svg
        assert "14 Dec: 15 planned, 15.5 done (km).</desc>" in svg
        assert "<title>Week of 14 Dec 2026: 15 km planned, 15.5 km done</title>" in svg
        # Every fourth Monday under the axis, the latest week's among them.
        assert all(label in svg for label in (">21 Sep<", ">19 Oct<", ">16 Nov<", ">14 Dec<"))
        assert ">7 Dec<" not in svg

    def test_a_week_without_running_draws_no_bar(self):
        weeks = [(FIRST, 0.0, 0.0), (MONDAY, 10.0, 0.0)]

        svg = planned_done_chart(weeks, unit_label="mi", title="Running")

        assert svg.count("<rect") == 2 + 1  # the legend's two, then one planned bar
        assert 'fill="none" stroke="#0d6efd" stroke-width="1"' in svg

    def test_nothing_at_all_still_draws_an_axis(self):
        svg = planned_done_chart([(FIRST, 0.0, 0.0)], unit_label="km", title="Running")

        assert "0 planned, 0 done" in svg

    def test_text_is_escaped(self):
        svg = planned_done_chart([(FIRST, 1.0, 1.0)], unit_label="<km>", title="A & B")

        assert "<km>" not in svg
        assert "A &amp; B" in svg
