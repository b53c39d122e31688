"""The coach's page on one athlete: flags, this week, latest logs, pain, 1RMs, progress."""

import pytest
from django.core.management import call_command

from athletes.models import User
from tests.factories import CoachFactory


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    return User.objects.get(email="coach@example.com")


def test_the_demo_athlete_page_has_everything(client, demo, django_assert_max_num_queries):
    client.force_login(demo)
    chloe = User.objects.get(email="chloe@example.com").athlete_profile
    with django_assert_max_num_queries(40):
        response = client.get(f"/coach/athletes/{chloe.pk}/")
    html = response.content.decode()
    assert "HEAVY_BEFORE_LONG_RUN" in html
    assert "This week" in html
    assert "Latest sessions" in html
    assert "Calf 3/10" in html
    assert "Tight left calf" in html
    assert 'role="img"' in html  # the e1RM chart
    assert "Spring marathon block" in html


def test_queries_do_not_grow_with_history(client, demo, django_assert_max_num_queries):
    from programs.models import SetLog

    client.force_login(demo)
    ana = User.objects.get(email="ana@example.com").athlete_profile
    ben = User.objects.get(email="ben@example.com").athlete_profile
    assert SetLog.objects.filter(athlete=ana).exists()
    with django_assert_max_num_queries(40) as one:
        client.get(f"/coach/athletes/{ana.pk}/")
    with django_assert_max_num_queries(len(one)):
        client.get(f"/coach/athletes/{ben.pk}/")


def test_another_coach_gets_404(client, demo):
    chloe = User.objects.get(email="chloe@example.com").athlete_profile
    client.force_login(CoachFactory())
    assert client.get(f"/coach/athletes/{chloe.pk}/").status_code == 404
