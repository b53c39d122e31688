import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from programs.logbook import logexport
from programs.logbook.comments import session_comment_add
from programs.models import (
    OneRepMax,
    PainNote,
    ScheduledPrescription,
    ScheduledSession,
    SessionComment,
    SetLog,
)
from programs.schedule import services
from tests.factories import AthleteFactory, CoachFactory, ExerciseFactory, link, make_block

HTMX = {"HX-Request": "true"}
MONDAY = datetime.date(2026, 11, 2)
HEADER = ["date", "session", "exercise", "set", "reps", "load", "unit", "rpe"]
HEADER += ["duration_s", "planned", "status"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 8, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def squat(db):
    return ExerciseFactory(name="Back squat")


def assign(coach, athlete_user, exercises, **block_options):
    block_options.setdefault("dose", {"reps_min": 5, "load_type": "kg", "load_value": 60})
    [assignment] = services.assignment_create(
        block=make_block(coach, exercises, **block_options),
        athletes=[athlete_user.athlete_profile],
        start=MONDAY,
        weekdays=[1, 4],
        assigned_by=coach,
    )
    return list(
        ScheduledSession.objects.filter(assignment=assignment)
        .with_prescriptions()
        .order_by("date", "pk")
    )


def log_set(session, prescription, number, *, reps=5, kg="60", **fields):
    return SetLog.objects.create(
        athlete=session.athlete,
        session=session,
        prescription=prescription,
        exercise=fields.pop("exercise", None) or prescription.exercise,
        set_number=number,
        reps=reps,
        load_kg=None if kg is None else Decimal(kg),
        performed_on=session.date,
        logged_at=timezone.now(),
        **fields,
    )


def log_as_planned(session):
    for prescription in session.prescriptions.all():
        for number in range(1, prescription.sets + 1):
            log_set(session, prescription, number, rpe=Decimal(8))
    ScheduledSession.objects.filter(pk=session.pk).update(status="done")


def skip(session, reason="Sore calves"):
    ScheduledSession.objects.filter(pk=session.pk).update(status="skipped", skip_reason=reason)


@pytest.fixture
def history(coach, athlete, squat):
    """Four sessions: done as planned, changed, skipped, and one still planned."""
    done, changed, skipped, planned = assign(coach, athlete, [squat], weeks=2)
    log_as_planned(done)
    rx = changed.prescriptions.get()
    log_set(changed, rx, 1)
    log_set(changed, rx, 2, kg="65", rpe=Decimal("9.5"))
    skip(skipped)
    return done, changed, skipped, planned


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content)))


