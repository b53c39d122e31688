"""A person's data rights from the account page: download everything as a zip, and delete
the account with everything that is only theirs."""

import datetime
import io
import json
import uuid
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from athletes.models import AthleteGroup, AthleteProfile, CoachingLink, Invitation, User
from library.models import Exercise
from programs.models import (
    Assignment,
    Block,
    Flag,
    OneRepMax,
    PainNote,
    Run,
    ScheduledSession,
    SessionComment,
    SetLog,
)
from programs.schedule import services
from tests.factories import PASSWORD, ExerciseFactory, make_block

DOWNLOAD = reverse("account_data:download")
DELETE = reverse("account_data:delete")
MONDAY = datetime.date(2026, 11, 2)


@pytest.fixture
def squat(db):
    return ExerciseFactory(name="Back squat")


def give_history(coach: User, user: User, exercise: Exercise, *, tag: str) -> Block:
    """A block from ``coach`` assigned to ``user``, with one logged set, a run, a pain
    note, a flag, a 1RM, a coach's comment and the invitation they accepted; every text
    carries ``tag`` so a file can be searched for whose data it holds."""
    profile = user.athlete_profile
    block = make_block(coach, [exercise], name=f"{tag} block", weeks=1, sessions=1)
    services.assignment_create(
        block=block, athletes=[profile], start=MONDAY, weekdays=[1], assigned_by=coach
    )
    session = ScheduledSession.objects.get(athlete=profile)
    session.notes = f"{tag} felt strong"
    session.save()
    rx = session.prescriptions.get()
    SetLog.objects.create(
        id=uuid.uuid4(),
        athlete=profile,
        session=session,
        prescription=rx,
        exercise=exercise,
        set_number=1,
        reps=10,
        load_kg=Decimal(40),
        performed_on=session.date,
        logged_at=timezone.now(),
    )
    PainNote.objects.create(
        athlete=profile, session=session, date=MONDAY, area="knee", score=3, note=f"{tag} knee"
    )
    Flag.objects.create(
        athlete=profile,
        code="HEAVY_BEFORE_LONG_RUN",
        severity="warning",
        date=MONDAY,
        message=f"{tag} heavy legs before the long run",
        fingerprint=uuid.uuid4().hex,
    )
    OneRepMax.objects.create(athlete=profile, exercise=exercise, kg=Decimal(100))
    Run.objects.create(
        athlete=profile, date=MONDAY, run_type="tempo", distance_m=10000, notes=f"{tag} tempo"
    )
    SessionComment.objects.create(session=session, author=coach, text=f"{tag} good depth")
    now = timezone.now()
    Invitation.objects.create(
        coach=coach,
        email=user.email,
        name=user.name,
        token_hash=uuid.uuid4().hex,
        expires_at=now + datetime.timedelta(days=14),
        accepted_at=now,
        accepted_by=user,
    )
    return block


@pytest.fixture
def histories(coach, athlete, other_coach, other_athlete, squat):
    return {
        "ana": give_history(coach, athlete, squat, tag="Ana-secret"),
        "oscar": give_history(other_coach, other_athlete, squat, tag="Oscar-secret"),
    }


def unzip(response) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def rows_of(profile: AthleteProfile) -> dict[str, int]:
    return {
        "set logs": SetLog.objects.filter(athlete=profile).count(),
        "pain notes": PainNote.objects.filter(athlete=profile).count(),
        "flags": Flag.objects.filter(athlete=profile).count(),
        "1RMs": OneRepMax.objects.filter(athlete=profile).count(),
        "sessions": ScheduledSession.objects.filter(athlete=profile).count(),
        "assignments": Assignment.objects.filter(athlete=profile).count(),
        "runs": Run.objects.filter(athlete=profile).count(),
        "links": CoachingLink.objects.filter(athlete=profile).count(),
    }


