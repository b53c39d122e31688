from io import StringIO

from django.core.management import call_command
from django.test import Client

from athletes.models import CoachingLink, User


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_the_demo_people_and_prints_the_logins(db):
    output = seed()

    assert set(User.objects.values_list("email", flat=True)) == {
        "coach@example.com",
        "ana@example.com",
        "ben@example.com",
        "chloe@example.com",
        "curator@example.com",
    }
    coach = User.objects.get(email="coach@example.com")
    assert coach.is_coach
    assert CoachingLink.objects.active().filter(coach=coach).count() == 3
    assert User.objects.get(email="curator@example.com").is_staff
    for email in ("coach@example.com", "ana@example.com", "curator@example.com"):
        assert email in output
    assert "runstrong-demo" in output


def test_seed_demo_twice_changes_nothing(db):
    seed()
    before = {
        "users": list(User.objects.order_by("pk").values()),
        "links": list(CoachingLink.objects.order_by("pk").values()),
    }

    output = seed()

    after = {
        "users": list(User.objects.order_by("pk").values()),
        "links": list(CoachingLink.objects.order_by("pk").values()),
    }
    assert after == before
    assert "nothing changed" in output


def test_demo_logins_work(db):
    seed()

    for email, home in [
        ("coach@example.com", "/coach/"),
        ("ben@example.com", "/athlete/"),
        ("curator@example.com", "/admin/"),
    ]:
        client = Client()
        response = client.post("/login/", {"username": email, "password": "runstrong-demo"})
        assert response.status_code == 302, email
        assert client.get("/")["Location"] == home
        assert client.get(home).status_code == 200


def test_make_run_setup_gives_the_demo_coach_the_library_and_the_curator_its_admin(db):
    call_command("load_library", stdout=StringIO())
    seed()
    coach, curator = Client(), Client()
    coach.post("/login/", {"username": "coach@example.com", "password": "runstrong-demo"})
    curator.post("/login/", {"username": "curator@example.com", "password": "runstrong-demo"})

    library = coach.get("/library/")
    admin = curator.get("/admin/library/exercise/", {"q": "rdl"})

    assert library.context["page"].paginator.count >= 60
    assert admin.status_code == 200
    assert b"Romanian deadlift" in admin.content


def test_the_demo_coach_has_two_blocks_built_from_the_templates(db):
    from programs.models import Block

    seed()
    seed()

    blocks = Block.objects.filter(
        owner__email="coach@example.com", is_template=False, created_from__isnull=False
    )
    assert blocks.count() == 2
    assert all(b.created_from.is_builtin for b in blocks)
    assert Block.objects.filter(is_template=True, owner__isnull=True).count() == 4


def test_demo_athletes_have_a_marathon_plan_and_a_block(db):
    import datetime

    from programs.models import Assignment, Run, ScheduledSession

    seed()
    ana = User.objects.get(email="ana@example.com").athlete_profile
    runs = Run.objects.filter(athlete=ana)
    dates = sorted(runs.values_list("date", flat=True))
    assert (dates[-1] - dates[0]).days == 16 * 7 - 1
    race = runs.get(race_priority="A")
    assert (race.run_type, race.distance_m, race.date) == ("race", 42200, dates[-1])
    assert runs.filter(run_type="long").count() == 14
    assert max(runs.filter(run_type="long").values_list("distance_m", flat=True)) == 32000
    assignment = Assignment.objects.get(athlete=ana, block_name="Spring marathon block")
    assert assignment.start_date == dates[0]
    taper = Assignment.objects.get(athlete=ana, block_name="Pre-race taper (10 days)")
    assert taper.start_date == dates[0] + datetime.timedelta(weeks=14)
    sessions = ScheduledSession.objects.filter(athlete=ana)
    assert sessions.count() == 24 + 4
    assert {s.date.isoweekday() for s in sessions} == {1, 4}
    assert any(s.date >= datetime.date.today() for s in sessions)

    before = (Run.objects.count(), ScheduledSession.objects.count())
    seed()
    assert (Run.objects.count(), ScheduledSession.objects.count()) == before


def test_demo_plans_raise_real_flags(db):
    from programs.models import Flag

    seed()
    codes = {
        email: set(Flag.objects.filter(athlete__user__email=email).values_list("code", flat=True))
        for email in ("ana@example.com", "ben@example.com", "chloe@example.com")
    }
    assert "HEAVY_BEFORE_LONG_RUN" in codes["chloe@example.com"]
    assert "HEAVY_BEFORE_KEY_RUN" in codes["ana@example.com"]
    assert "HEAVY_IN_TAPER" in codes["ben@example.com"]
    assert "HEAVY_BEFORE_LONG_RUN" not in codes["ben@example.com"]


def test_demo_athletes_have_weeks_of_logs_records_and_a_pain_note(db):
    from programs.models import PainNote, ScheduledSession, SetLog

    seed()
    ana = User.objects.get(email="ana@example.com").athlete_profile
    done = ScheduledSession.objects.filter(athlete=ana, status="done")
    assert done.count() >= 10
    assert len({s.date.isocalendar().week for s in done}) >= 5
    squats = SetLog.objects.filter(athlete=ana, exercise__slug="goblet-squat").order_by(
        "performed_on"
    )
    loads = [log.load_kg for log in squats]
    assert loads[-1] > loads[0], "the squat went up: the last session set a record"
    pain = PainNote.objects.get()
    assert (pain.athlete.user.email, pain.area, pain.score) == ("chloe@example.com", "calf", 3)
    skipped = ScheduledSession.objects.get(status="skipped")
    assert (skipped.athlete.user.email, skipped.skip_reason) == (
        "ben@example.com",
        "Travelling for work",
    )
    before = SetLog.objects.count()
    seed()
    assert SetLog.objects.count() == before


def test_ben_has_an_autumn_season_planned_around_his_runs_and_applied(db):
    import datetime

    from programs.models import Assignment, Flag, Run, ScheduledSession

    seed()
    ben = User.objects.get(email="ben@example.com").athlete_profile
    marathon = Run.objects.get(athlete=ben, title="Spring Marathon")
    season = Assignment.objects.get(athlete=ben, start_date__gt=marathon.date)
    assert season.start_date == marathon.date + datetime.timedelta(days=1)
    assert season.block.owner.email == "coach@example.com"
    race = Run.objects.get(athlete=ben, race_priority="A", date__gt=marathon.date)
    assert race.title == "Autumn Half Marathon"
    sessions = ScheduledSession.objects.filter(assignment=season)
    assert sessions.count() >= 12
    assert max(sessions.values_list("date", flat=True)) <= race.date
    assert {"recovery", "taper"} <= set(season.block.weeks.values_list("phase", flat=True))
    flagged = Flag.objects.filter(athlete=ben, date__gte=season.start_date)
    assert not flagged.filter(severity__in=["warning", "critical"]).exists()

    before = (Run.objects.count(), ScheduledSession.objects.count(), Assignment.objects.count())
    output = seed()
    after = (Run.objects.count(), ScheduledSession.objects.count(), Assignment.objects.count())
    assert after == before
    assert "nothing changed" in output
