"""Every URL of our apps against the access rules, generated from the resolver.

``ROUTES`` says, for each named pattern, who owns it, which methods it answers and how to
build its arguments from fixture objects. From it every pattern is checked:

- anonymous: sent to sign in (public pages answer; a token URL answers the right token
  and 404 for a wrong one);
- the owner: reaches the view (no 403, 404, 405 or error), which proves the arguments
  name a real object, so that the stranger's 404 below means something;
- a stranger (another coach, another athlete) on a URL naming an object: 404;
- the wrong role (an athlete on a coach's page, a coach on an athlete's): 403, except
  that a coach on an athlete's own calendar, runs or progress is shown the way to their
  athletes' (200, ``directs_coach``);
- every other method: 405.

A new URL without an entry here fails ``test_every_url_is_in_the_table``. Where a view
departs from the rules on purpose, its entry says why in ``note``.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from athletes import services as athlete_services
from athletes.models import AthleteGroup, Invitation, User
from programs.blocks.data import prescription_to_dict
from programs.blocks.views.builder import UNDO_SALT
from programs.models import (
    ActivityImport,
    Flag,
    GroupSeasonPlan,
    Run,
    ScheduledPrescription,
    ScheduledSession,
    SeasonDraft,
    SetLog,
)
from programs.notifications.tokens import unsubscribe_token
from programs.schedule import services
from programs.schedule.feed import athlete_feed_rotate
from programs.units import local_today
from tests.factories import ExerciseFactory, make_block, make_self_coached
from tests.programs.seasons.records import a_draft


class Role(StrEnum):
    COACH = "coach"
    ATHLETE = "athlete"
    CURATOR = "curator"
    SIGNED_IN = "any signed-in"
    PUBLIC = "public"
    TOKEN = "token"


PERSONAS = ("coach", "other_coach", "athlete", "other_athlete", "curator")
OWNER = {Role.COACH: "coach", Role.ATHLETE: "athlete", Role.CURATOR: "curator"}
WRONG_ROLES = {
    Role.COACH: ("athlete", "curator"),
    Role.ATHLETE: ("coach", "curator"),
    Role.CURATOR: ("coach", "athlete"),
}
# Anyone signed in may open these, but only their own objects or their athletes'.
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100
STRANGERS = ("other_coach", "other_athlete", "curator")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
GET = frozenset({"GET"})
POST = frozenset({"POST"})
GET_POST = frozenset({"GET", "POST"})
WRONG_TOKEN = "not-a-token-anybody-was-given"


class World:
    """The objects URLs name, built on first use: the coach's block and its parts, the
    athlete's assignment, sessions, runs, flags and logs, the coach's group and invitation,
    the athlete's feed token."""

    def __init__(self, people: dict[str, User]) -> None:
        self.people = people

    @property
    def coach(self) -> User:
        return self.people["coach"]

    @property
    def profile(self):
        return self.people["athlete"].athlete_profile

    @cached_property
    def exercise(self):
        return ExerciseFactory(name="Goblet squat")

    @cached_property
    def draft(self):
        return ExerciseFactory(name="Coach's hop", status="draft", proposed_by=self.coach)

    @cached_property
    def draft_demo(self) -> str:
        """The stored name of the coach's draft's uploaded demonstration."""
        self.draft.demo_file.save("hop.png", ContentFile(PNG_BYTES))
        return self.draft.demo_file.name

    @cached_property
    def block(self):
        return make_block(self.coach, [self.exercise], weeks=1, sessions=1)

    @property
    def session(self):
        return self.block.weeks.get().sessions.get()

    @property
    def prescription(self):
        return self.session.prescriptions.get()

    @cached_property
    def assignment(self):
        (assignment,) = services.assignment_create(
            block=self.block,
            athletes=[self.profile],
            start=datetime.date(2026, 11, 2),
            weekdays=[1],
            assigned_by=self.coach,
        )
        return assignment

    @property
    def scheduled_session(self) -> ScheduledSession:
        return self.assignment.sessions.get()

    @property
    def scheduled_prescription(self) -> ScheduledPrescription:
        return self.scheduled_session.prescriptions.get()

    @cached_property
    def set_log(self) -> SetLog:
        rx = self.scheduled_prescription
        return SetLog.objects.create(
            id=uuid.uuid4(),
            athlete=self.profile,
            session=rx.session,
            prescription=rx,
            exercise=rx.exercise,
            set_number=1,
            reps=10,
            performed_on=rx.session.date,
            logged_at=timezone.now(),
        )

    @cached_property
    def run(self) -> Run:
        return Run.objects.create(
            athlete=self.profile, date=datetime.date(2026, 11, 7), run_type="long"
        )

    @cached_property
    def activity_import(self) -> ActivityImport:
        return ActivityImport.objects.create(athlete=self.profile)

    @cached_property
    def flag(self) -> Flag:
        return Flag.objects.create(
            athlete=self.profile,
            code="HEAVY_BEFORE_LONG_RUN",
            severity="warning",
            date=datetime.date(2026, 11, 6),
            message="Heavy legs the day before the long run",
            fingerprint=uuid.uuid4().hex,
        )

    @cached_property
    def group(self) -> AthleteGroup:
        return AthleteGroup.objects.create(coach=self.coach, name="Marathon squad")

    @cached_property
    def season_draft(self) -> SeasonDraft:
        """The coach's draft season for the athlete, from the athlete's next Monday."""
        today = local_today(self.profile.user)
        monday = today + datetime.timedelta(days=7 - today.weekday())
        return a_draft(self.coach, self.profile, monday=monday, exercise=self.exercise)

    @cached_property
    def group_season_plan(self) -> GroupSeasonPlan:
        return GroupSeasonPlan.objects.create(
            coach=self.coach, group=self.group, start=datetime.date(2026, 11, 2)
        )

    @cached_property
    def invitation_token(self) -> str:
        _invitation, link = athlete_services.invitation_create(
            coach=self.coach, email="newcomer@example.com", site_url="http://testserver/"
        )
        return link.rstrip("/").rsplit("/", 1)[-1]

    @property
    def invitation(self):
        """The coach's invitation, still waiting (sent on first use)."""
        return self.coach.invitations_sent.get(
            token_hash=Invitation.hash_token(self.invitation_token)
        )

    @property
    def logged_exercise(self):
        """An exercise the athlete has logged a set of (its progress page needs one)."""
        return self.set_log.exercise

    @cached_property
    def feed_token(self) -> str:
        return athlete_feed_rotate(athlete=self.profile)

    def undo_token(self) -> str:
        """What deleting the block's prescription hands back to undo it: the object this
        URL names travels in the body."""
        rx = self.prescription
        undo = {"session": rx.session_id, "order": rx.order, "data": prescription_to_dict(rx)}
        return signing.dumps(undo, salt=UNDO_SALT)


