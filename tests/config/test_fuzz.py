"""Every input answered: malformed, huge, negative, odd Unicode, empty and wrong-type values
sent to every form and every file importer. The answer is never a 500, and an answer that
refuses the input changes nothing in the database.

Forms: each POST endpoint of the URL resolver has a valid base payload below (a test
fails when a new one has none); hypothesis mutates one field at a time, or adds one.
Importers: the library (CSV, JSON), block and run (CSV, iCalendar) uploads, through their
views, with valid files broken in the ways people and tools break them.

Each example runs in a transaction rolled back afterwards, so one that succeeds (deleting
a session, ending a coaching link) does not starve the examples after it. The counts are
printed at the end of the module: "inputs tried: N, 500s: 0".
"""

import datetime
import json
from collections import Counter
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import BaseForm
from django.test import Client
from django.test.utils import ContextList
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from athletes.models import AthleteGroup, AthleteProfile, CoachingLink, Invitation, User
from library.io import ImportReport as LibraryReport
from library.models import Exercise, ExerciseMuscle
from programs.blocks.files import ImportResult as BlockResult
from programs.demo import curators_group
from programs.models import (
    Assignment,
    Block,
    ConflictSettings,
    Flag,
    OneRepMax,
    PainNote,
    Prescription,
    Run,
    ScheduledPrescription,
    ScheduledSession,
    Session,
    SessionComment,
    SetLog,
    Week,
)
from programs.notifications.tokens import unsubscribe_token
from programs.schedule import runs as run_services
from programs.schedule import services
from tests.factories import (
    AthleteFactory,
    CoachFactory,
    CuratorFactory,
    ExerciseFactory,
    link,
    make_builtin_template,
    make_self_coached,
)
from tests.factories import make_block as build_block
from tests.programs.seasons.records import a_draft

TODAY = datetime.date(2026, 12, 2)
MONDAY = datetime.date(2026, 12, 7)
DRAFT_MONDAY = datetime.date(2026, 12, 28)
HEAVY = {"sets": 4, "reps_min": 5, "load_type": "pct_1rm", "load_value": 80}
# What an answer that refuses the input may not change. Failed sign-ins are recorded on
# purpose (the throttle), so FailedLogin is not here.
WATCHED = (
    User,
    AthleteProfile,
    CoachingLink,
    AthleteGroup,
    Invitation,
    Run,
    Exercise,
    ExerciseMuscle,
    Block,
    Week,
    Session,
    Prescription,
    Assignment,
    ScheduledSession,
    ScheduledPrescription,
    SetLog,
    PainNote,
    SessionComment,
    OneRepMax,
    ConflictSettings,
    Flag,
)
TALLY: Counter = Counter()
SETTINGS = settings(
    max_examples=150,
    deadline=datetime.timedelta(seconds=5),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


@pytest.fixture(scope="module", autouse=True)
def summary(request):
    yield
    statuses = ", ".join(f"{key}: {TALLY[key]}" for key in ("2xx", "3xx", "4xx", "refused"))
    line = (
        f"test_fuzz: inputs tried: {TALLY['inputs']}, 500s: {TALLY['500s']} "
        f"({statuses}, the refusals checked to change nothing)"
    )
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:  # shown with or without -s
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC), tick=False):
        yield


