"""Block files: export, import, every refusal at its path, and the two commands."""

import datetime
import json
import re
import time
from copy import deepcopy
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from programs.blocks.data import block_to_dict, block_write
from programs.blocks.files import (
    MAX_FILE_BYTES,
    BlockFileError,
    PathError,
    block_export,
    block_import,
    read_block_file,
    validate_block,
)
from programs.models import Block, Prescription, Session, Week
from tests.factories import AthleteFactory, ExerciseFactory

P = "weeks[1].sessions[1].prescriptions[2]"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "block-format.md"


@pytest.fixture
def exercises(db):
    for name in ("Goblet squat", "Romanian deadlift", "Plank", "Box jump", "Side plank"):
        ExerciseFactory(name=name)


def prescription(exercise: str = "goblet-squat", **changes) -> dict:
    return {"exercise": exercise, "sets": 3, "reps_min": 10} | changes


def block_data(**changes) -> dict:
    """A short, valid hand-written file: 2 weeks × 2 sessions × 3 prescriptions."""
    week = {
        "sessions": [
            {"day": 1, "prescriptions": [prescription(), prescription("plank"), prescription()]},
            {"day": 4, "prescriptions": [prescription(), prescription(), prescription()]},
        ]
    }
    return {
        "format": "runstrong-block",
        "version": 1,
        "name": "Base strength",
        "weeks": [deepcopy(week), deepcopy(week)],
    } | changes


def rich_data() -> dict:
    """Every key in use, with values other than the defaults."""
    return {
        "format": "runstrong-block",
        "version": 1,
        "name": "Marathon build — Chloé",
        "goal": "Strong hips for the spring marathon",
        "notes": "Reassess the single-leg squat in week 4.\nDeload when tired.",
        "deload_every": 4,
        "deload_fraction": 0.4,
        "weeks": [
            {
                "number": 1,
                "phase": "foundation",
                "notes": "Learn the patterns",
                "sessions": [
                    {
                        "day": 1,
                        "label": "A",
                        "title": "Lower body",
                        "time": "07:15",
                        "prescriptions": [
                            prescription(
                                superset="A1",
                                sets=3,
                                reps_min=8,
                                reps_max=12,
                                per_side=False,
                                load_type="kg",
                                load_value=16.5,
                                tempo="3-1-1",
                                rest_s=90,
                                notes="Heels down",
                                progression="double",
                                load_step=2.5,
                                reps_cap=12,
                            ),
                            prescription(
                                "romanian-deadlift",
                                superset="A2",
                                load_type="pct_1rm",
                                load_value=70,
                                progression="add_load",
                                load_step=2.5,
                            ),
                            prescription("plank", reps_min=None, duration_s=45, tempo="", rest_s=0),
                        ],
                    },
                    {
                        "day": None,
                        "label": "B",
                        "title": "",
                        "prescriptions": [
                            prescription(
                                "box-jump", sets=4, reps_min=5, load_type="rpe", load_value=7.5
                            ),
                            prescription(
                                "side-plank",
                                reps_min=None,
                                distance_m=20,
                                per_side=True,
                                load_type="rir",
                                load_value=0,
                            ),
                        ],
                    },
                ],
            },
            {"number": 2, "phase": "deload", "notes": "", "sessions": []},
            {
                "number": 3,
                "phase": "strength",
                "notes": "",
                "sessions": [
                    {"day": 7, "label": "", "title": "Sunday", "prescriptions": []},
                ],
            },
        ],
    }


def as_file(data) -> bytes:
    return json.dumps(data).encode()


def create_block(data: dict, owner) -> Block:
    clean, errors, ids = validate_block(data, user=owner)
    assert errors == []
    with transaction.atomic():
        return block_write(data=clean, exercises=ids, owner=owner)


def exported(block: Block) -> str:
    return block_export(Block.objects.with_structure().get(pk=block.pk))


def written() -> tuple[int, int, int, int]:
    return (
        Block.objects.count(),
        Week.objects.count(),
        Session.objects.count(),
        Prescription.objects.count(),
    )


def refused(data, owner, *, name=None) -> list[str]:
    """Import ``data`` (a dict or bytes), check that nothing was written, and return the
    errors as the command prints them."""
    before = written()
    result = block_import(
        data=data if isinstance(data, bytes) else as_file(data), owner=owner, name=name
    )
    assert result.block is None
    assert written() == before
    return [str(error) for error in result.errors]


# Round trip


