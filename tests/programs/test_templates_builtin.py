"""The built-in block templates: their content against the seeds, loading them, and the
demo coach's blocks made from them."""

import json
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from library.io import BUILTIN_PATH
from library.models import Exercise
from programs.blocks import templates_builtin
from programs.blocks.data import block_to_dict
from programs.blocks.templates_builtin import (
    TEMPLATES_DIR,
    TemplateFileError,
    demo_blocks,
    load_builtin_templates,
)
from programs.models import Block, Prescription, Session, Week

TWELVE = "runner-strength-12-weeks"
THREE_DAY = "runner-strength-3-day-week"
IN_SEASON = "in-season-maintenance"
TAPER = "pre-race-taper"
FILES = {path.stem: json.loads(path.read_text()) for path in TEMPLATES_DIR.glob("*.json")}

# Seed 003's 12-week plan: the phase's key exercises and their dose (sets, reps).
SEED_003 = {
    "foundation": (
        range(1, 5),
        {"bodyweight-squat", "reverse-lunge", "glute-bridge", "plank"},
        (2, 3),
        (12, 15),
    ),
    "strength": (
        range(5, 9),
        {"goblet-squat", "romanian-deadlift", "single-leg-romanian-deadlift", "weighted-step-up"},
        (3, 3),
        (10, 12),
    ),
    "power": (
        range(9, 13),
        {"dumbbell-lunge", "hip-thrust", "box-jump", "single-leg-squat"},
        (3, 3),
        (8, 10),
    ),
}


@pytest.fixture
def library(db):
    call_command("load_library", stdout=StringIO())


@pytest.fixture
def builtins(library) -> dict[str, Block]:
    load_builtin_templates()
    return builtin_blocks()


@pytest.fixture
def template_dir(tmp_path, monkeypatch):
    """A copy of the template files the loader reads instead of the real ones."""
    directory = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, directory)
    monkeypatch.setattr(templates_builtin, "TEMPLATES_DIR", directory)
    return directory


def builtin_blocks() -> dict[str, Block]:
    blocks = Block.objects.with_structure().exclude(builtin_key="")
    return {block.builtin_key: block for block in blocks}


def structure_ids() -> dict[str, list[int]]:
    return {
        "blocks": sorted(Block.objects.values_list("pk", flat=True)),
        "weeks": sorted(Week.objects.values_list("pk", flat=True)),
        "sessions": sorted(Session.objects.values_list("pk", flat=True)),
        "prescriptions": sorted(Prescription.objects.values_list("pk", flat=True)),
    }


def prescriptions(week: dict) -> list[dict]:
    return [p for session in week["sessions"] for p in session["prescriptions"]]


def load_classes() -> dict[str, str]:
    """Load classes straight from the library file, so content tests need no database."""
    rows = json.loads(BUILTIN_PATH.read_text())
    return {row["slug"]: row["load_class"] for row in rows}


def test_there_are_the_four_templates_of_the_issue():
    assert set(FILES) == {TWELVE, THREE_DAY, IN_SEASON, TAPER}
    assert {key: data["name"] for key, data in FILES.items()} == {
        TWELVE: "12-week runner strength (3 phases)",
        THREE_DAY: "3-day runner strength week",
        IN_SEASON: "In-season maintenance (2 days)",
        TAPER: "Pre-race taper (10 days)",
    }


def test_all_four_load_as_shared_builtin_templates(library):
    lines = load_builtin_templates()

    blocks = builtin_blocks()
    assert set(blocks) == set(FILES)
    assert sorted(lines) == sorted(f'created {key} "{FILES[key]["name"]}"' for key in FILES)
    for key, block in blocks.items():
        assert (block.owner, block.is_template, block.is_shared) == (None, True, True)
        assert block.name == FILES[key]["name"]


def test_every_template_round_trips(builtins):
    for key, block in builtins.items():
        assert block_to_dict(block) == FILES[key], key


def test_every_row_satisfies_the_models_rules(builtins):
    """full_clean() checks choices, the tempo format and every check constraint."""
    blocks = list(builtins.values())
    for block in blocks:
        block.full_clean()
    rows = [
        *Week.objects.filter(block__in=blocks),
        *Session.objects.filter(week__block__in=blocks),
        *Prescription.objects.filter(session__week__block__in=blocks),
    ]
    assert len(rows) > 200
    for row in rows:
        row.full_clean()


def test_templates_use_only_published_library_exercises(library):
    published = set(Exercise.objects.published().values_list("slug", flat=True))
    for key, data in FILES.items():
        used = {p["exercise"] for week in data["weeks"] for p in prescriptions(week)}
        assert used <= published, key


# The 12-week plan of seed 003


def test_twelve_weeks_in_three_phases_on_monday_and_thursday():
    weeks = FILES[TWELVE]["weeks"]

    assert [w["number"] for w in weeks] == list(range(1, 13))
    assert [w["phase"] for w in weeks] == ["foundation"] * 4 + ["strength"] * 4 + ["power"] * 4
    for week in weeks:
        assert [s["day"] for s in week["sessions"]] == [1, 4]