class World:
    """One of everything a form can point at, owned by the personas."""

    def __init__(self) -> None:
        self.coach = CoachFactory(name="Casey Coach", email="casey@example.com")
        self.athlete = AthleteFactory(name="Ana Athlete", email="ana@example.com")
        link(self.coach, self.athlete)
        self.profile = self.athlete.athlete_profile
        self.curator = CuratorFactory(name="Cleo Curator", email="cleo@example.com")
        self.curator.groups.add(curators_group())
        easier = ExerciseFactory(name="Goblet squat", load_class="light_lower")
        self.squat = ExerciseFactory(name="Back squat", load_class="heavy_lower", easier=easier)
        self.plank = ExerciseFactory(name="Plank", pattern="core", load_class="core")
        self.block = build_block(
            self.coach, [self.squat, self.plank], name="Heavy", weeks=2, sessions=2, dose=HEAVY
        )
        self.week = self.block.weeks.get(number=1)
        self.session = self.week.sessions.order_by("pk").first()
        self.prescription = self.session.prescriptions.order_by("pk").first()
        [self.assignment] = services.assignment_create(
            block=self.block,
            athletes=[self.profile],
            start=MONDAY,
            weekdays=[1, 4],
            assigned_by=self.coach,
        )
        self.scheduled = ScheduledSession.objects.filter(athlete=self.profile).order_by("date")[0]
        self.scheduled_rx = self.scheduled.prescriptions.order_by("pk").first()
        self.run = run_services.run_create(
            athlete=self.profile,
            date=MONDAY + datetime.timedelta(days=4),
            run_type="long",
            distance_m=30_000,
        )
        self.flag = Flag.objects.filter(athlete=self.profile).first()
        self.group = AthleteGroup.objects.create(coach=self.coach, name="Squad")
        # A draft season after the block's two weeks: one session on Monday 28 December.
        a_draft(self.coach, self.profile, monday=DRAFT_MONDAY, exercise=self.squat)
        # A runner who coaches themselves, and a built-in template to start.
        self.runner = make_self_coached(name="Rosa Runner", email="rosa@example.com")
        self.template = make_builtin_template(
            [self.squat], key="fuzz-template", name="Built-in", weeks=1, sessions=2
        )
        self.invitation = Invitation.objects.create(
            coach=self.coach,
            email="ivy@example.com",
            token_hash=Invitation.hash_token("fuzz-token"),
            expires_at=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
        )
        # Every example starts here: it runs in a transaction rolled back after it.
        self.baseline = _snapshot()
        self.clients: dict[str, tuple[Client, str | None]] = {}

    def client(self, persona: str) -> Client:
        """A signed-in client, reused while its session cookie stays the one it got (an
        example that signs out or changes the password changes it)."""
        cached = self.clients.get(persona)
        if cached and _cookie(cached[0]) == cached[1]:
            return cached[0]
        client = Client(raise_request_exception=False)
        if persona != "anonymous":
            client.force_login(getattr(self, persona))
        self.clients[persona] = (client, _cookie(client))
        return client


def _cookie(client: Client) -> str | None:
    cookie = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else None


@pytest.fixture
def world(db) -> World:
    return World()


# --- forms ----------------------------------------------------------------------

RUN = {
    "date": "2026-12-10",
    "run_type": "easy",
    "distance": "8",
    "duration": "45",
    "start_time": "07:00",
    "title": "Easy",
    "race_priority": "",
    "status": "planned",
    "notes": "Relaxed",
}
PRESCRIPTION = {
    "sets": "3",
    "reps_min": "8",
    "reps_max": "10",
    "duration_s": "",
    "distance_m": "",
    "load_type": "kg",
    "load_value": "40",
    "tempo": "",
    "rest_s": "90",
    "superset": "",
    "notes": "",
    "progression": "hold",
    "load_step": "",
    "reps_cap": "",
}
PROPOSAL = {
    "name": "Copenhagen plank",
    "pattern": "core",
    "load_class": "core",
    "foot_contacts_per_rep": "0",
    "cues": "Hips high",
    "aliases_text": "Copenhagen",
}
CONFLICT_SETTINGS = {
    "heavy_before_long_days": "2",
    "heavy_before_key_days": "1",
    "min_days_between": "2",
    "max_per_week": "3",
    "min_per_week": "1",
    "taper_warning_days": "10",
    "taper_critical_days": "5",
    "b_taper_warning_days": "5",
    "b_taper_critical_days": "2",
    "spike_ratio": "1.5",
    "max_loading_weeks": "4",
}
SEASON = {
    "start": "2026-12-07",
    "end": "2027-02-28",
    "sessions_per_week": "2",
    "weekdays": ["1", "4"],
    "replace_future": "on",
}
PASSWORD = {"new_password1": "a-long-new-password-9", "new_password2": "a-long-new-password-9"}