def test_export_then_import_under_another_owner_round_trips_exactly(exercises, coach, other_coach):
    original = create_block(rich_data(), coach)
    text = exported(original)

    result = block_import(data=text.encode(), owner=other_coach)

    assert result.errors == []
    assert result.block.owner == other_coach
    assert result.block.pk != original.pk
    again = exported(result.block)
    assert json.loads(again) == json.loads(text)
    assert again == text


def test_export_writes_every_key_in_the_canonical_shape(exercises, coach):
    block = create_block(block_data(), coach)

    data = json.loads(exported(block))

    assert list(data) == [
        "format",
        "version",
        "name",
        "goal",
        "notes",
        "deload_every",
        "deload_fraction",
        "weeks",
    ]
    assert list(data["weeks"][0]) == ["number", "phase", "notes", "sessions"]
    assert list(data["weeks"][0]["sessions"][0]) == ["day", "label", "title", "prescriptions"]
    assert data["weeks"][0]["sessions"][0]["prescriptions"][0] == {
        "exercise": "goblet-squat",
        "superset": "",
        "sets": 3,
        "reps_min": 10,
        "reps_max": None,
        "duration_s": None,
        "distance_m": None,
        "per_side": False,
        "load_type": "bodyweight",
        "load_value": None,
        "tempo": "",
        "rest_s": None,
        "notes": "",
        "progression": "hold",
        "load_step": None,
        "reps_cap": None,
    }
    assert data["deload_fraction"] == 0.5
    assert [w["number"] for w in data["weeks"]] == [1, 2]
    assert [w["phase"] for w in data["weeks"]] == ["foundation", "foundation"]


def test_validate_returns_the_canonical_shape_of_what_it_would_write(exercises, coach):
    clean, errors, _ids = validate_block(rich_data(), user=coach)
    block = create_block(rich_data(), coach)

    assert errors == []
    assert clean == block_to_dict(Block.objects.with_structure().get(pk=block.pk))