Kwargs = Callable[[World], dict]


@dataclass(frozen=True)
class Route:
    role: Role
    methods: frozenset[str]
    kwargs: Kwargs | None = None
    strangers: tuple[str, ...] = ()
    owner: str | None = None
    data: Kwargs | None = None
    note: str = ""
    directs_coach: bool = False

    @property
    def owner_persona(self) -> str | None:
        """Who makes the checks that need someone allowed in; nobody (anonymous) for public
        and token URLs."""
        if self.owner:
            return self.owner
        return "athlete" if self.role == Role.SIGNED_IN else OWNER.get(self.role)


def coach(methods, kwargs=None, *, data=None, note="") -> Route:
    strangers = ("other_coach",) if kwargs or data else ()
    return Route(Role.COACH, methods, kwargs, strangers, data=data, note=note)


def athlete(methods, kwargs=None, *, note="", directs_coach=False) -> Route:
    strangers = ("other_athlete",) if kwargs else ()
    return Route(Role.ATHLETE, methods, kwargs, strangers, note=note, directs_coach=directs_coach)


def signed_in(methods, kwargs=None, **options) -> Route:
    if kwargs is not None:
        options.setdefault("strangers", STRANGERS)
    return Route(Role.SIGNED_IN, methods, kwargs, **options)


def public(methods, *, note="") -> Route:
    return Route(Role.PUBLIC, methods, note=note)


def token(methods, kwargs, *, note="") -> Route:
    return Route(Role.TOKEN, methods, kwargs, note=note)


def _block(w: World) -> dict:
    return {"block_id": w.block.pk}


def _week(w: World) -> dict:
    return {"block_id": w.block.pk, "number": 1}


def _session(w: World) -> dict:
    return {"session_id": w.session.pk}