# URL name → (persona, URL kwargs from the world, base payload from the world). None: a
# POST endpoint left out, with the reason.
ENDPOINTS = {
    "programs:list": ("coach", {}, lambda w: {"name": "Winter", "weeks": "4", "phase": "build"}),
    "programs:assign": (
        "coach",
        lambda w: {"block_id": w.block.pk},
        lambda w: {
            "athletes": [str(w.profile.pk)],
            "group": "",
            "start": "2026-12-14",
            "weekdays": ["1", "4"],
            "overlap": "alongside",
            "confirm": "1",
        },
    ),
    "programs:copy": ("coach", lambda w: {"block_id": w.block.pk}, lambda w: {"name": "Copy"}),
    "programs:save_template": (
        "coach",
        lambda w: {"block_id": w.block.pk},
        lambda w: {"name": "Template"},
    ),
    "programs:progression": (
        "coach",
        lambda w: {"block_id": w.block.pk},
        lambda w: {"from_week": "2", "deload_every": "3", "deload_fraction": "0.5"},
    ),
    "programs:week_update": (
        "coach",
        lambda w: {"block_id": w.block.pk, "number": 1},
        lambda w: {"phase": "build"},
    ),
    "programs:week_copy": (
        "coach",
        lambda w: {"block_id": w.block.pk, "number": 1},
        lambda w: {"weeks": ["2"]},
    ),
    "programs:session_add": (
        "coach",
        lambda w: {"block_id": w.block.pk, "number": 1},
        lambda w: {"title": "Extra", "day": "3"},
    ),
    "programs:session_update": (
        "coach",
        lambda w: {"session_id": w.session.pk},
        lambda w: {"title": "Renamed", "day": "2"},
    ),
    "programs:session_delete": ("coach", lambda w: {"session_id": w.session.pk}, lambda w: {}),
    "programs:session_copy": (
        "coach",
        lambda w: {"session_id": w.session.pk},
        lambda w: {"weeks": ["2"]},
    ),
    "programs:prescription_add": (
        "coach",
        lambda w: {"session_id": w.session.pk},
        lambda w: {"exercise": str(w.plank.pk)},
    ),
    "programs:rx_update": (
        "coach",
        lambda w: {"prescription_id": w.prescription.pk},
        lambda w: PRESCRIPTION,
    ),
    "programs:rx_delete": (
        "coach",
        lambda w: {"prescription_id": w.prescription.pk},
        lambda w: {},
    ),
    "programs:rx_move": (
        "coach",
        lambda w: {"prescription_id": w.prescription.pk},
        lambda w: {"direction": "down", "session": ""},
    ),
    "programs:rx_restore": ("coach", {}, lambda w: {"token": "not-a-token"}),
    "programs:upload": None,  # an importer: test_importers
    "account_data:delete": (
        "athlete",
        {},
        lambda w: {"password": "correct-horse-battery", "confirm": "DELETE"},
    ),
    "runs:add": ("athlete", {}, lambda w: RUN),
    "runs:import": None,  # an importer
    "activities:upload": None,  # an importer: test_no_activity_upload_answers_500
    "activities:athlete_upload": None,  # the same importer, for a coach
    "runs:athlete_add": ("coach", lambda w: {"athlete_id": w.profile.pk}, lambda w: RUN),
    "runs:athlete_import": None,  # an importer
    "runs:edit": ("athlete", lambda w: {"run_id": w.run.pk}, lambda w: RUN),
    "runs:move": ("athlete", lambda w: {"run_id": w.run.pk}, lambda w: {"date": "2026-12-12"}),
    "runs:status": ("athlete", lambda w: {"run_id": w.run.pk}, lambda w: {"status": "done"}),
    "runs:priority": (
        "coach",
        lambda w: {"run_id": w.run.pk},
        lambda w: {"race_priority": "A", "next": f"/coach/athletes/{w.profile.pk}/"},
    ),
    "runs:delete": ("athlete", lambda w: {"run_id": w.run.pk}, lambda w: {"past": "1"}),
    "schedule:session_move": (
        "athlete",
        lambda w: {"session_id": w.scheduled.pk},
        lambda w: {"date": "2026-12-09", "view": "week", "at": "2026-12-07"},
    ),
    "schedule:session_skip": (
        "athlete",
        lambda w: {"session_id": w.scheduled.pk},
        lambda w: {"reason": "Sore", "view": "month", "at": "2026-12-07"},
    ),
    "schedule:session_unskip": (
        "athlete",
        lambda w: {"session_id": w.scheduled.pk},
        lambda w: {"view": "week", "at": "2026-12-07"},
    ),
    "schedule:run_move": (
        "athlete",
        lambda w: {"run_id": w.run.pk},
        lambda w: {"date": "2026-12-13", "view": "week", "at": "2026-12-07"},
    ),
    "schedule:maxes": (
        "athlete",
        {},
        lambda w: {"exercise": str(w.squat.pk), "value": "120", "tested_on": "2026-11-30"},
    ),
    "schedule:athlete_maxes": (
        "coach",
        lambda w: {"athlete_id": w.profile.pk},
        lambda w: {"exercise": str(w.squat.pk), "value": "120", "tested_on": ""},
    ),
    "schedule:push": ("coach", lambda w: {"assignment_id": w.assignment.pk}, lambda w: {}),
    "flags:settings": ("coach", {}, lambda w: CONFLICT_SETTINGS),
    "flags:acknowledge": (
        "coach",
        lambda w: {"flag_id": w.flag.pk},
        lambda w: {"note": "Fine", "next": "/flags/"},
    ),
    "flags:reopen": ("coach", lambda w: {"flag_id": w.flag.pk}, lambda w: {"next": "/flags/"}),
    "flags:fix": ("athlete", lambda w: {"flag_id": w.flag.pk}, lambda w: {"next": "/calendar/"}),
    "logs:comment": (
        "coach",
        lambda w: {"session_id": w.scheduled.pk},
        lambda w: {"text": "Good work", "next": "/coach/"},
    ),
    "feed:rotate": ("athlete", {}, lambda w: {}),
    "set_sync": None,  # a JSON body, not a form: test_the_set_queue_takes_any_json
    "set_log": (
        "athlete",
        {},
        lambda w: {
            "id": "6f1c1f4e-1c1e-4c1e-8c1e-1c1e1c1e1c1e",
            "session": str(w.scheduled.pk),
            "prescription": str(w.scheduled_rx.pk),
            "set": "1",
            "reps": "5",
            "load": "60",
            "rpe": "8",
            "performed_on": "2026-12-02",
        },
    ),
    "session_finish": (
        "athlete",
        lambda w: {"session_id": w.scheduled.pk},
        lambda w: {"rpe": "7", "notes": "Ok", "pain_area": "knee", "pain_score": "2"},
    ),
    "exercise_skip": (
        "athlete",
        lambda w: {"prescription_id": w.scheduled_rx.pk},
        lambda w: {"reason": "No rack"},
    ),
    "exercise_swap": (
        "athlete",
        lambda w: {"prescription_id": w.scheduled_rx.pk},
        lambda w: {"exercise": str(w.plank.pk)},
    ),
    "run_done": (
        "athlete",
        lambda w: {"run_id": w.run.pk},
        lambda w: {"distance": "30", "duration": "2:45"},
    ),
    "login": ("anonymous", {}, lambda w: {"username": "ana@example.com", "password": "nope"}),
    "logout": ("athlete", {}, lambda w: {}),
    "signup": (
        "anonymous",
        {},
        lambda w: {
            "role": "self",
            "name": "New Coach",
            "email": "new@example.com",
            "password1": "a-long-new-password-9",
            "password2": "a-long-new-password-9",
        },
    ),
    "password_change": (
        "athlete",
        {},
        lambda w: {"old_password": "correct-horse-battery", **PASSWORD},
    ),
    "password_reset": ("anonymous", {}, lambda w: {"email": "ana@example.com"}),
    "password_reset_confirm": (
        "anonymous",
        {"uidb64": "MQ", "token": "set-password"},
        lambda w: PASSWORD,
    ),
    "account": (
        "athlete",
        {},
        lambda w: {
            "name": "Ana",
            "time_zone": "Europe/London",
            "weight_unit": "kg",
            "distance_unit": "km",
        },
    ),
    "coach_role_add": ("athlete", {}, lambda w: {}),
    "invitation_accept": (
        "anonymous",
        {"token": "fuzz-token"},
        lambda w: {"name": "Ivy", "password1": "a-long-pw-9xx", "password2": "a-long-pw-9xx"},
    ),
    "invitations": (
        "coach",
        {},
        lambda w: {"email": "new@example.com", "name": "New", "group": str(w.group.pk)},
    ),
    "invitations_many": (
        "coach",
        {},
        lambda w: {"text": "a@example.com, Al, Squad\nb@example.com", "group": ""},
    ),
    "invitation_resend": ("coach", lambda w: {"invitation_id": w.invitation.pk}, lambda w: {}),
    "invitation_revoke": ("coach", lambda w: {"invitation_id": w.invitation.pk}, lambda w: {}),
    "groups": ("coach", {}, lambda w: {"name": "Juniors"}),
    "group_detail": (
        "coach",
        lambda w: {"group_id": w.group.pk},
        lambda w: {"name": "Seniors", "athletes": [str(w.profile.pk)]},
    ),
    "group_delete": ("coach", lambda w: {"group_id": w.group.pk}, lambda w: {}),
    "coaching_end": ("coach", lambda w: {"athlete_id": w.profile.pk}, lambda w: {}),
    "get_started": (
        "runner",
        {},
        lambda w: {"template": str(w.template.pk), "start": "2026-12-07", "weekdays": ["1", "4"]},
    ),
    "notifications:settings": ("athlete", {}, lambda w: {"evening_before": "on"}),
    "notifications:mark_read": ("coach", {}, lambda w: {}),
    "notifications:unsubscribe": (
        "athlete",
        lambda w: {"token": unsubscribe_token(user=w.athlete, kind="evening_before")},
        lambda w: {},
    ),
    "seasons:plan": (
        "coach",
        lambda w: {"athlete_id": w.profile.pk},
        lambda w: SEASON,
    ),
    "seasons:move": (
        "coach",
        lambda w: {"athlete_id": w.profile.pk},
        lambda w: {"session": "plan-20261228", "date": "2026-12-30"},
    ),
    "seasons:remove": (
        "coach",
        lambda w: {"athlete_id": w.profile.pk},
        lambda w: {"session": "plan-20261228"},
    ),
    "seasons:dose": (
        "coach",
        lambda w: {"athlete_id": w.profile.pk},
        lambda w: {
            "session": "plan-20261228",
            "exercise": "0",
            "sets": "2",
            "reps_min": "8",
            "reps_max": "10",
        },
    ),
    "seasons:apply": ("coach", lambda w: {"athlete_id": w.profile.pk}, lambda w: {}),
    "seasons:discard": ("coach", lambda w: {"athlete_id": w.profile.pk}, lambda w: {}),
    "seasons:group": (
        "coach",
        lambda w: {"group_id": w.group.pk},
        lambda w: {**SEASON, "apply": "on"},
    ),
    "library:propose": (
        "coach",
        {},
        lambda w: {
            **PROPOSAL,
            "primary_muscles": ["1"],
            "secondary_muscles": [],
            "equipment": ["1"],
        },
    ),
}
# Pages that answer GET only (a POST is a 405), by URL name.
GET_ONLY = {
    "home",
    "healthz",
    "favicon",
    "media",
    "library:list",
    "library:picker",
    "library:detail",
    "programs:builder",
    "programs:download",
    "programs:print",
    "account_data:download",
    "runs:list",
    "runs:export",
    "activities:import",
    "runs:athlete_list",
    "runs:athlete_export",
    "schedule:calendar",
    "schedule:athlete_calendar",
    "schedule:squad",
    "schedule:session",
    "flags:inbox",
    "progress:mine",
    "progress:exercise",
    "progress:athlete",
    "progress:athlete_exercise",
    "logs:export",
    "logs:athlete",
    "logs:athlete_export",
    "feed:ics",
    "feed:settings",
    "athlete_home",
    "service_worker",
    "manifest",
    "password_change_done",
    "password_reset_done",
    "password_reset_complete",
    "coach_home",
    "coach_athlete",
    "seasons:draft",
    "seasons:session",
    "seasons:group_job",
    "notifications:inbox",
}
# GET pages whose query string is read, with a valid one.
QUERIES = {
    "coach_home": ("coach", {}, lambda w: {"q": "ana", "group": str(w.group.pk), "sort": "name"}),
    "library:list": ("coach", {}, lambda w: {"q": "squat", "pattern": "squat", "page": "1"}),
    "library:picker": ("coach", {}, lambda w: {"q": "squat"}),
    "flags:inbox": ("coach", {}, lambda w: {"severity": "warning", "page": "1"}),
    "schedule:calendar": ("athlete", {}, lambda w: {"view": "month", "at": "2026-12-07"}),
    "schedule:athlete_calendar": (
        "coach",
        lambda w: {"athlete_id": w.profile.pk},
        lambda w: {"view": "week", "at": "2026-12-07"},
    ),
    "schedule:squad": (
        "coach",
        {},
        lambda w: {"at": "2026-12-07", "group": str(w.group.pk), "page": "1"},
    ),
    "programs:builder": ("coach", lambda w: {"block_id": w.block.pk}, lambda w: {"week": "1"}),
    "programs:assign": (
        "coach",
        lambda w: {"block_id": w.block.pk},
        lambda w: {"athlete": [str(w.profile.pk)]},
    ),
    "runs:list": ("athlete", {}, lambda w: {"past": "1", "page": "1"}),
    "runs:add": ("athlete", {}, lambda w: {"date": "2026-12-10"}),
    "logs:athlete": ("coach", lambda w: {"athlete_id": w.profile.pk}, lambda w: {"page": "2"}),
}