def test_the_documented_examples_import_and_the_full_one_round_trips(db, coach):
    call_command("load_library", stdout=StringIO())
    full, short = re.findall(r"```json\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)

    result = block_import(data=full.encode(), owner=coach)
    assert result.errors == []
    assert exported(result.block) == full
    assert block_import(data=short.encode(), owner=coach).errors == []


def test_export_is_indented_utf8_json_ending_in_a_newline(exercises, coach):
    text = exported(create_block(rich_data(), coach))

    assert text.endswith("}\n")
    assert '\n  "name": "Marathon build — Chloé",' in text


def test_a_session_time_is_written_only_when_set_and_round_trips(exercises, coach, other_coach):
    data = block_data()
    data["weeks"][1]["sessions"][0]["time"] = "18:30"
    data["weeks"][1]["sessions"][1]["time"] = None
    text = exported(create_block(data, coach))

    sessions = [s for week in json.loads(text)["weeks"] for s in week["sessions"]]
    assert [s.get("time") for s in sessions] == [None, None, "18:30", None]
    assert list(sessions[2]) == ["day", "label", "title", "time", "prescriptions"]
    assert list(sessions[3]) == ["day", "label", "title", "prescriptions"]
    block = block_import(data=text.encode(), owner=other_coach).block
    assert exported(block) == text
    times = Session.objects.filter(week__block=block).order_by("week__number", "order")
    assert [s.start_time for s in times] == [None, None, datetime.time(18, 30), None]


# Queries


def big_file(weeks: int) -> bytes:
    slugs = ["goblet-squat", "romanian-deadlift", "plank", "box-jump", "side-plank"]
    return as_file(
        block_data(
            name=f"{weeks} weeks",
            weeks=[
                {
                    "phase": "strength",
                    "sessions": [
                        {
                            "day": day,
                            "prescriptions": [
                                prescription(slugs[n % 5], load_type="kg", load_value=20 + n)
                                for n in range(8)
                            ],
                        }
                        for day in (1, 3, 5)
                    ],
                }
                for _ in range(weeks)
            ],
        )
    )


@pytest.mark.parametrize("weeks", [1, 16])
def test_import_costs_the_same_queries_for_1_week_and_16(
    exercises, coach, weeks, django_assert_max_num_queries
):
    data = big_file(weeks)

    with django_assert_max_num_queries(8):
        result = block_import(data=data, owner=coach)

    assert result.errors == []
    assert Prescription.objects.filter(session__week__block=result.block).count() == weeks * 24


def test_every_exercise_is_looked_up_in_one_query(exercises, coach, django_assert_num_queries):
    data = read_block_file(big_file(16))

    with django_assert_num_queries(1):
        _clean, errors, ids = validate_block(data, user=coach)

    assert errors == []
    assert len(ids) == 5


def test_export_costs_the_same_queries_for_1_week_and_16(
    exercises, coach, django_assert_max_num_queries
):
    for weeks in (1, 16):
        block = block_import(data=big_file(weeks), owner=coach).block
        with django_assert_max_num_queries(4):
            exported(block)


# Hand-written files


def test_a_short_file_takes_the_defaults(exercises, coach):
    result = block_import(data=as_file(block_data()), owner=coach)

    assert result.errors == []
    block = result.block
    assert (block.name, block.goal, block.deload_every, block.deload_fraction) == (
        "Base strength",
        "",
        None,
        0.5,
    )
    p = Prescription.objects.filter(session__week__block=block).first()
    assert (p.load_type, p.load_value, p.progression, p.per_side, p.tempo) == (
        "bodyweight",
        None,
        "hold",
        False,
        "",
    )
    assert (result.weeks, result.sessions, result.prescriptions) == (2, 4, 12)


def test_a_coach_may_use_their_own_draft(exercises, coach):
    ExerciseFactory(name="Copenhagen plank", status="draft", proposed_by=coach)
    data = block_data()
    data["weeks"][0]["sessions"][0]["prescriptions"][0]["exercise"] = "copenhagen-plank"

    assert block_import(data=as_file(data), owner=coach).errors == []


def test_the_block_name_is_trimmed(exercises, coach):
    result = block_import(data=as_file(block_data(name="  Base  ")), owner=coach)

    assert result.block.name == "Base"


def test_a_byte_order_mark_is_allowed(exercises, coach):
    data = b"\xef\xbb\xbf" + as_file(block_data())

    assert block_import(data=data, owner=coach).errors == []


# Refusals, one kind at a time, each at its path


def change(path: str, value, data: dict | None = None) -> dict:
    """``block_data()`` with the value at ``path`` (in the file's own notation) replaced."""
    data = data if data is not None else block_data()
    *parents, last = path.replace("[", ".").replace("]", "").split(".")
    target = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "error"),
    [
        (
            f"{P}.exercise",
            "goblet-sqaut",
            f"{P}.exercise: no exercise 'goblet-sqaut' in the library",
        ),
        (f"{P}.reps_min", 0, f"{P}.reps_min: must be at least 1"),
        (f"{P}.sets", 0, f"{P}.sets: must be at least 1"),
        (f"{P}.sets", 21, f"{P}.sets: must be at most 20"),
        (f"{P}.sets", "3", f'{P}.sets: must be a whole number, not "3"'),
        (f"{P}.sets", True, f"{P}.sets: must be a whole number, not true"),
        (f"{P}.sets", 3.5, f"{P}.sets: must be a whole number, not 3.5"),
        (f"{P}.reps_min", "10", f'{P}.reps_min: must be a whole number or null, not "10"'),
        (f"{P}.reps_max", 8, f"{P}.reps_max: must be at least reps_min (10)"),
        (f"{P}.reps_cap", 9, f"{P}.reps_cap: must be at least reps_min (10)"),
        (
            f"{P}.tempo",
            "3/1/1",
            f'{P}.tempo: "3/1/1" is not a tempo. Write tempo as seconds '
            "down-pause-up(-pause), e.g. 3-1-1 or 2-0-X-0.",
        ),
        (f"{P}.tempo", None, f'{P}.tempo: must be text (use "" for none), not null'),
        (f"{P}.superset", "A12", f"{P}.superset: is 3 characters long; the limit is 2"),
        (f"{P}.notes", "x" * 301, f"{P}.notes: is 301 characters long; the limit is 300"),
        (f"{P}.notes", "a\x00b", f"{P}.notes: contains a NUL character"),
        (f"{P}.per_side", "yes", f'{P}.per_side: must be true or false, not "yes"'),
        (
            f"{P}.load_type",
            "lb",
            f'{P}.load_type: "lb" is not one of: bodyweight, kg, pct_1rm, rpe, rir',
        ),
        (
            f"{P}.progression",
            "wave",
            f'{P}.progression: "wave" is not one of: hold, add_load, double',
        ),
        (f"{P}.load_step", -2.5, f"{P}.load_step: must be at least 0"),
        (f"{P}.duration_s", -1, f"{P}.duration_s: must be at least 0"),
        (f"{P}.load_step", 2.125, f"{P}.load_step: may have at most 2 decimal places, not 2.125"),
        (f"{P}.rest_s", -1, f"{P}.rest_s: must be at least 0"),
        (f"{P}.reps", 10, f"{P}.reps: unknown key; did you mean 'reps_min'?"),
        (
            f"{P}.colour",
            "red",
            f"{P}.colour: unknown key; the keys are: exercise, superset, "
            "sets, reps_min, reps_max, duration_s, distance_m, per_side, load_type, load_value, "
            "tempo, rest_s, notes, progression, load_step, reps_cap",
        ),
        (P, "goblet-squat", f'{P}: must be an object {{...}}, not "goblet-squat"'),
        ("weeks[1].sessions[1].day", 8, "weeks[1].sessions[1].day: must be at most 7"),
        *[
            (
                "weeks[1].sessions[0].time",
                value,
                f'weeks[1].sessions[0].time: must be a time of day as "HH:MM" (e.g. "18:30"), '
                f"not {shown}",
            )
            for value, shown in [
                ("6pm", '"6pm"'),
                ("7:30", '"7:30"'),
                ("24:00", '"24:00"'),
                ("18:60", '"18:60"'),
                ("18:30:00", '"18:30:00"'),
                ("", '""'),
                (1830, "1830"),
            ]
        ],
        ("weeks[1].sessions[1].day", 0, "weeks[1].sessions[1].day: must be at least 1"),
        (
            "weeks[1].sessions[1].label",
            "Lower A+B+C",
            "weeks[1].sessions[1].label: is 11 characters long; the limit is 10",
        ),
        (
            "weeks[1].sessions[1].prescriptions",
            {},
            "weeks[1].sessions[1].prescriptions: must be a list [...], not an object",
        ),
        (
            "weeks[1].phase",
            "peak",
            'weeks[1].phase: "peak" is not one of: foundation, '
            "strength, power, maintenance, deload, taper, recovery",
        ),
        ("weeks[1].number", 1, "weeks[1].number: week 1 is already weeks[0]"),
        ("weeks[1].number", 3, "weeks[1].number: must be 2: weeks are numbered 1, 2, 3… in order"),
        ("weeks[1].number", 53, "weeks[1].number: must be at most 52"),
        ("weeks", None, "weeks: must be a list [...], not null"),
        ("name", "", "name: required"),
        ("name", "x" * 121, "name: is 121 characters long; the limit is 120"),
        ("name", 7, "name: must be text, not 7"),
        ("goal", "x" * 201, "goal: is 201 characters long; the limit is 200"),
        ("deload_every", 1, "deload_every: must be at least 2"),
        ("deload_fraction", 0.95, "deload_fraction: must be at most 0.9"),
        ("deload_fraction", 0.05, "deload_fraction: must be at least 0.1"),
        ("deload_fraction", None, "deload_fraction: must be a number, not null"),
        (
            "colour",
            "red",
            "colour: unknown key; the keys are: format, version, name, goal, "
            "notes, deload_every, deload_fraction, weeks",
        ),
    ],
)
def test_a_bad_value_is_refused_at_its_path(exercises, coach, path, value, error):
    assert refused(change(path, value), coach) == [error]


