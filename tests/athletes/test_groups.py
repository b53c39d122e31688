import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from athletes.models import AthleteGroup, Invitation
from athletes.services import parse_invitation_list
from tests.factories import AthleteFactory, link

ACCEPT = {
    "name": "Ivy Runner",
    "password1": "a-good-long-password",
    "password2": "a-good-long-password",
}


@pytest.fixture
def squad(coach):
    return AthleteGroup.objects.create(coach=coach, name="Marathon squad")


class TestParsing:
    def test_lines_in_the_shapes_coaches_paste(self):
        lines = parse_invitation_list(
            "ivy@example.com\n"
            "Jo Bloggs, JO@example.com\n"
            "Kim Lee, kim@example.com, High school XC\n"
            "\n"
            "not an email\n"
        )
        assert [(x.email, x.name, x.group, bool(x.error)) for x in lines] == [
            ("ivy@example.com", "", "", False),
            ("jo@example.com", "Jo Bloggs", "", False),
            ("kim@example.com", "Kim Lee", "High school XC", False),
            ("", "not an email", "", True),
        ]
        assert lines[3].line == 4

    def test_a_csv_with_a_header(self):
        lines = parse_invitation_list("name,group,email\nIvy,Squad,ivy@example.com\n")
        assert [(x.line, x.email, x.name, x.group) for x in lines] == [
            (2, "ivy@example.com", "Ivy", "Squad")
        ]


class TestInviteMany:
    def test_each_line_is_invited_with_its_group(
        self, coach, coach_client, squad, django_capture_on_commit_callbacks
    ):
        text = "ivy@example.com\nJo, jo@example.com, High school XC\nbroken line"
        with django_capture_on_commit_callbacks(execute=True):
            response = coach_client.post(
                "/coach/invitations/many/", {"text": text, "group": squad.pk}
            )
        html = response.content.decode()
        assert "2 of 3 invitations sent." in html
        assert "line 3: “broken line” is not an email address." in html
        assert len(mail.outbox) == 2
        groups = dict(Invitation.objects.values_list("email", "group__name"))
        assert groups == {"ivy@example.com": "Marathon squad", "jo@example.com": "High school XC"}
        assert AthleteGroup.objects.filter(coach=coach, name="High school XC").exists()

    def test_a_csv_file(self, coach_client, django_capture_on_commit_callbacks):
        upload = SimpleUploadedFile("squad.csv", b"email,name\nivy@example.com,Ivy\n")
        with django_capture_on_commit_callbacks(execute=True):
            coach_client.post("/coach/invitations/many/", {"file": upload})
        assert Invitation.objects.get().name == "Ivy"

    def test_an_athlete_already_coached_is_reported_not_invited(self, coach_client, athlete):
        response = coach_client.post("/coach/invitations/many/", {"text": athlete.email})
        assert "is already one of your athletes" in response.content.decode()
        assert not Invitation.objects.exists()

    def test_nothing_to_send(self, coach_client):
        response = coach_client.post("/coach/invitations/many/", {"text": "  "})
        assert "Paste some emails or choose a CSV file." in response.content.decode()

    def test_athletes_are_refused(self, athlete_client):
        assert athlete_client.post("/coach/invitations/many/", {"text": "a@b.c"}).status_code == 403