def _post_routes() -> list[str]:
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}{pattern.name}"

    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_route_is_fuzzed_or_read_only():
    """A new POST endpoint needs a base payload in ENDPOINTS (or a reason for none)."""
    missing = [name for name in _post_routes() if name not in ENDPOINTS and name not in GET_ONLY]

    assert missing == []


BAD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\ufeff",
        "\u202eevil\u202c",  # right-to-left override
        "🏃‍♀️💪🏽",
        "e\u0301" * 50,
        "x" * 100_000,
        "9" * 20,
        "-9" * 20,
        str(2**63),
        str(-(2**63) - 1),
        "-1",
        "0",
        "1e309",
        "-1e309",
        "NaN",
        "Infinity",
        "1_000",
        "١٢",  # Arabic-Indic digits
        "²",
        "0x10",
        "1.5",
        "9999-12-31",
        "0001-01-01",
        "2026-02-30",
        "99:99",
        "25:61:61",
        "abc",
        "/",
        "//evil.example.com",
        "javascript:alert(1)",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        '=HYPERLINK("http://evil.example.com")',
        "\r\n",
        "a\nb",
        "%ED%A0%80",
    ]
)
VALUES = st.one_of(
    BAD_TEXT,
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.lists(BAD_TEXT, min_size=2, max_size=3),
)