@pytest.mark.parametrize(
    ("load_type", "value", "error"),
    [
        ("rpe", 11, "load_value: RPE must be from 1 to 10, not 11"),
        ("rpe", 0.5, "load_value: RPE must be from 1 to 10, not 0.5"),
        ("pct_1rm", 120, "load_value: % 1RM must be from 1 to 110, not 120"),
        ("rir", 11, "load_value: RIR must be from 0 to 10, not 11"),
        ("kg", 0, "load_value: a kg load must be more than 0 and at most 500, not 0"),
        ("kg", 500.5, "load_value: a kg load must be more than 0 and at most 500, not 500.5"),
        ("kg", None, "load_value: is required for load_type 'kg'"),
        ("kg", 16.125, "load_value: may have at most 2 decimal places, not 16.125"),
        ("kg", "16", 'load_value: must be a number or null, not "16"'),
        (
            "bodyweight",
            10,
            "load_value: must be null for a bodyweight load (or set load_type: kg, pct_1rm, "
            "rpe or rir)",
        ),
    ],
)
def test_a_load_out_of_range_for_its_type_is_refused(exercises, coach, load_type, value, error):
    data = change(f"{P}.load_type", load_type)
    change(f"{P}.load_value", value, data)

    assert refused(data, coach) == [f"{P}.{error}"]