def test_each_phase_trains_the_seeds_exercises_in_every_session():
    weeks = FILES[TWELVE]["weeks"]
    for phase, (numbers, exercises, _sets, _reps) in SEED_003.items():
        for number in numbers:
            week = weeks[number - 1]
            assert week["phase"] == phase
            for session in week["sessions"]:
                slugs = {p["exercise"] for p in session["prescriptions"]}
                assert exercises <= slugs, (number, session["title"])


def test_the_key_exercises_get_the_seeds_doses():
    weeks = FILES[TWELVE]["weeks"]
    for numbers, exercises, (fewest, most), (low, high) in SEED_003.values():
        for number in numbers:
            for p in prescriptions(weeks[number - 1]):
                if p["exercise"] not in exercises:
                    continue
                assert fewest <= p["sets"] <= most, (number, p)
                if p["exercise"] == "plank":
                    assert 30 <= p["duration_s"] <= 45
                    continue
                top = p["reps_max"] or p["reps_min"]
                assert low <= p["reps_min"] <= top <= high, (number, p)
                if p["progression"] == "double":
                    assert p["reps_cap"] == high


def test_foundation_is_bodyweight_and_loaded_lifts_are_by_effort():
    classes = load_classes()
    for week in FILES[TWELVE]["weeks"]:
        for p in prescriptions(week):
            if week["phase"] == "foundation" or classes[p["exercise"]] != "heavy_lower":
                assert p["load_type"] == "bodyweight", (week["number"], p["exercise"])
            elif p["exercise"] != "single-leg-squat":
                assert p["load_type"] == "rpe"
                assert 7 <= p["load_value"] <= 8


def test_timed_holds_use_seconds_and_single_leg_work_is_per_side():
    for data in FILES.values():
        for week in data["weeks"]:
            for p in prescriptions(week):
                if p["exercise"] in {"plank", "side-plank"}:
                    assert p["duration_s"]
                    assert p["reps_min"] is None
                if p["exercise"] in {"side-plank", "single-leg-squat", "reverse-lunge"}:
                    assert p["per_side"]


# Seed 002's week, in-season maintenance, the taper


def test_the_three_day_week_is_seed_002s():
    (week,) = FILES[THREE_DAY]["weeks"]

    assert [s["day"] for s in week["sessions"]] == [1, 3, 5]
    doses = [
        [
            (p["exercise"], p["sets"], p["reps_min"] or p["duration_s"])
            for p in session["prescriptions"]
        ]
        for session in week["sessions"]
    ]
    assert doses == [
        [("single-leg-squat", 3, 10), ("lunge-with-rotation", 3, 10), ("plank", 3, 30)],
        [
            ("single-leg-romanian-deadlift", 3, 8),
            ("calf-raise", 3, 15),
            ("band-lateral-walk", 3, 12),
        ],
        [("step-up", 3, 10), ("glute-bridge", 3, 12), ("side-plank", 3, 20)],
    ]
    single_leg_squat = week["sessions"][0]["prescriptions"][0]
    assert (single_leg_squat["progression"], single_leg_squat["reps_cap"]) == ("double", 15)


def test_in_season_maintenance_is_two_short_sessions_a_week():
    weeks = FILES[IN_SEASON]["weeks"]

    assert len(weeks) == 4
    for week in weeks:
        assert week["phase"] == "maintenance"
        assert len(week["sessions"]) == 2
        for session in week["sessions"]:
            assert sum(p["sets"] for p in session["prescriptions"]) <= 8
        for p in prescriptions(week):
            assert p["sets"] <= 2
            assert p["load_type"] in {"bodyweight", "rpe"}
            assert p["load_value"] is None or p["load_value"] <= 7


def test_the_taper_is_two_lighter_weeks_with_nothing_heavy_in_the_second():
    classes = load_classes()
    weeks = FILES[TAPER]["weeks"]

    assert [w["phase"] for w in weeks] == ["taper", "taper"]
    last = prescriptions(weeks[1])
    for p in last:
        assert p["load_type"] not in {"kg", "pct_1rm"}
        assert not (
            classes[p["exercise"]] == "heavy_lower"
            and p["load_type"] == "rpe"
            and p["load_value"] >= 8
        )
        # Light activation only: no loaded lower-body work and no jumps at all.
        assert classes[p["exercise"]] not in {"heavy_lower", "plyometric"}
        assert p["load_type"] == "bodyweight"
    assert sum(p["sets"] for p in last) < sum(p["sets"] for p in prescriptions(weeks[0]))
    # From 10 days out (Thursday of week 1, for a race on Sunday of week 2): light only.
    thursday = weeks[0]["sessions"][1]
    assert thursday["day"] == 4
    for p in thursday["prescriptions"]:
        assert classes[p["exercise"]] not in {"heavy_lower", "plyometric"}


# Loading again


def test_loading_twice_changes_nothing(builtins, django_assert_max_num_queries):
    before = structure_ids()

    # One exercise lookup per file, the existing templates, and the transaction.
    with django_assert_max_num_queries(10):
        assert load_builtin_templates() == []

    assert structure_ids() == before