class TestResendAndAccept:
    def test_resend_sends_a_new_link_and_the_old_one_stops(
        self, coach_client, client, squad, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            coach_client.post(
                "/coach/invitations/", {"email": "ivy@example.com", "group": squad.pk}
            )
        first = re.search(r"/invite/[\w-]+/", mail.outbox[-1].body).group(0)
        invitation = Invitation.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            response = coach_client.post(f"/coach/invitations/{invitation.pk}/resend/", follow=True)
        assert "Sent again to ivy@example.com" in response.content.decode()
        second = re.search(r"/invite/[\w-]+/", mail.outbox[-1].body).group(0)
        assert first != second
        client.logout()
        assert client.get(first).status_code == 410
        response = client.post(second, ACCEPT)
        assert response.status_code == 302
        assert list(squad.athletes.values_list("user__email", flat=True)) == ["ivy@example.com"]

    def test_another_coachs_invitation_is_404(self, client, other_coach, coach_client):
        coach_client.post("/coach/invitations/", {"email": "ivy@example.com"})
        client.force_login(other_coach)
        pk = Invitation.objects.get().pk
        assert client.post(f"/coach/invitations/{pk}/resend/").status_code == 404


class TestGroups:
    def test_make_a_group_and_pick_its_athletes(self, coach_client, coach, athlete):
        response = coach_client.post("/coach/groups/", {"name": "Marathon squad"})
        group = AthleteGroup.objects.get(coach=coach)
        assert response.url == f"/coach/groups/{group.pk}/"
        coach_client.post(
            f"/coach/groups/{group.pk}/",
            {"name": "Marathon squad A", "athletes": [athlete.athlete_profile.pk]},
        )
        group.refresh_from_db()
        assert group.name == "Marathon squad A"
        assert list(group.athletes.all()) == [athlete.athlete_profile]

    def test_names_are_unique_per_coach(self, coach_client, squad):
        response = coach_client.post("/coach/groups/", {"name": "marathon SQUAD"})
        assert "You already have a group with this name." in response.content.decode()

    def test_only_my_athletes_can_join(self, coach_client, squad, other_athlete):
        coach_client.post(
            f"/coach/groups/{squad.pk}/",
            {"name": squad.name, "athletes": [other_athlete.athlete_profile.pk]},
        )
        assert not squad.athletes.exists()

    def test_delete_keeps_the_athletes(self, coach_client, squad, athlete):
        squad.athletes.add(athlete.athlete_profile)
        coach_client.post(f"/coach/groups/{squad.pk}/delete/")
        assert not AthleteGroup.objects.exists()
        assert athlete.athlete_profile.coaching_links.exists()

    @pytest.mark.parametrize("path", ["/coach/groups/{pk}/", "/coach/groups/{pk}/delete/"])
    def test_another_coach_gets_404(self, client, other_coach, squad, path):
        client.force_login(other_coach)
        assert client.post(path.format(pk=squad.pk), {"name": "x"}).status_code == 404
        assert AthleteGroup.objects.get().name == "Marathon squad"

    def test_athletes_are_refused(self, athlete_client):
        assert athlete_client.get("/coach/groups/").status_code == 403


def test_assign_a_block_to_all_of_a_group(coach, coach_client, squad, athlete):
    from programs.models import Assignment
    from tests.factories import ExerciseFactory, make_block

    others = [AthleteFactory() for _ in range(2)]
    for other in others:
        link(coach, other)
        squad.athletes.add(other.athlete_profile)
    block = make_block(coach, [ExerciseFactory()], weeks=1, sessions=2)
    start = datetime.date.today() + datetime.timedelta(days=7)
    coach_client.post(
        f"/blocks/{block.pk}/assign/",
        {"group": squad.pk, "start": start.isoformat(), "weekdays": ["1", "4"], "confirm": "1"},
    )
    assigned = set(Assignment.objects.values_list("athlete__user__email", flat=True))
    assert assigned == {o.email for o in others}


def test_a_bad_group_name_fails_its_line_only(coach, coach_client):
    text = f"ivy@example.com, Ivy, {'x' * 81}\njo@example.com"
    response = coach_client.post("/coach/invitations/many/", {"text": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 of 2 invitations sent." in html
    assert list(Invitation.objects.values_list("email", flat=True)) == ["jo@example.com"]
    assert not AthleteGroup.objects.exists()


def test_unreadable_text_is_explained(coach_client):
    response = coach_client.post("/coach/invitations/many/", {"text": "a" * 140_000})
    assert response.status_code == 200
    assert "cannot be read" in response.content.decode()