def _snapshot() -> list:
    """Every watched row. Signing a persona in for an example sets their last_login,
    outside the example's transaction: that is not the example's doing."""
    rows = [list(model.objects.order_by("pk").values()) for model in WATCHED]
    for user in rows[0]:
        user.pop("last_login")
    return rows


def _count(response) -> None:
    TALLY["inputs"] += 1
    TALLY[f"{response.status_code // 100}xx"] += 1
    if response.status_code >= 500:
        TALLY["500s"] += 1


def _refused(response) -> bool:
    """Whether the answer refused the input: a 4xx, or a page whose form has errors."""
    if 400 <= response.status_code < 500:
        return True
    contexts = response.context
    if contexts is None:
        return False
    for context in contexts if isinstance(contexts, ContextList) else [contexts]:
        for value in context.flatten().values():
            if isinstance(value, BaseForm) and value.is_bound and value.errors:
                return True
            # A library or block import with errors writes nothing (a run import writes
            # the rows it could read, so its report is not a refusal).
            if isinstance(value, LibraryReport | BlockResult) and not value.ok:
                return True
    return False


def _send(world: World, persona: str, method: str, url: str, data, *, raw: bytes | None = None):
    client = world.client(persona)
    with transaction.atomic():
        if raw is not None:
            response = client.post(url, raw, content_type="application/x-www-form-urlencoded")
        elif method == "get":
            response = client.get(url, data)
        else:
            response = client.post(url, data)
        _count(response)
        if response.status_code >= 500:
            pytest.fail(f"{response.status_code} for {method.upper()} {url} with {data!r}")
        if _refused(response):
            TALLY["refused"] += 1
            assert _snapshot() == world.baseline, f"refused, but changed: {url} {data!r}"
        transaction.set_rollback(True)
    return response


