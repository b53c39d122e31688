import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from library.io import BUILTIN_PATH, exercise_record, record_checksum
from library.models import Exercise, ExerciseMuscle, Source
from tests.factories import ExerciseFactory

BUILTIN = json.loads(BUILTIN_PATH.read_text())
KEPT_EDITED = "kept (edited by a curator; use --force to overwrite)"


def load(*args) -> str:
    out = StringIO()
    call_command("load_library", *args, stdout=out)
    return out.getvalue()


def library_state() -> dict:
    return {
        "exercises": list(Exercise.objects.order_by("pk").values()),
        "muscles": list(ExerciseMuscle.objects.order_by("pk").values()),
        "equipment": list(Exercise.equipment.through.objects.order_by("pk").values()),
    }


def changed_copy(tmp_path: Path, changes: dict[str, dict], extra: list | None = None) -> str:
    """The built-in file with some rows changed (by slug), as a new file."""
    rows = [row | changes.get(row["slug"], {}) for row in BUILTIN] + (extra or [])
    path = tmp_path / "exercises.json"
    path.write_text(json.dumps(rows))
    return str(path)


def curator_edits(slug: str, **values) -> None:
    exercise = Exercise.objects.get(slug=slug)
    for name, value in values.items():
        setattr(exercise, name, value)
    exercise.save()


def test_the_first_load_creates_the_builtin_library(db):
    output = load()

    assert output.strip().endswith("Built-in exercise library: 90 created, 0 updated, 0 unchanged.")
    assert Exercise.objects.count() == len(BUILTIN) == 90
    assert set(Exercise.objects.values_list("source", flat=True)) == {Source.BUILTIN}
    for exercise in Exercise.objects.with_details():
        assert exercise.builtin_checksum == record_checksum(exercise_record(exercise))
    goblet = Exercise.objects.get(slug="goblet-squat")
    assert goblet.easier.slug == "bodyweight-squat"
    by_slug = {row["slug"]: row for row in BUILTIN}
    plank = exercise_record(Exercise.objects.get(slug="plank"))
    assert plank["cues"] == by_slug["plank"]["cues"]
    assert plank["primary_muscles"] == sorted(by_slug["plank"]["primary_muscles"])


def test_a_second_load_changes_nothing_and_says_so_in_one_line(db):
    load()
    before = library_state()

    with CaptureQueriesContext(connection) as queries:
        output = load()

    assert library_state() == before
    assert output == "Built-in exercise library: 0 created, 0 updated, 90 unchanged.\n"
    assert len(queries) <= 10


def test_a_changed_data_file_flows_into_unedited_rows(db, tmp_path):
    load()
    new_row = BUILTIN[0] | {"name": "Pogo jump", "slug": "pogo-jump", "aliases": []}
    path = changed_copy(
        tmp_path,
        {"plank": {"cues": "Brace hard\nBreathe"}, "side-plank": {"easier": "dead-bug"}},
        extra=[new_row],
    )

    output = load("--file", path)

    assert "1 created, 2 updated, 88 unchanged" in output
    assert "  created: pogo-jump\n" in output
    assert "  updated: plank, side-plank\n" in output
    plank = Exercise.objects.get(slug="plank")
    assert plank.cue_list == ["Brace hard", "Breathe"]
    assert plank.builtin_checksum == record_checksum(exercise_record(plank))
    assert Exercise.objects.get(slug="side-plank").easier.slug == "dead-bug"
    assert load("--file", path).endswith("0 created, 0 updated, 91 unchanged.\n")


def test_a_row_edited_by_a_curator_is_kept_unless_forced(db, tmp_path):
    load()
    curator_edits("plank", cues="Our own cue")
    path = changed_copy(tmp_path, {"plank": {"cues": "Brace hard"}})

    output = load("--file", path)

    assert f"  {KEPT_EDITED}: plank\n" in output
    assert "0 created, 0 updated, 89 unchanged, 1 kept" in output
    assert Exercise.objects.get(slug="plank").cues == "Our own cue"
    assert KEPT_EDITED in load()  # kept on every run, not only once

    output = load("--file", path, "--force")

    assert "1 updated" in output
    plank = Exercise.objects.get(slug="plank")
    assert plank.cues == "Brace hard"
    assert plank.builtin_checksum == record_checksum(exercise_record(plank))
    assert load("--file", path).endswith("0 created, 0 updated, 90 unchanged.\n")


def test_a_curator_edit_to_the_muscles_is_noticed_too(db):
    load()
    plank = Exercise.objects.get(slug="plank")
    plank.muscle_roles.filter(primary=False).delete()

    output = load()

    assert f"{KEPT_EDITED}: plank" in output
    assert not plank.muscle_roles.filter(primary=False).exists()


def test_an_exercise_not_from_the_builtin_library_is_left_alone_unless_forced(db):
    ExerciseFactory(name="Plank", slug="plank", cues="Coach's version", source=Source.CURATOR)

    output = load()

    assert "89 created, 0 updated, 0 unchanged, 1 kept" in output
    assert "kept (not from the built-in library; use --force to overwrite): plank" in output
    assert Exercise.objects.get(slug="plank").cues == "Coach's version"

    load("--force")

    plank = Exercise.objects.get(slug="plank")
    assert plank.source == Source.BUILTIN
    assert plank.builtin_checksum == record_checksum(exercise_record(plank))
    assert plank.cues != "Coach's version"


def test_an_invalid_data_file_writes_nothing(db, tmp_path):
    load()
    before = library_state()
    path = changed_copy(tmp_path, {"plank": {"pattern": "planking"}, "a-skip": {"easier": "nope"}})
    err = StringIO()

    with pytest.raises(CommandError, match="2 errors: nothing was written"):
        call_command("load_library", "--file", path, stdout=StringIO(), stderr=err)

    assert library_state() == before
    rows = {row["slug"]: n for n, row in enumerate(BUILTIN, start=1)}
    assert f"row {rows['a-skip']}, easier: no exercise 'nope'" in err.getvalue()
    assert f"row {rows['plank']}, pattern: 'planking' is not one of" in err.getvalue()


def test_a_missing_data_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        load("--file", str(tmp_path / "nowhere.json"))


def test_a_curators_exercise_with_a_builtin_name_is_kept_and_the_load_goes_on(db):
    mine = ExerciseFactory(name="Goblet squat", slug="my-goblet-squat", source="curator")
    out = StringIO()

    call_command("load_library", stdout=out)

    assert not Exercise.objects.filter(slug="goblet-squat").exists()
    assert Exercise.objects.get(slug="split-squat").easier == mine
    assert "kept (the library already has this exercise as 'my-goblet-squat'): goblet-squat" in (
        out.getvalue()
    )
    assert Exercise.objects.filter(source="builtin").count() == 89