def _rx(w: World) -> dict:
    return {"prescription_id": w.prescription.pk}


def _athlete(w: World) -> dict:
    return {"athlete_id": w.profile.pk}


def _scheduled(w: World) -> dict:
    return {"session_id": w.scheduled_session.pk}


def _scheduled_rx(w: World) -> dict:
    return {"prescription_id": w.scheduled_prescription.pk}


def _run(w: World) -> dict:
    return {"run_id": w.run.pk}


def _activity_import(w: World) -> dict:
    return {"import_id": w.activity_import.pk}


def _flag(w: World) -> dict:
    return {"flag_id": w.flag.pk}


def _invitation(w: World) -> dict:
    return {"invitation_id": w.invitation.pk}


def _exercise(w: World) -> dict:
    return {"exercise_id": w.logged_exercise.pk}


def _season_draft(w: World) -> dict:
    return {"athlete_id": w.season_draft.athlete_id}


def _season_session(w: World) -> dict:
    (session,) = w.season_draft.plan["weeks"][0]["sessions"]
    return {**_season_draft(w), "session_id": session["id"]}


ROUTES: dict[str, Route] = {
    # config
    "home": public(GET, note="Signed-in people are sent on to their own home page."),
    "healthz": public(GET),
    "favicon": public(GET),
    # library: anyone signed in reads it; a draft is its proposer's (and curators').
    "library:list": signed_in(GET),
    "library:picker": signed_in(GET),
    "library:propose": coach(GET_POST),
    "media": signed_in(
        GET,
        lambda w: {"name": w.draft_demo},
        owner="coach",
        strangers=("other_coach", "athlete", "other_athlete"),
        note="An uploaded demonstration is its exercise's: a draft's only its proposer's.",
    ),
    "library:detail": signed_in(
        GET,
        lambda w: {"slug": w.draft.slug},
        owner="coach",
        strangers=("other_coach", "athlete", "other_athlete"),
        note="A published exercise is everyone's; a draft only its proposer's and curators'.",
    ),
    # blocks
    "programs:list": coach(GET_POST),
    "programs:upload": coach(GET_POST),
    "programs:builder": coach(GET, _block),
    "programs:assign": coach(GET_POST, _block),
    "programs:download": coach(GET, _block),
    "programs:copy": coach(POST, _block),
    "programs:save_template": coach(POST, _block),
    "programs:print": coach(GET, _block),
    "programs:progression": coach(POST, _block),
    "programs:week_update": coach(POST, _week),
    "programs:week_copy": coach(POST, _week),
    "programs:session_add": coach(POST, _week),
    "programs:session_update": coach(POST, _session),
    "programs:session_delete": coach(POST, _session),
    "programs:session_copy": coach(POST, _session),
    "programs:prescription_add": coach(POST, _session),
    "programs:rx_update": coach(POST, _rx),
    "programs:rx_delete": coach(POST, _rx),
    "programs:rx_move": coach(POST, _rx),
    "programs:rx_restore": coach(
        POST,
        data=lambda w: {"token": w.undo_token()},
        note="The session it restores into is named by the signed undo token in the body.",
    ),
    # the person's own data
    "account_data:download": signed_in(GET),
    "account_data:delete": signed_in(GET_POST),
    # runs
    "runs:list": athlete(GET, directs_coach=True),
    "runs:add": athlete(GET_POST),
    "runs:import": athlete(GET_POST),
    "activities:upload": athlete(GET_POST),
    "activities:athlete_upload": coach(GET_POST, _athlete),
    "activities:import": signed_in(GET, _activity_import),
    "runs:export": athlete(GET),
    "runs:athlete_list": coach(GET, _athlete),
    "runs:athlete_add": coach(GET_POST, _athlete),
    "runs:athlete_import": coach(GET_POST, _athlete),
    "runs:athlete_export": coach(GET, _athlete),
    "runs:edit": signed_in(GET_POST, _run),
    "runs:move": signed_in(POST, _run),
    "runs:status": signed_in(POST, _run),
    "runs:priority": signed_in(POST, _run),
    "runs:delete": signed_in(GET_POST, _run, note="GET asks to confirm; only POST deletes."),
    # calendar
    "schedule:calendar": athlete(GET, directs_coach=True),
    "schedule:athlete_calendar": coach(GET, _athlete),
    "schedule:squad": coach(GET),
    "schedule:session": signed_in(GET, _scheduled),
    "schedule:session_move": signed_in(POST, _scheduled),
    "schedule:session_skip": signed_in(POST, _scheduled),
    "schedule:session_unskip": signed_in(POST, _scheduled),
    "schedule:run_move": signed_in(POST, _run),
    "schedule:maxes": athlete(GET_POST),
    "schedule:athlete_maxes": coach(GET_POST, _athlete),
    "schedule:push": coach(POST, lambda w: {"assignment_id": w.assignment.pk}),
    # flags
    "flags:inbox": coach(GET),
    "flags:settings": coach(GET_POST),
    "flags:acknowledge": coach(POST, _flag),
    "flags:reopen": coach(POST, _flag),
    "flags:fix": signed_in(POST, _flag, note="The athlete and their coaches may both fix."),
    # progress
    "progress:mine": athlete(GET, directs_coach=True),
    "progress:exercise": athlete(
        GET,
        _exercise,
        note="The exercise is shared; an athlete who logged none of it gets 404.",
    ),
    "progress:athlete": coach(GET, _athlete),
    "progress:athlete_exercise": coach(GET, lambda w: {**_athlete(w), **_exercise(w)}),
    # logs
    "logs:export": athlete(GET),
    "logs:athlete": coach(GET, _athlete),
    "logs:athlete_export": coach(GET, _athlete),
    "logs:comment": coach(POST, _scheduled),
    # calendar feed
    "feed:ics": token(GET, lambda w: {"token": w.feed_token}),
    "feed:settings": athlete(GET),
    "feed:rotate": athlete(POST),
    # today, on the phone
    "athlete_home": athlete(GET),
    "set_sync": athlete(POST, note="Sessions are named in the JSON body; see test_today."),
    "set_log": athlete(POST, note="Sessions are named in the body; see test_today."),
    "session_finish": athlete(POST, _scheduled),
    "exercise_skip": athlete(POST, _scheduled_rx),
    "exercise_swap": athlete(POST, _scheduled_rx),
    "run_done": athlete(POST, _run),
    "service_worker": public(GET),
    "manifest": public(GET),
    # people
    "login": public(
        frozenset({"GET", "POST", "PUT"}),
        note="Django's LoginView (a FormView) answers PUT as it answers POST.",
    ),
    "signup": public(GET_POST),
    "account": signed_in(GET_POST),
    "coach_role_add": signed_in(POST),
    "invitation_accept": token(
        GET_POST,
        lambda w: {"token": w.invitation_token},
        note="Signed in as someone other than the invited address: 403.",
    ),
    "coach_home": coach(GET),
    "invitations": coach(GET_POST),
    "invitations_many": coach(POST),
    "invitation_resend": coach(POST, _invitation),
    "invitation_revoke": coach(POST, _invitation),
    "groups": coach(GET_POST),
    "group_detail": coach(GET_POST, lambda w: {"group_id": w.group.pk}),
    "group_delete": coach(POST, lambda w: {"group_id": w.group.pk}),
    "coach_athlete": coach(GET, _athlete),
    "get_started": Route(
        Role.COACH,
        GET_POST,
        owner="self_coached",
        note="A runner who coaches themselves; a coach of others is refused (403) as well.",
    ),
    # the season planner: a coach's draft for one of their athletes; a group's planning
    "seasons:plan": coach(GET_POST, _athlete),
    "seasons:draft": coach(GET, _season_draft),
    "seasons:session": coach(GET, _season_session),
    "seasons:move": coach(POST, _season_draft),
    "seasons:remove": coach(POST, _season_draft),
    "seasons:dose": coach(POST, _season_draft),
    "seasons:apply": coach(POST, _season_draft),
    "seasons:discard": coach(POST, _season_draft),
    "seasons:group": coach(GET_POST, lambda w: {"group_id": w.group.pk}),
    "seasons:group_job": coach(GET, lambda w: {"job_id": w.group_season_plan.pk}),
    "coaching_end": coach(POST, _athlete),
    # notifications: settings for anyone, the coach's page, the e-mails' unsubscribe link
    "notifications:settings": signed_in(GET_POST),
    "notifications:inbox": coach(GET),
    "notifications:mark_read": coach(POST),
    "notifications:unsubscribe": token(
        GET_POST,
        lambda w: {"token": unsubscribe_token(user=w.people["athlete"], kind="evening_before")},
        note="GET asks to confirm; POST (also a mail client's RFC 8058 one-click) turns it off.",
    ),
}