def _route(world: World, table: dict, name: str) -> tuple[str, str, dict]:
    persona, kwargs, payload = table[name]
    kwargs = kwargs(world) if callable(kwargs) else kwargs
    return persona, reverse(name, kwargs=kwargs), dict(payload(world))


FORMS = sorted(name for name, entry in ENDPOINTS.items() if entry is not None)


# The values that broke forms before: tried in every field of every form, not left to
# chance (a NUL only fails on PostgreSQL).
SHARP = ["", "a\x00b", "9" * 20, "-1", "1e309", "abc", "x" * 10_000, ["1", "9" * 20]]


def test_every_field_of_every_form_takes_the_sharp_values(world):
    for name in FORMS:
        persona, url, base = _route(world, ENDPOINTS, name)
        for field in sorted(base) or ["unexpected"]:
            for value in SHARP:
                _send(world, persona, "post", url, {**base, field: value})


@SETTINGS
@given(
    name=st.sampled_from(FORMS),
    field=st.integers(min_value=0, max_value=30),
    value=VALUES,
    extra=st.booleans(),
)
def test_no_form_answers_500_and_a_refusal_changes_nothing(world, name, field, value, extra):
    persona, url, data = _route(world, ENDPOINTS, name)
    fields = sorted(data) or ["unexpected"]
    key = "unexpected" if extra else fields[field % len(fields)]
    data[key] = value
    _send(world, persona, "post", url, data)


@settings(SETTINGS, max_examples=80)
@given(
    name=st.sampled_from(FORMS),
    field=st.integers(min_value=0, max_value=30),
    junk=st.sampled_from([b"%ED%A0%80", b"%FF%FE", b"%C0%AF", b"\xed\xa0\x80", b"%00", b"%"]),
)
def test_bytes_no_browser_should_send_are_answered(world, name, field, junk):
    """Invalid UTF-8 (a lone surrogate's bytes, overlong forms) and broken escapes."""
    persona, url, data = _route(world, ENDPOINTS, name)
    fields = sorted(data) or ["unexpected"]
    target = fields[field % len(fields)]
    parts = [b"unexpected=" + junk]
    for key, values in data.items():
        for value in [values] if isinstance(values, str) else values:
            text = b"" + junk if key == target else quote(value).encode()
            parts.append(quote(key).encode() + b"=" + text)
    _send(world, persona, "post", url, data, raw=b"&".join(parts))


