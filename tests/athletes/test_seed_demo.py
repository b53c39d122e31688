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

    blocks = Block.objects.filter(owner__email="coach@example.com", is_template=False)
    assert blocks.count() == 2
    assert all(b.created_from and b.created_from.is_builtin for b in blocks)
    assert Block.objects.filter(is_template=True, owner__isnull=True).count() == 4