@pytest.mark.parametrize(
    ("load_type", "value"),
    [("rpe", 10), ("pct_1rm", 110), ("rir", 0), ("kg", 500), ("kg", 0.01), ("pct_1rm", 1)],
)
def test_the_ends_of_each_load_range_are_allowed(exercises, coach, load_type, value):
    data = change(f"{P}.load_type", load_type)
    change(f"{P}.load_value", value, data)

    assert block_import(data=as_file(data), owner=coach).errors == []


def test_a_prescription_without_a_dose_is_refused(exercises, coach):
    assert refused(change(f"{P}.reps_min", None), coach) == [
        f"{P}: needs a dose: reps_min, duration_s or distance_m"
    ]


def test_a_rep_range_needs_reps_min(exercises, coach):
    data = change(f"{P}.reps_min", None)
    change(f"{P}.duration_s", 30, data)
    change(f"{P}.reps_max", 12, data)

    assert refused(data, coach) == [
        f"{P}.reps_max: is the top of a range of reps: give reps_min too",
    ]


def test_zero_seconds_or_metres_is_no_dose(exercises, coach):
    data = change(f"{P}.reps_min", None)
    change(f"{P}.duration_s", 0, data)
    change(f"{P}.distance_m", 0, data)

    assert refused(data, coach) == [f"{P}: needs a dose: reps_min, duration_s or distance_m"]


def test_what_the_database_and_the_builder_accept_imports(exercises, coach):
    """A cap without reps (ignored by progression), a zero beside a real dose, a zero
    load step: the builder can save them, so a file must carry them back."""
    data = change(f"{P}.reps_min", None)
    change(f"{P}.duration_s", 30, data)
    change(f"{P}.reps_cap", 12, data)
    change(f"{P}.load_step", 0, data)
    change("weeks[0].sessions[0].prescriptions[0].distance_m", 0, data)

    result = block_import(data=as_file(data), owner=coach)

    assert result.errors == []
    assert json.loads(exported(result.block)) == validate_block(data, user=coach)[0]


def test_a_missing_required_key_is_refused(exercises, coach):
    data = block_data()
    del data["weeks"][0]["sessions"][0]["prescriptions"][1]["sets"]
    del data["name"]

    assert refused(data, coach) == [
        "name: required",
        "weeks[0].sessions[0].prescriptions[1].sets: required",
    ]


def test_a_retired_exercise_is_refused(exercises, coach):
    ExerciseFactory(name="Old squat", status="retired")

    assert refused(change(f"{P}.exercise", "old-squat"), coach) == [
        f"{P}.exercise: 'old-squat' is retired; choose its replacement"
    ]


def test_a_merged_exercise_names_its_replacement(exercises, coach):
    from library.models import Exercise

    ExerciseFactory(
        name="RDL", status="retired", merged_into=Exercise.objects.get(slug="romanian-deadlift")
    )

    assert refused(change(f"{P}.exercise", "rdl"), coach) == [
        f"{P}.exercise: 'rdl' is retired; choose its replacement, 'romanian-deadlift'"
    ]


def test_another_coachs_draft_is_refused_like_an_unknown_exercise(exercises, coach, other_coach):
    ExerciseFactory(name="Olga's lunge", status="draft", proposed_by=other_coach)

    assert refused(change(f"{P}.exercise", "olgas-lunge"), coach) == [
        f"{P}.exercise: no exercise 'olgas-lunge' in the library"
    ]


def test_without_a_user_every_draft_is_refused(exercises, coach):
    ExerciseFactory(name="Copenhagen plank", status="draft", proposed_by=coach)

    _clean, errors, ids = validate_block(change(f"{P}.exercise", "copenhagen-plank"))

    assert [str(e) for e in errors] == [
        f"{P}.exercise: 'copenhagen-plank' is a draft; only published exercises can be used"
    ]
    assert "copenhagen-plank" not in ids


def test_an_unknown_exercise_is_reported_at_every_use(exercises, coach):
    data = block_data()
    for week in data["weeks"]:
        week["sessions"][0]["prescriptions"][1]["exercise"] = "planck"

    assert refused(data, coach) == [
        "weeks[0].sessions[0].prescriptions[1].exercise: no exercise 'planck' in the library",
        "weeks[1].sessions[0].prescriptions[1].exercise: no exercise 'planck' in the library",
    ]