@settings(SETTINGS, max_examples=100)
@given(
    name=st.sampled_from(sorted(QUERIES)),
    field=st.integers(min_value=0, max_value=10),
    value=VALUES,
)
def test_no_page_answers_500_to_its_query_string(world, name, field, value):
    persona, url, data = _route(world, QUERIES, name)
    fields = sorted(data)
    data[fields[field % len(fields)]] = value
    _send(world, persona, "get", url, data)


@settings(SETTINGS, max_examples=40)
@given(
    body=st.one_of(
        st.binary(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
            lambda children: (
                st.lists(children, max_size=3)
                | st.dictionaries(st.text(max_size=8), children, max_size=3)
            ),
            max_leaves=10,
        ).map(lambda value: json.dumps({"sets": [value]}).encode()),
        st.sampled_from(
            [
                b'{"sets": [{"id": "\\ud800", "session": "99999999999999999999"}]}',
                b'{"sets": ' + b"[" * 5000 + b"]" * 5000 + b"}",
                b'{"sets": [{"load": "1e309", "reps": "NaN", "set": "-1"}]}',
            ]
        ),
    )
)
def test_the_set_queue_takes_any_json(world, body):
    client = world.client("athlete")
    with transaction.atomic():
        response = client.post(reverse("set_sync"), body, content_type="application/json")
        _count(response)
        if response.status_code >= 500:
            pytest.fail(f"{response.status_code} for {body[:200]!r}")
        if response.status_code >= 400:
            TALLY["refused"] += 1
            assert _snapshot() == world.baseline
        transaction.set_rollback(True)


# --- importers ------------------------------------------------------------------

LIBRARY_CSV = (
    "name,slug,pattern,load_class,primary_muscles,equipment,cues,easier\n"
    "Split squat,split-squat,lunge,heavy_lower,quadriceps|glutes,dumbbell,Tall,\n"
    "Step up,step-up,lunge,light_lower,glutes,box,Drive,split-squat\n"
)
LIBRARY_JSON = json.dumps(
    [
        {
            "name": "Split squat",
            "pattern": "lunge",
            "load_class": "heavy_lower",
            "primary_muscles": ["quadriceps"],
            "aliases": ["Bulgarian"],
        }
    ]
)
BLOCK = json.dumps(
    {
        "format": "runstrong-block",
        "version": 1,
        "name": "Uploaded",
        "weeks": [
            {
                "sessions": [
                    {"day": 1, "prescriptions": [{"exercise": "back-squat", "sets": 3}]},
                ]
            }
        ],
    }
)
RUN_CSV = (
    "date,type,distance,unit,duration,notes\n"
    "2026-12-10,easy,8,km,45:00,Relaxed\n"
    "2026-12-12,long,30,km,2:45:00,\n"
)
RUN_ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fuzz//EN\r\n"
    "BEGIN:VEVENT\r\nUID:w1\r\nDTSTART;VALUE=DATE:20261210\r\nSUMMARY:Easy run 8 km\r\n"
    "DESCRIPTION:Relaxed\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:w2\r\nDTSTART:20261212T070000Z\r\nDTEND:20261212T100000Z\r\n"
    "SUMMARY:Long run 30 km\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
# (persona, URL name, URL kwargs, form fields, file name, valid content)
IMPORTERS = {
    "library-csv": ("curator", "admin:library_exercise_upload", {}, {}, "l.csv", LIBRARY_CSV),
    "library-json": ("curator", "admin:library_exercise_upload", {}, {}, "l.json", LIBRARY_JSON),
    "block": ("coach", "programs:upload", {}, {}, "block.json", BLOCK),
    "runs-csv": ("athlete", "runs:import", {}, {}, "plan.csv", RUN_CSV),
    "runs-ics": ("athlete", "runs:import", {}, {}, "plan.ics", RUN_ICS),
}
FRAGMENTS = st.sampled_from(
    [
        "\x00",
        "\\u0000",
        "\\ud800",
        "\\udfff\\ud800",
        "\ud83c\udfc3",  # a real emoji, written as its pair
        "\u202e",
        '"',
        "'",
        ",",
        ";",
        "\t",
        "\r",
        "\n",
        "\r\n ",
        "|",
        "{",
        "}",
        "[",
        "]",
        ":",
        "9" * 400,
        "-" + "9" * 30,
        "1e309",
        "NaN",
        "null",
        "true",
        "=HYPERLINK(1)",
        "'=1+1",
        "BEGIN:VEVENT",
        "END:VCALENDAR",
        "DTSTART:99991231T235959Z",
        "RRULE:FREQ=DAILY",
        "x" * 5000,
    ]
)