class TestDownload:
    def test_the_account_page_offers_both(self, athlete_client):
        html = athlete_client.get(reverse("account")).content.decode()
        assert f'href="{DOWNLOAD}"' in html
        assert f'href="{DELETE}"' in html

    def test_the_zip_holds_the_athletes_data_and_nobody_elses(
        self, athlete_client, athlete, histories
    ):
        response = athlete_client.get(DOWNLOAD)

        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"
        assert response["Content-Disposition"].startswith("attachment; filename=")
        files = unzip(response)
        assert set(files) == {
            "README.txt",
            "profile.json",
            "runs.csv",
            "runs-plan.csv",
            "strength_sessions.csv",
            "strength_log.csv",
            "pain_notes.csv",
            "one_rep_maxes.csv",
            "coach_comments.csv",
            "flags.json",
        }
        profile = json.loads(files["profile.json"])
        assert profile["account"]["email"] == "ana@example.com"
        assert profile["coaches"][0]["coach"] == "Casey Coach"
        assert profile["invitations_received"][0]["from"] == "Casey Coach"
        assert "Ana-secret tempo" in files["runs.csv"]
        assert "Ana-secret tempo" in files["runs-plan.csv"]
        assert "Ana-secret felt strong" in files["strength_sessions.csv"]
        assert "Back squat,1,10,40" in files["strength_log.csv"]
        assert "Ana-secret knee" in files["pain_notes.csv"]
        assert "Back squat,100" in files["one_rep_maxes.csv"]
        assert "Ana-secret good depth" in files["coach_comments.csv"]
        assert json.loads(files["flags.json"])[0]["message"].startswith("Ana-secret")
        everything = "".join(files.values())
        assert "Oscar" not in everything
        assert "oscar@example.com" not in everything

    def test_a_coach_gets_their_own_blocks_as_block_files(self, client, coach, histories):
        client.force_login(coach)
        files = unzip(client.get(DOWNLOAD))

        block_files = [name for name in files if name.startswith("blocks/")]
        assert len(block_files) == 1
        assert json.loads(files[block_files[0]])["name"] == "Ana-secret block"
        assert "runs.csv" not in files  # a coach only, no athlete profile
        profile = json.loads(files["profile.json"])
        assert profile["athlete"] is None
        assert [a["athlete"] for a in profile["athletes_coached"]] == ["Ana Athlete"]
        assert "Oscar" not in "".join(files.values())

    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(DOWNLOAD)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_post_is_not_allowed(self, athlete_client):
        assert athlete_client.post(DOWNLOAD).status_code == 405


class TestDelete:
    def test_the_page_says_what_goes_and_asks_for_the_password(self, athlete_client):
        response = athlete_client.get(DELETE)
        assert response.status_code == 200
        html = response.content.decode()
        assert "your runs, your strength sessions" in html
        assert 'name="password"' in html

    def test_a_wrong_password_deletes_nothing(self, athlete_client, athlete, histories):
        before = rows_of(athlete.athlete_profile)

        response = athlete_client.post(DELETE, {"password": "not-my-password"})

        assert response.status_code == 200
        assert "That is not your password" in response.content.decode()
        assert User.objects.filter(pk=athlete.pk).exists()
        assert rows_of(athlete.athlete_profile) == before
        assert athlete_client.get(reverse("account")).status_code == 200

    def test_no_password_deletes_nothing(self, athlete_client, athlete, histories):
        assert athlete_client.post(DELETE).status_code == 200
        assert User.objects.filter(pk=athlete.pk).exists()

    def test_deleting_removes_everything_of_the_athlete_and_signs_out(
        self, athlete_client, athlete, coach, other_athlete, histories
    ):
        profile = athlete.athlete_profile
        others_before = rows_of(other_athlete.athlete_profile)

        response = athlete_client.post(DELETE, {"password": PASSWORD}, follow=True)

        assert response.redirect_chain == [(reverse("home"), 302)]
        assert "Your account and your data are deleted" in response.content.decode()
        assert SESSION_KEY not in athlete_client.session
        assert not User.objects.filter(pk=athlete.pk).exists()
        assert not AthleteProfile.objects.filter(pk=profile.pk).exists()
        assert set(rows_of(profile).values()) == {0}
        assert not SessionComment.objects.filter(text__startswith="Ana-secret").exists()
        assert not Invitation.objects.filter(email__iexact="ana@example.com").exists()
        # Everyone else's data is where it was; the coach keeps their block.
        assert rows_of(other_athlete.athlete_profile) == others_before
        assert Block.objects.filter(pk=histories["ana"].pk, owner=coach).exists()
        assert User.objects.filter(pk=coach.pk).exists()
        assert athlete_client.get(reverse("account")).status_code == 302

    def test_a_coach_deleting_leaves_their_athletes_history(
        self, client, coach, athlete, histories
    ):
        proposal = ExerciseFactory(name="Coach's hop", status="draft", proposed_by=coach)
        group = AthleteGroup.objects.create(coach=coach, name="Squad")
        group.athletes.add(athlete.athlete_profile)
        before = rows_of(athlete.athlete_profile)
        client.force_login(coach)

        response = client.post(DELETE, {"password": PASSWORD})

        assert response.status_code == 302
        assert not User.objects.filter(pk=coach.pk).exists()
        assert not Block.objects.filter(pk=histories["ana"].pk).exists()
        assert not AthleteGroup.objects.filter(pk=group.pk).exists()
        # Ana keeps what she was given and did; only the link to the coach goes.
        after = rows_of(athlete.athlete_profile)
        assert after == {**before, "links": 0}
        assert Assignment.objects.get(athlete=athlete.athlete_profile).block is None
        comment = SessionComment.objects.get(text="Ana-secret good depth")
        assert comment.author is None
        proposal.refresh_from_db()
        assert proposal.proposed_by is None

    def test_anonymous_is_sent_to_sign_in(self, client):
        for response in (client.get(DELETE), client.post(DELETE, {"password": PASSWORD})):
            assert response.status_code == 302
            assert response.url.startswith(reverse("login"))

    def test_other_methods_are_not_allowed(self, athlete_client):
        assert athlete_client.put(DELETE).status_code == 405
        assert athlete_client.delete(DELETE).status_code == 405