def test_too_many_weeks_sessions_or_prescriptions_are_refused(exercises, coach):
    data = block_data()
    data["weeks"][0]["sessions"] *= 8
    data["weeks"][1]["sessions"][0]["prescriptions"] *= 17

    assert refused(data, coach) == [
        "weeks[0].sessions: has 16 sessions; the limit is 14",
        "weeks[1].sessions[0].prescriptions: has 51 prescriptions; the limit is 50",
    ]
    data = block_data()
    data["weeks"] = [data["weeks"][0]] * 53
    assert refused(data, coach) == ["weeks: has 53 weeks; the limit is 52"]


def test_a_file_naming_too_many_different_exercises_is_refused(exercises, coach):
    data = block_data()
    data["weeks"] = [
        {
            "sessions": [
                {"prescriptions": [prescription(f"ex-{w}-{s}-{n}") for n in range(50)]}
                for s in range(14)
            ]
        }
        for w in range(2)
    ]

    assert refused(data, coach) == ["weeks: name 1,400 different exercises; the limit is 1,000"]


def test_several_errors_are_reported_at_once_in_file_order(exercises, coach):
    data = block_data(deload_every=1, extra=True)
    change("weeks[0].sessions[1].prescriptions[0].exercise", "nope", data)
    change("weeks[0].sessions[1].prescriptions[0].reps_max", 5, data)
    change("weeks[0].phase", "peak", data)
    change("weeks[1].number", 1, data)
    change(f"{P}.load_type", "rpe", data)
    change(f"{P}.load_value", 11, data)

    assert refused(data, coach) == [
        "extra: unknown key; the keys are: format, version, name, goal, notes, deload_every, "
        "deload_fraction, weeks",
        "deload_every: must be at least 2",
        'weeks[0].phase: "peak" is not one of: foundation, strength, power, maintenance, '
        "deload, taper, recovery",
        "weeks[0].sessions[1].prescriptions[0].exercise: no exercise 'nope' in the library",
        "weeks[0].sessions[1].prescriptions[0].reps_max: must be at least reps_min (10)",
        "weeks[1].number: week 1 is already weeks[0]",
        f"{P}.load_value: RPE must be from 1 to 10, not 11",
    ]


def test_path_error_reads_path_then_message():
    error = PathError("weeks[3].sessions[1].prescriptions[2].reps_min", "must be at least 1")

    assert str(error) == "weeks[3].sessions[1].prescriptions[2].reps_min: must be at least 1"


# Unreadable files


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'{"format": "runstrong-block", "version": 1,',
            "Malformed JSON: Expecting property "
            "name enclosed in double quotes (line 1, column 44).",
        ),
        (b"", "The file is empty."),
        (b"\xff\xfe{\x00}\x00", "The file is UTF-16 text; save it with UTF-8 encoding."),
        (
            b'{"name": "Caf\xe9"}',
            "The file is not UTF-8 text (byte 0xe9 on line 1); save it with UTF-8 encoding.",
        ),
        (
            b"[]",
            'A block file holds one object, {"format": "runstrong-block", ...}, not a list. '
            "(Exercise library files are imported with import_library.)",
        ),
        (
            b'{"version": 1, "name": "x", "weeks": []}',
            "This is not a RunStrong block file: it "
            'has no format, not "format": "runstrong-block".',
        ),
        (
            b'{"format": "runstrong-library", "version": 1}',
            "This is not a RunStrong block "
            'file: it has format "runstrong-library", not "format": "runstrong-block".',
        ),
        (
            b'{"format": "runstrong-block", "version": 2}',
            "The file is format version 2, written by a newer RunStrong; this one reads version 1.",
        ),
        (
            b'{"format": "runstrong-block", "version": "1"}',
            'The file has version "1"; a block file says "version": 1.',
        ),
        (
            b'{"format": "runstrong-block"}',
            'The file has no version; a block file says "version": 1.',
        ),
        (
            b'{"format": "runstrong-block", "version": 1, "name": "a", "name": "b"}',
            "Malformed JSON: the key 'name' appears twice in one object.",
        ),
        (
            b'{"format": "runstrong-block", "version": 1, "deload_fraction": NaN}',
            "Malformed JSON: NaN is not a number JSON allows.",
        ),
        (b"[" * 100_000, "Malformed JSON: nested too deeply."),
    ],
)
def test_an_unreadable_file_is_refused_whole(exercises, coach, data, message):
    before = written()

    with pytest.raises(BlockFileError) as caught:
        block_import(data=data, owner=coach)

    assert str(caught.value) == message
    assert written() == before