def _pathological(kind: str, content: str, count: int) -> bytes:
    """Big files of one shape: many rows, deep nesting, a wide header, many events."""
    if kind == "deep":
        return ("[" * count + "]" * count).encode()
    if kind == "rows":
        header, _, body = content.partition("\n")
        return (header + "\n" + body * count).encode()
    if kind == "wide":
        return (",".join(["name"] * count) + "\nx\n").encode()
    if kind == "events":
        event = "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261210\r\nSUMMARY:Run 5 km\r\nEND:VEVENT\r\n"
        return ("BEGIN:VCALENDAR\r\n" + event * count + "END:VCALENDAR\r\n").encode()
    return content.encode()


@st.composite
def broken_files(draw, content: str) -> bytes:
    choice = draw(st.sampled_from(["splice", "bytes", "truncate", "big", "encoding"]))
    if choice == "bytes":
        return draw(st.binary(max_size=300))
    if choice == "truncate":
        return content.encode()[: draw(st.integers(min_value=0, max_value=len(content)))]
    if choice == "big":
        kind = draw(st.sampled_from(["deep", "rows", "wide", "events"]))
        return _pathological(kind, content, draw(st.sampled_from([1_000, 12_000, 60_000])))
    if choice == "encoding":
        junk = draw(st.sampled_from([b"\xed\xa0\x80", b"\xff\xfe", b"\xc0\xaf", b"\xe9", b"\x00"]))
        raw = content.encode()
        at = draw(st.integers(min_value=0, max_value=len(raw)))
        return raw[:at] + junk + raw[at:]
    text = content
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + draw(FRAGMENTS | st.text(max_size=10)) + text[at:]
    return text.encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("importer", sorted(IMPORTERS))
def test_no_import_answers_500_and_a_refusal_changes_nothing(world, importer):
    persona, name, kwargs, fields, filename, content = IMPORTERS[importer]
    url = reverse(name, kwargs=kwargs)

    @settings(SETTINGS, max_examples=40)
    @given(data=broken_files(content), dry_run=st.booleans())
    def check(data, dry_run):
        payload = {**fields, "file": SimpleUploadedFile(filename, data)}
        if dry_run:
            payload["dry_run"] = "on"
        _send(world, persona, "post", url, payload)

    check()


def _activity_files() -> dict[str, bytes]:
    from tests.programs.activities.documents import gpx, tcx
    from tests.programs.activities.fitwriter import run_fit

    return {"run.fit": run_fit(seconds=120), "run.gpx": gpx(sport="running"), "run.tcx": tcx()}


@st.composite
def broken_activity_uploads(draw) -> list[tuple[str, bytes]]:
    """One to three damaged activity files, sometimes zipped together."""
    import io
    import zipfile

    files = _activity_files()
    chosen = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        name = draw(st.sampled_from(sorted(files)))
        raw = files[name]
        how = draw(st.sampled_from(["truncate", "flip", "bytes", "whole"]))
        if how == "truncate":
            raw = raw[: draw(st.integers(min_value=0, max_value=len(raw)))]
        elif how == "flip":
            at = draw(st.integers(min_value=0, max_value=len(raw) - 1))
            raw = raw[:at] + bytes([raw[at] ^ draw(st.integers(1, 255))]) + raw[at + 1 :]
        elif how == "bytes":
            raw = draw(st.binary(max_size=300))
        chosen.append((draw(st.sampled_from([name, "x.fit", "y.gpx", "z.bin"])), raw))
    if draw(st.booleans()):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for index, (name, raw) in enumerate(chosen):
                archive.writestr(f"{index}/{name}", raw)
        return [("export.zip", buffer.getvalue())]
    return chosen


def test_no_activity_upload_answers_500(world):
    url = reverse("activities:upload")

    @settings(SETTINGS, max_examples=60)
    @given(uploads=broken_activity_uploads(), runs=st.booleans())
    def check(uploads, runs):
        payload = {"files": [SimpleUploadedFile(name, raw) for name, raw in uploads]}
        if runs:
            payload["assume_run"] = "on"
        _send(world, "athlete", "post", url, payload)

    check()