class TestAthleteLogs:
    def url(self, athlete):
        return reverse("logs:athlete", args=[athlete.athlete_profile.pk])

    def test_sessions_against_their_prescription_newest_first(self, coach_client, athlete, history):
        done, changed, skipped, planned = history
        response = coach_client.get(self.url(athlete))
        assert response.status_code == 200
        html = response.content.decode()
        positions = [html.index(f'id="session-{s.pk}"') for s in (skipped, changed, done)]
        assert positions == sorted(positions)
        assert f'id="session-{planned.pk}"' not in html
        assert "3×5 @ 60 kg" in html
        assert "5 × 60 kg @ RPE 8" in html
        assert "2 of 3 sets, load" in html
        assert "5 × 65 kg @ RPE 9.5" in html
        assert "Skipped: Sore calves" in html

    def test_loads_in_the_coachs_unit(self, coach, coach_client, athlete, history):
        coach.weight_unit = "lb"
        coach.save()
        html = coach_client.get(self.url(athlete)).content.decode()
        assert "3×5 @ 130 lb" in html
        assert "5 × 132.3 lb" in html

    def test_a_swapped_exercise_shows_what_it_replaced(self, coach, coach_client, athlete, squat):
        [session, *_] = assign(coach, athlete, [squat], weeks=1)
        rx = session.prescriptions.get()
        split_squat = ExerciseFactory(name="Split squat")
        ScheduledPrescription.objects.filter(pk=rx.pk).update(
            exercise=split_squat, swapped_from=squat
        )
        rx.refresh_from_db()
        for number in (1, 2, 3):
            log_set(session, rx, number)
        html = coach_client.get(self.url(athlete)).content.decode()
        assert "swapped from Back squat" in html
        assert "Split squat" in html
        assert ">changed<" in html

    def test_notes_rpe_pain_and_comments(self, coach, coach_client, athlete, history):
        done = history[0]
        ScheduledSession.objects.filter(pk=done.pk).update(rpe=7, notes="Felt strong")
        PainNote.objects.create(
            athlete=done.athlete, session=done, date=done.date, area="knee", score=6, note="Sharp"
        )
        SessionComment.objects.create(session=done, author=coach, text="Great depth")
        html = coach_client.get(self.url(athlete)).content.decode()
        assert "Session RPE 7" in html
        assert "Felt strong" in html
        assert "Knee 6/10 · Sharp" in html
        assert "Great depth" in html
        assert reverse("logs:comment", args=[done.pk]) in html

    def test_pages_of_twenty(self, coach, coach_client, athlete, squat):
        for session in assign(coach, athlete, [squat], weeks=13):
            skip(session)
        first = coach_client.get(self.url(athlete)).content.decode()
        second = coach_client.get(self.url(athlete), {"page": 2}).content.decode()
        assert first.count('<article class="card') == 20
        assert second.count('<article class="card') == 6
        assert "Page 2 of 2" in second

    def test_queries_do_not_grow_with_the_history(
        self, coach, coach_client, athlete, squat, django_assert_max_num_queries
    ):
        [first, *_] = assign(coach, athlete, [squat], weeks=1, sessions=1)
        log_set(first, first.prescriptions.get(), 1)
        with django_assert_max_num_queries(12) as small:
            coach_client.get(self.url(athlete))
        sessions = assign(
            coach, athlete, [ExerciseFactory() for _ in range(4)], name="Big", weeks=12
        )
        OneRepMax.objects.create(athlete=first.athlete, exercise=squat, kg=Decimal(100))
        for session in sessions:
            log_as_planned(session)
            PainNote.objects.create(
                athlete=session.athlete, session=session, date=session.date, area="calf", score=2
            )
            SessionComment.objects.create(session=session, author=coach, text="Nice")
        with django_assert_max_num_queries(len(small)):
            html = coach_client.get(self.url(athlete)).content.decode()
        assert html.count("Calf 2/10") == 20

    def test_another_coachs_athlete_is_not_found(self, coach_client, other_athlete):
        assert coach_client.get(self.url(other_athlete)).status_code == 404

    def test_athletes_are_refused(self, athlete_client, athlete):
        assert athlete_client.get(self.url(athlete)).status_code == 403

    def test_anonymous_goes_to_sign_in(self, client, athlete):
        response = client.get(self.url(athlete))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_post_is_not_allowed(self, coach_client, athlete):
        assert coach_client.post(self.url(athlete)).status_code == 405


class TestSessionComment:
    @pytest.fixture
    def session(self, history):
        return history[0]

    def url(self, session):
        return reverse("logs:comment", args=[session.pk])

    def test_plain_post_adds_it_and_goes_back(self, coach, coach_client, athlete, session):
        back = f"{reverse('logs:athlete', args=[session.athlete_id])}?page=1#session-{session.pk}"
        response = coach_client.post(
            self.url(session), {"text": "  Deeper next time ", "next": back}
        )
        assert response.status_code == 302
        assert response.url == back
        comment = SessionComment.objects.get()
        assert (comment.session, comment.author, comment.text) == (
            session,
            coach,
            "Deeper next time",
        )

    def test_a_foreign_next_falls_back_to_the_log_page(self, coach_client, session):
        response = coach_client.post(
            self.url(session), {"text": "Good", "next": "https://evil.example.com/"}
        )
        assert response.url == (
            f"{reverse('logs:athlete', args=[session.athlete_id])}#session-{session.pk}"
        )

    def test_htmx_answers_with_the_comments_fragment(self, coach, coach_client, session):
        SessionComment.objects.create(session=session, author=coach, text="First")
        response = coach_client.post(self.url(session), {"text": "Second"}, headers=HTMX)
        assert response.status_code == 200
        html = response.content.decode()
        assert "<html" not in html
        assert html.strip().startswith(f'<section id="comments-{session.pk}"')
        assert html.index("First") < html.index("Second")
        assert "Comment added." in html

    @pytest.mark.parametrize(
        ("text", "problem"),
        [("   ", "Write a comment first."), ("x" * 2001, "at most 2000 characters")],
    )
    def test_empty_or_too_long_is_refused(self, coach_client, session, text, problem):
        response = coach_client.post(self.url(session), {"text": text}, headers=HTMX)
        assert response.status_code == 200
        assert problem in response.content.decode()
        assert "is-invalid" in response.content.decode()
        response = coach_client.post(self.url(session), {"text": text}, follow=True)
        assert problem in response.content.decode()
        assert not SessionComment.objects.exists()

    def test_2000_characters_is_fine(self, coach_client, session):
        coach_client.post(self.url(session), {"text": "x" * 2000})
        assert len(SessionComment.objects.get().text) == 2000

    def test_another_coachs_session_is_not_found(self, other_coach, other_athlete, squat, client):
        [session, *_] = assign(other_coach, other_athlete, [squat], weeks=1)
        client.force_login(CoachFactory())
        assert client.post(self.url(session), {"text": "Hi"}).status_code == 404
        assert not SessionComment.objects.exists()

    def test_a_coachs_own_sessions_as_an_athlete_are_not_theirs_to_comment(self, client, squat):
        person = AthleteFactory(is_coach=True)
        link(CoachFactory(), person)
        [session, *_] = assign(person, person, [squat], weeks=1)
        client.force_login(person)
        assert client.post(self.url(session), {"text": "Hi"}).status_code == 404

    def test_athletes_are_refused(self, athlete_client, session):
        assert athlete_client.post(self.url(session), {"text": "Hi"}).status_code == 403

    def test_anonymous_goes_to_sign_in(self, client, session):
        response = client.post(self.url(session), {"text": "Hi"})
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert not SessionComment.objects.exists()

    def test_get_is_not_allowed(self, coach_client, session):
        assert coach_client.get(self.url(session)).status_code == 405

    def test_the_athletes_fragment_is_read_only(self, rf, athlete, coach, session):
        SessionComment.objects.create(session=session, author=coach, text="Well done")
        request = rf.get("/")
        request.user = athlete
        html = render_to_string(
            "programs/partials/session_comments.html",
            {"session": session, "comments": session.comments.all(), "can_comment": False},
            request=request,
        )
        assert "Well done" in html
        assert "Casey Coach" in html
        assert "<form" not in html