SURROGATE = "The file has a string with a lone surrogate (\\ud800), which is not Unicode text."


@pytest.mark.parametrize(
    "data",
    [
        block_data(name="Base \ud800"),
        block_data(goal="\ud800"),
        block_data(notes="a\ud800b"),
        block_data(weeks=[{"notes": "\ud800", "sessions": []}]),
        block_data(weeks=[{"sessions": [{"title": "\ud800", "prescriptions": []}]}]),
        block_data(weeks=[{"sessions": [{"prescriptions": [prescription(notes="\ud800")]}]}]),
        block_data(weeks=[{"sessions": [{"prescriptions": [prescription("\ud800")]}]}]),
        block_data(**{"\ud800": 1}),
    ],
)
def test_a_lone_surrogate_anywhere_is_refused_whole(exercises, coach, data):
    """Not Unicode: the database could not store it, a page could not show it (500s)."""
    before = written()

    with pytest.raises(BlockFileError) as caught:
        block_import(data=as_file(data), owner=coach)

    assert str(caught.value) == SURROGATE
    assert written() == before


def test_nesting_deeper_than_a_block_is_refused_whole(exercises, coach):
    deep = "deep"
    for _ in range(10):
        deep = [deep]
    data = as_file(block_data(notes=deep))

    with pytest.raises(BlockFileError, match=r"^The JSON is nested more than 10 levels deep\.$"):
        block_import(data=data, owner=coach)
    assert Block.objects.count() == 0


def test_a_list_far_over_its_limit_is_answered_at_once(exercises, coach):
    """Every one of 500,000 weeks past the 52nd was validated and reported, at length."""
    data = as_file(block_data(weeks=[{}] * 500_000))

    # CPU time: on a shared machine wall-clock time measures the neighbours.
    started = time.process_time()
    errors = refused(data, coach)

    assert time.process_time() - started < 2
    assert "weeks: has 500000 weeks; the limit is 52" in errors
    assert len(errors) < 60


def test_a_file_over_2_mb_is_refused(exercises, coach):
    data = as_file(block_data(notes="x" * MAX_FILE_BYTES))

    with pytest.raises(BlockFileError, match=r"^The file is 2\.0 MB; the limit is 2 MB\.$"):
        block_import(data=data, owner=coach)
    assert Block.objects.count() == 0


# Names


def test_a_name_clash_with_the_owners_block_gets_a_number(exercises, coach, other_coach):
    create_block(block_data(name="Base strength"), coach)
    create_block(block_data(name="BASE STRENGTH (2)"), coach)
    create_block(block_data(name="Base strength (3)"), other_coach)

    result = block_import(data=as_file(block_data(name="base strength")), owner=coach)

    assert result.block.name == "base strength (3)"
    assert result.notice == (
        "You already have a block named 'base strength'; imported it as 'base strength (3)'."
    )
    assert block_import(data=as_file(block_data()), owner=other_coach).block.name == (
        "Base strength"
    )


def test_a_long_name_is_cut_to_fit_its_number(exercises, coach):
    name = "x" * 120
    create_block(block_data(name=name), coach)

    result = block_import(data=as_file(block_data(name=name)), owner=coach)

    assert result.block.name == "x" * 116 + " (2)"


def test_the_name_given_replaces_the_files(exercises, coach):
    result = block_import(data=as_file(block_data(name="")), owner=coach, name=" Spring ")

    assert result.errors == []
    assert result.block.name == "Spring"
    assert refused(block_data(), coach, name=" ") == ["name: the new name is empty"]


# Commands