def _ours(pattern: URLPattern, prefix: str) -> bool:
    """Our apps' patterns: not the admin, not static files, not Django's own auth views
    (sign-out, password change and reset), which Django tests."""
    view = getattr(pattern.callback, "view_class", pattern.callback)
    return not (prefix.startswith(("admin/", "static/")) or view.__module__.startswith("django."))


def _patterns(patterns, prefix: str = "", namespace: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and _ours(entry, prefix + str(entry.pattern)):
            assert entry.name, f"{prefix}{entry.pattern} has no name, so no entry can name it"
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_url_is_in_the_table():
    names = list(_patterns(get_resolver().url_patterns))
    assert len(names) == len(set(names)), "two patterns share a name"
    missing = sorted(set(names) - set(ROUTES))
    stale = sorted(set(ROUTES) - set(names))
    assert not missing, (
        f"No access entry for {', '.join(missing)}: add each to ROUTES in {__name__} "
        "with its role, methods and arguments."
    )
    assert not stale, f"ROUTES names URLs that no longer exist: {', '.join(stale)}"


def _checks() -> Iterator[pytest.param]:
    """(pattern, check, persona) for every check the pattern's entry calls for."""
    for name, route in ROUTES.items():
        checks: list[tuple[str, str | None]] = [("anonymous", None)]
        if route.role == Role.TOKEN:
            checks.append(("wrong token", None))
        if route.owner_persona:
            checks.append(("owner", route.owner_persona))
        checks += [("stranger", persona) for persona in route.strangers]
        checks += [("wrong role", persona) for persona in WRONG_ROLES.get(route.role, ())]
        checks.append(("wrong method", route.owner_persona))
        for check, persona in checks:
            label = f"{check} as {persona}" if persona else check
            yield pytest.param(name, check, persona, id=f"{name} | {label}")


@pytest.fixture
def people(coach, other_coach, athlete, other_athlete, curator) -> dict[str, User]:
    return {
        "coach": coach,
        "other_coach": other_coach,
        "athlete": athlete,
        "other_athlete": other_athlete,
        "curator": curator,
        "self_coached": make_self_coached(email="rosa@example.com"),
    }


def _request(client: Client, method: str, url: str, data: dict | None):
    if method == "POST":
        return client.post(url, data or {})
    return getattr(client, method.lower())(url)


@pytest.mark.parametrize(("name", "check", "persona"), list(_checks()))
def test_access(name: str, check: str, persona: str | None, people, client):
    route = ROUTES[name]
    world = World(people)
    kwargs = route.kwargs(world) if route.kwargs else {}
    data = route.data(world) if route.data else None
    if check == "wrong token":
        kwargs["token"] = WRONG_TOKEN
    url = reverse(name, kwargs=kwargs)
    if persona:
        client.force_login(people[persona])

    if check == "wrong method":
        for wrong in (m for m in METHODS if m not in route.methods):
            status = _request(client, wrong, url, data).status_code
            assert status == 405, f"{wrong} {url}: {status}, not 405"
        return

    method = "GET" if "GET" in route.methods else "POST"
    response = _request(client, method, url, data)
    status = response.status_code
    who = f"{persona}'s {method} {url}" if persona else f"{method} {url}"
    if check == "anonymous" and route.role in {Role.PUBLIC, Role.TOKEN}:
        assert status == 200, f"{who}: {status}"
    elif check == "anonymous":
        assert status == 302, f"{who}: {status}, not a redirect to sign in"
        assert response.url.startswith(reverse("login") + "?next="), response.url
    elif check == "wrong role" and persona == "coach" and route.directs_coach:
        assert status == 200, f"{who}: {status}, not the page that directs a coach"
        assert reverse("coach_home") in response.content.decode()
    elif check == "owner":
        assert status not in {403, 404, 405}, f"{who}: {status}"
        assert status < 500, f"{who}: {status}"
    else:
        expected = {"wrong token": 404, "stranger": 404, "wrong role": 403}[check]
        assert status == expected, f"{who}: {status}, not {expected}"