class TestSessionCommentAdd:
    def test_stores_the_stripped_text(self, coach, history):
        comment = session_comment_add(session=history[0], author=coach, text="\n Nice \n")
        assert comment.pk is not None
        assert comment.text == "Nice"

    @pytest.mark.parametrize(
        ("text", "code"), [("", "empty"), ("y" * 2001, "too_long"), ("a\x00b", "nul")]
    )
    def test_refuses_with_a_code(self, coach, history, text, code):
        with pytest.raises(ValidationError) as caught:
            session_comment_add(session=history[0], author=coach, text=text)
        assert caught.value.code == code


class TestExport:
    def test_the_athlete_downloads_every_log(self, athlete_client, history):
        done, changed, skipped, _ = history
        response = athlete_client.get(reverse("logs:export"))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            'attachment; filename="runstrong-logs-ana-athlete.csv"'
        )
        rows = read_csv(response)
        assert rows[0] == HEADER
        day = done.date.isoformat()
        assert rows[1:4] == [
            [
                day,
                "Session A",
                "Back squat",
                str(n),
                "5",
                "60",
                "kg",
                "8",
                "",
                "3×5 @ 60 kg",
                "done",
            ]
            for n in (1, 2, 3)
        ]
        day = changed.date.isoformat()
        assert rows[4:6] == [
            [day, "Session B", "Back squat", "1", "5", "60", "kg", "", "", "3×5 @ 60 kg", "done"],
            [
                day,
                "Session B",
                "Back squat",
                "2",
                "5",
                "65",
                "kg",
                "9.5",
                "",
                "3×5 @ 60 kg",
                "changed",
            ],
        ]
        assert rows[6:] == [
            [skipped.date.isoformat(), "Session A", "", "", "", "", "", "", "", "", "skipped"]
        ]

    def test_the_coach_downloads_in_their_unit(self, coach, coach_client, athlete, history):
        coach.weight_unit = "lb"
        coach.save()
        response = coach_client.get(
            reverse("logs:athlete_export", args=[athlete.athlete_profile.pk])
        )
        rows = read_csv(response)
        assert rows[1][5:7] == ["132.3", "lb"]
        assert rows[1][9] == "3×5 @ 130 lb"

    def test_text_a_spreadsheet_would_run_is_guarded(self, coach, coach_client, athlete, squat):
        formula = ExerciseFactory(name='=HYPERLINK("http://evil.example.com")')
        [session] = assign(coach, athlete, [formula], weeks=1, sessions=1)
        ScheduledSession.objects.filter(pk=session.pk).update(title="@SUM(A1)")
        log_set(session, session.prescriptions.get(), 1)
        response = coach_client.get(
            reverse("logs:athlete_export", args=[athlete.athlete_profile.pk])
        )
        rows = read_csv(response)
        assert rows[1][1:3] == ["'@SUM(A1)", '\'=HYPERLINK("http://evil.example.com")']
        assert rows[1][3:6] == ["1", "5", "60"]

    def test_skipped_exercises_bodyweight_and_unplanned_sets(self, coach, athlete, squat):
        plank = ExerciseFactory(name="Plank")
        [session, *_] = assign(coach, athlete, [squat, plank], weeks=1)
        squat_rx, plank_rx = session.prescriptions.all()
        ScheduledPrescription.objects.filter(pk=plank_rx.pk).update(skip_reason="No mat")
        for number in (1, 2, 3):
            log_set(session, squat_rx, number, kg=None)
        extra = ExerciseFactory(name="Calf raise")
        log_set(session, None, 1, reps=15, kg=None, exercise=extra)
        ScheduledSession.objects.filter(pk=session.pk).update(status="done")
        rows = list(logexport.export_rows(athlete=athlete.athlete_profile, unit="kg"))
        day = session.date.isoformat()
        assert rows[1:] == [
            *[
                [
                    day,
                    "Session A",
                    "Back squat",
                    str(n),
                    "5",
                    "",
                    "",
                    "",
                    "",
                    "3×5 @ 60 kg",
                    "changed",
                ]
                for n in (1, 2, 3)
            ],
            [day, "Session A", "Plank", "", "", "", "", "", "", "3×5 @ 60 kg", "skipped"],
            [day, "Session A", "Calf raise", "1", "15", "", "", "", "", "", "changed"],
        ]

    def test_a_session_under_way_leaves_out_what_is_not_logged_yet(self, coach, athlete, squat):
        plank = ExerciseFactory(name="Plank")
        [session, *_] = assign(coach, athlete, [squat, plank], weeks=1)
        squat_rx = session.prescriptions.first()
        log_set(session, squat_rx, 1)
        rows = list(logexport.export_rows(athlete=athlete.athlete_profile, unit="kg"))
        assert [row[2:4] for row in rows[1:]] == [["Back squat", "1"]]
        [review] = logexport.review_sessions(
            logexport.with_logs(ScheduledSession.objects.filter(pk=session.pk)),
            athlete=athlete.athlete_profile,
            unit="kg",
        )
        assert [e.mark for e in review.exercises] == ["changed", "not logged"]

    def test_a_1rm_retested_since_leaves_old_loads_unjudged(self, coach, athlete, squat):
        dose = {"reps_min": 5, "load_type": "pct_1rm", "load_value": 80}
        [early, later, *_] = assign(coach, athlete, [squat], weeks=2, dose=dose)
        one_rm = OneRepMax.objects.create(athlete=early.athlete, exercise=squat, kg=Decimal(100))
        OneRepMax.objects.filter(pk=one_rm.pk).update(
            updated_at=datetime.datetime.combine(later.date, datetime.time(6), tzinfo=datetime.UTC)
        )
        for session in (early, later):
            log_set(session, session.prescriptions.get(), 1, kg="70")
        rows = list(logexport.export_rows(athlete=athlete.athlete_profile, unit="kg"))
        assert rows[1][9:] == ["3×5 @ 80% 1RM", "done"]
        assert rows[2][9:] == ["3×5 @ 80% 1RM · 80 kg", "changed"]

    def test_queries_do_not_grow_with_the_history(
        self, coach, athlete, athlete_client, squat, django_assert_max_num_queries
    ):
        [first, *_] = assign(coach, athlete, [squat], weeks=1, sessions=1)
        log_set(first, first.prescriptions.get(), 1)
        with django_assert_max_num_queries(8) as small:
            assert len(read_csv(athlete_client.get(reverse("logs:export")))) == 2
        sessions = assign(
            coach, athlete, [ExerciseFactory() for _ in range(4)], name="Big", weeks=12
        )
        for session in sessions[::2]:
            log_as_planned(session)
        for session in sessions[1::2]:
            skip(session)
        with django_assert_max_num_queries(len(small)):
            rows = read_csv(athlete_client.get(reverse("logs:export")))
        assert len(rows) == 1 + 1 + 12 * 4 * 3 + 12

    def test_another_coachs_athlete_is_not_found(self, coach_client, other_athlete):
        url = reverse("logs:athlete_export", args=[other_athlete.athlete_profile.pk])
        assert coach_client.get(url).status_code == 404

    def test_a_coach_only_user_has_no_logs_of_their_own(self, coach_client):
        assert coach_client.get(reverse("logs:export")).status_code == 403

    def test_athletes_are_refused_the_coach_download(self, athlete_client, athlete):
        url = reverse("logs:athlete_export", args=[athlete.athlete_profile.pk])
        assert athlete_client.get(url).status_code == 403

    def test_anonymous_goes_to_sign_in(self, client, athlete):
        for url in (
            reverse("logs:export"),
            reverse("logs:athlete_export", args=[athlete.athlete_profile.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 302
            assert response.url.startswith(reverse("login"))

    def test_post_is_not_allowed(self, athlete_client):
        assert athlete_client.post(reverse("logs:export")).status_code == 405

    def test_post_is_not_allowed_for_the_coach(self, coach_client, athlete):
        url = reverse("logs:athlete_export", args=[athlete.athlete_profile.pk])
        assert coach_client.post(url).status_code == 405