def run(command: str, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_block_by_id_prints_the_file(exercises, coach):
    block = create_block(rich_data(), coach)

    out, _err = run("export_block", str(block.pk))

    assert out == exported(block)


def test_export_block_by_name_ignores_case_and_writes_a_file(exercises, coach, tmp_path):
    block = create_block(rich_data(), coach)
    path = tmp_path / "block.json"

    out, err = run("export_block", "MARATHON BUILD — Chloé", "-o", str(path))

    assert out == ""
    assert err == f"Wrote {path}.\n"
    assert path.read_text(encoding="utf-8") == exported(block)


def test_export_block_refuses_an_ambiguous_or_unknown_name(exercises, coach, other_coach):
    first = create_block(block_data(), coach)
    second = create_block(block_data(), other_coach)

    with pytest.raises(CommandError) as caught:
        run("export_block", "base strength")
    assert str(caught.value) == (
        f"2 blocks are named 'base strength': ids {first.pk} (casey@example.com), "
        f"{second.pk} (olga@example.com). Give the id."
    )
    with pytest.raises(CommandError, match="No block has the id or the name 'nope'"):
        run("export_block", "nope")


def test_import_block_prints_what_it_created(exercises, coach, tmp_path):
    path = tmp_path / "block.json"
    path.write_bytes(as_file(block_data()))

    out, _err = run("import_block", str(path), "--owner", "CASEY@example.com")

    block = Block.objects.get()
    assert block.owner == coach
    assert (
        out == f"Imported 'Base strength' (id {block.pk}): 2 weeks, 4 sessions, 12 prescriptions\n"
    )


def test_import_block_says_when_it_renamed(exercises, coach, tmp_path):
    create_block(block_data(), coach)
    path = tmp_path / "block.json"
    path.write_bytes(as_file(block_data()))

    out, _err = run("import_block", str(path), "--owner", coach.email)

    assert out.splitlines()[0] == (
        "You already have a block named 'Base strength'; imported it as 'Base strength (2)'."
    )


def test_import_block_lists_every_error_and_writes_nothing(exercises, coach, tmp_path):
    data = change(f"{P}.reps_min", 0)
    change("weeks[0].phase", "peak", data)
    path = tmp_path / "block.json"
    path.write_bytes(as_file(data))

    with pytest.raises(CommandError) as caught:
        run("import_block", str(path), "--owner", coach.email)

    assert str(caught.value) == f"{path}: 2 errors: nothing was written"
    assert Block.objects.count() == 0


def test_import_block_prints_errors_one_per_line(exercises, coach, tmp_path):
    data = change(f"{P}.reps_min", 0)
    change("weeks[0].phase", "peak", data)
    path = tmp_path / "block.json"
    path.write_bytes(as_file(data))
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_block", str(path), "--owner", coach.email, stderr=err)

    assert err.getvalue().splitlines() == [
        'weeks[0].phase: "peak" is not one of: foundation, strength, power, maintenance, '
        "deload, taper, recovery",
        f"{P}.reps_min: must be at least 1",
    ]


def test_import_block_dry_run_writes_nothing(exercises, coach, tmp_path):
    path = tmp_path / "block.json"
    path.write_bytes(as_file(block_data()))

    out, _err = run("import_block", str(path), "--owner", coach.email, "--dry-run")

    assert out == (
        "'Base strength' is valid: 2 weeks, 4 sessions, 12 prescriptions "
        "(dry run: nothing was written)\n"
    )
    assert written() == (0, 0, 0, 0)


def test_import_block_takes_a_name(exercises, coach, tmp_path):
    path = tmp_path / "block.json"
    path.write_bytes(as_file(block_data()))

    run("import_block", str(path), "--owner", coach.email, "--name", "Winter")

    assert Block.objects.get().name == "Winter"


def test_import_block_refuses_an_owner_who_is_not_a_coach(exercises, tmp_path):
    AthleteFactory(email="ana@example.com")
    path = tmp_path / "block.json"
    path.write_bytes(as_file(block_data()))

    with pytest.raises(CommandError, match=r"^ana@example\.com is not a coach"):
        run("import_block", str(path), "--owner", "ana@example.com")
    with pytest.raises(CommandError, match=r"^No user has the email 'nobody@example\.com'"):
        run("import_block", str(path), "--owner", "nobody@example.com")
    assert Block.objects.count() == 0


def test_import_block_reports_an_unreadable_file(exercises, coach, tmp_path):
    path = tmp_path / "block.json"
    path.write_bytes(b"not json")

    with pytest.raises(CommandError, match=r"block\.json: Malformed JSON: Expecting value"):
        run("import_block", str(path), "--owner", coach.email)
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_block", str(tmp_path / "missing.json"), "--owner", coach.email)


def test_export_then_import_through_the_commands(exercises, coach, other_coach, tmp_path):
    block = create_block(rich_data(), coach)
    path = tmp_path / "block.json"
    run("export_block", str(block.pk), "-o", str(path))

    run("import_block", str(path), "--owner", other_coach.email)

    copy = Block.objects.get(owner=other_coach)
    assert exported(copy) == path.read_text(encoding="utf-8")