def test_the_command_reports_changes_then_up_to_date(library):
    out = StringIO()
    call_command("load_templates", stdout=out)
    assert "created runner-strength-12-weeks" in out.getvalue()
    assert out.getvalue().rstrip().endswith("Built-in templates: 4 changed.")

    out = StringIO()
    call_command("load_templates", stdout=out)
    assert out.getvalue() == "Built-in templates up to date.\n"


def test_a_changed_file_replaces_its_block_and_keeps_copies(builtins, template_dir, coach):
    old = builtins[TAPER]
    others = {key: block.pk for key, block in builtins.items() if key != TAPER}
    (copy,) = [b for b in demo_blocks(coach) if b.name == "In-season maintenance"]
    taper_copy = Block.objects.create(owner=coach, name="My taper", created_from=old)
    changed = json.loads((template_dir / f"{TAPER}.json").read_text())
    changed["weeks"][1]["sessions"][1]["prescriptions"][0]["sets"] = 2
    changed["notes"] = "Changed."
    (template_dir / f"{TAPER}.json").write_text(json.dumps(changed))

    lines = load_builtin_templates()

    assert lines == [
        f'replaced {TAPER} "Pre-race taper (10 days)": the file changed; 1 copy made from it kept'
    ]
    blocks = builtin_blocks()
    assert blocks[TAPER].pk != old.pk
    assert not Block.objects.filter(pk=old.pk).exists()
    assert block_to_dict(blocks[TAPER]) == changed
    assert {key: b.pk for key, b in blocks.items() if key != TAPER} == others
    taper_copy.refresh_from_db()
    assert taper_copy.created_from == blocks[TAPER]
    copy.refresh_from_db()
    assert copy.created_from == blocks[IN_SEASON]


def test_force_rewrites_every_template(builtins, template_dir):
    lines = load_builtin_templates(force=True)

    assert len(lines) == 4
    assert all(line.startswith("rewrote ") for line in lines)
    assert not {b.pk for b in builtins.values()} & {b.pk for b in builtin_blocks().values()}


def test_an_unknown_exercise_names_the_file_and_path(library, template_dir):
    data = json.loads((template_dir / f"{THREE_DAY}.json").read_text())
    data["weeks"][0]["sessions"][2]["prescriptions"][1]["exercise"] = "glute-bridgee"
    (template_dir / f"{THREE_DAY}.json").write_text(json.dumps(data))

    with pytest.raises(TemplateFileError) as error:
        load_builtin_templates()

    message = str(error.value)
    assert message.startswith(f"{THREE_DAY}.json: weeks[0].sessions[2].prescriptions[1].exercise: ")
    assert "'glute-bridgee'" in message
    assert message.endswith("(load the library first: manage.py load_library)")
    assert not Block.objects.exists()


def test_a_retired_exercise_is_refused(builtins):
    Exercise.objects.filter(slug="clamshell").update(status="retired")

    with pytest.raises(TemplateFileError, match=r"weeks\[0\]\.sessions\[0\]\.prescriptions\[5\]"):
        load_builtin_templates()
    with pytest.raises(CommandError, match="'clamshell' is retired"):
        call_command("load_templates", stdout=StringIO())


def test_a_template_file_is_validated_like_any_block_file(library, template_dir):
    data = json.loads((template_dir / f"{TAPER}.json").read_text())
    del data["weeks"][0]["sessions"][0]["prescriptions"][2]["tempo"]  # optional: defaults
    data["weeks"][1]["phase"] = "peak"
    data["weeks"][1]["sessions"][0]["prescriptions"][0]["sets"] = 0
    (template_dir / f"{TAPER}.json").write_text(json.dumps(data))

    with pytest.raises(TemplateFileError) as error:
        load_builtin_templates()

    lines = str(error.value).splitlines()
    assert [line.split(":")[1].strip() for line in lines] == [
        "weeks[1].phase",
        "weeks[1].sessions[0].prescriptions[0].sets",
    ]
    assert all(line.startswith(f"{TAPER}.json: ") for line in lines)
    assert not Block.objects.exists()


# The demo coach's blocks


def test_demo_blocks_copy_two_templates_once(builtins, coach):
    blocks = demo_blocks(coach)

    assert [b.name for b in blocks] == ["Spring marathon block", "In-season maintenance"]
    for block, key in zip(blocks, [TWELVE, IN_SEASON], strict=True):
        assert (block.owner, block.is_template, block.builtin_key) == (coach, False, "")
        assert block.created_from == builtins[key]
        data = block_to_dict(Block.objects.with_structure().get(pk=block.pk))
        assert data == FILES[key] | {"name": block.name}

    before = structure_ids()
    assert [b.pk for b in demo_blocks(coach)] == [b.pk for b in blocks]
    assert structure_ids() == before


def test_demo_blocks_load_the_templates_when_missing(library, coach):
    blocks = demo_blocks(coach)

    assert set(builtin_blocks()) == set(FILES)
    assert len(blocks) == 2
