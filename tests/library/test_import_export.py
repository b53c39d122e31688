import csv
import io
import json
import re
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from library.io import (
    BUILTIN_PATH,
    COLUMNS,
    LibraryFileError,
    RowError,
    exercise_record,
    export_exercises,
    import_exercises,
    read_records,
)
from library.models import (
    Equipment,
    Exercise,
    ExerciseMuscle,
    LoadClass,
    Muscle,
    Pattern,
    Source,
    Status,
)
from tests.factories import CuratorFactory, ExerciseFactory

PATTERN_SLUGS = (
    "squat, hinge, lunge, step_up, calf_ankle, hip_glute, plyometric, core, balance, "
    "mobility, push, pull, carry, other"
)
EQUIPMENT_SLUGS = (
    "bodyweight, band, dumbbell, kettlebell, barbell, box, bench, stability_ball, "
    "wobble_board, cable, machine, weight_vest, medicine_ball, pull_up_bar, mat"
)


def row(**changes) -> dict:
    """A valid exercise as a JSON object; ``changes`` override its values."""
    values = {
        "name": "Goblet squat",
        "slug": "goblet-squat",
        "aliases": ["kettlebell squat"],
        "pattern": "squat",
        "load_class": "heavy_lower",
        "primary_muscles": ["quadriceps", "glutes"],
        "secondary_muscles": ["core"],
        "equipment": ["kettlebell", "dumbbell"],
        "unilateral": False,
        "foot_contacts_per_rep": 0,
        "cues": "Hold the bell at the chest\nSit between the heels",
        "faults": "Heels lifting",
        "demo_url": "https://example.com/goblet",
        "status": "published",
        "easier": "",
    }
    return values | changes


def as_json(rows: list[dict]) -> bytes:
    return json.dumps(rows).encode()


def as_csv(rows: list[dict], columns=COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for values in rows:
        cells = []
        for column in columns:
            value = values.get(column, "")
            if isinstance(value, list):
                value = "|".join(value)
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            cells.append(str(value))
        writer.writerow(cells)
    return buffer.getvalue().encode()


def import_csv(rows: list[dict], **kwargs):
    return import_exercises(data=as_csv(rows), filename="library.csv", **kwargs)


def import_json(rows: list[dict], **kwargs):
    return import_exercises(data=as_json(rows), filename="library.json", **kwargs)


def library_state() -> dict:
    """Everything an import writes, to show that a failed import wrote nothing."""
    return {
        "exercises": list(Exercise.objects.order_by("pk").values()),
        "muscles": list(ExerciseMuscle.objects.order_by("pk").values()),
        "equipment": list(Exercise.equipment.through.objects.order_by("pk").values()),
    }


# Importing


def test_import_csv_creates_exercises_with_vocabulary_and_progressions(db):
    report = import_csv(
        [
            row(easier="bodyweight-squat"),
            row(
                name="Bodyweight squat",
                slug="",
                aliases=[],
                load_class="light_lower",
                primary_muscles=["quadriceps"],
                secondary_muscles=[],
                equipment=["bodyweight"],
                unilateral=True,
                foot_contacts_per_rep=2,
                demo_url="",
                status="draft",
            ),
        ]
    )

    assert report.ok
    assert report.created == ["goblet-squat", "bodyweight-squat"]
    assert report.summary() == "2 created, 0 updated, 0 unchanged"
    goblet = Exercise.objects.get(slug="goblet-squat")
    assert exercise_record(goblet) == row(
        primary_muscles=["glutes", "quadriceps"],
        equipment=["dumbbell", "kettlebell"],
        easier="bodyweight-squat",
    )
    assert goblet.source == Source.IMPORT
    assert Exercise.objects.search("kettlebell squat").get() == goblet
    easy = Exercise.objects.get(slug="bodyweight-squat")
    assert (easy.unilateral, easy.foot_contacts_per_rep, easy.status) == (True, 2, "draft")


def test_import_json_records_the_proposer_and_source(db):
    curator = CuratorFactory()

    report = import_json([row()], source=Source.CURATOR, proposed_by=curator)

    assert report.created == ["goblet-squat"]
    exercise = Exercise.objects.get()
    assert (exercise.source, exercise.proposed_by) == (Source.CURATOR, curator)


def test_empty_optional_values_take_their_defaults_and_the_slug_comes_from_the_name(db):
    import_csv(
        [
            {
                "name": "Chloé's  single-leg RDL",
                "pattern": "hinge",
                "load_class": "heavy_lower",
                "primary_muscles": ["hamstrings"],
            }
        ]
    )

    exercise = Exercise.objects.get()
    assert exercise.slug == "chloes-single-leg-rdl"
    assert exercise.name == "Chloé's single-leg RDL"
    assert (exercise.unilateral, exercise.foot_contacts_per_rep) == (False, 0)
    assert exercise.status == "published"
    assert (exercise.easier, exercise.demo_url, exercise.aliases) == (None, "", [])


def test_labels_are_accepted_in_any_case(db):
    report = import_csv(
        [
            row(
                pattern="LUNGE / SPLIT",
                load_class="Heavy lower body",
                primary_muscles=["Hamstrings", "glute MEDIUS"],
                secondary_muscles=["Feet and ankles"],
                equipment=["resistance band", "Box / step"],
                status="Draft",
            )
        ]
    )

    assert report.ok, report.errors
    record = exercise_record(Exercise.objects.get())
    assert record["pattern"] == "lunge"
    assert record["load_class"] == "heavy_lower"
    assert record["primary_muscles"] == ["glute_medius", "hamstrings"]
    assert record["secondary_muscles"] == ["feet_ankles"]
    assert record["equipment"] == ["band", "box"]
    assert record["status"] == "draft"


@pytest.mark.parametrize(
    ("word", "expected"),
    [("true", True), ("Yes", True), ("1", True), ("FALSE", False), ("no", False), ("0", False)],
)
def test_boolean_words(db, word, expected):
    import_csv([row(unilateral=word)])

    assert Exercise.objects.get().unilateral is expected


def test_reimport_updates_by_slug_and_replaces_muscles_and_equipment(db):
    import_json([row(), row(name="Plank", slug="plank", pattern="core", load_class="core")])
    goblet = Exercise.objects.get(slug="goblet-squat")

    report = import_json(
        [
            row(
                name="Goblet squat (heels raised)",
                primary_muscles=["quadriceps"],
                secondary_muscles=["glutes"],
                equipment=["kettlebell"],
                easier="plank",
            ),
            row(name="Plank", slug="plank", pattern="core", load_class="core"),
            row(name="Side plank", slug="side-plank", pattern="core", load_class="core"),
        ]
    )

    assert (report.created, report.updated, report.unchanged) == (
        ["side-plank"],
        ["goblet-squat"],
        ["plank"],
    )
    updated = Exercise.objects.get(slug="goblet-squat")
    assert updated.pk == goblet.pk
    assert updated.created_at == goblet.created_at
    assert updated.updated_at > goblet.updated_at
    assert exercise_record(updated) | {"name": ""} == row(
        name="",
        primary_muscles=["quadriceps"],
        secondary_muscles=["glutes"],
        equipment=["kettlebell"],
        easier="plank",
    )
    assert Exercise.objects.search("heels raised").get() == updated
    assert Exercise.objects.count() == 3


def test_easier_may_name_an_exercise_already_in_the_library(db):
    bridge = ExerciseFactory(name="Glute bridge", slug="glute-bridge")

    import_csv([row(name="Hip thrust", slug="hip-thrust", easier="glute-bridge")])

    assert Exercise.objects.get(slug="hip-thrust").easier == bridge


def test_dry_run_reports_what_would_change_and_writes_nothing(db):
    import_json([row()])
    before = library_state()

    report = import_json([row(cues="New cue"), row(name="Plank", slug="plank")], dry_run=True)

    assert (report.created, report.updated) == (["plank"], ["goblet-squat"])
    assert report.summary() == "1 created, 1 updated, 0 unchanged (dry run: nothing was written)"
    assert library_state() == before


def test_the_number_of_queries_does_not_grow_with_the_file(db):
    def rows(count: int, changes: dict) -> list[dict]:
        return [
            row(
                name=f"Squat {count}.{n}",
                slug=f"squat-{count}-{n}",
                easier=f"squat-{count}-{n - 1}" if n else "",
            )
            | changes
            for n in range(count)
        ]

    counts = []
    for size in (3, 60):
        for changes in ({}, {"cues": "Changed"}):  # create, then update
            with CaptureQueriesContext(connection) as queries:
                report = import_json(rows(size, changes))
            assert report.ok
            counts.append(len(queries))

    assert counts[:2] == counts[2:]


# Row errors: each is reported with its row and column, and nothing is written.


@pytest.fixture
def library(db):
    """Exercises already in the library: a valid row of each file updates the wall sit."""
    ExerciseFactory(name="Wall sit", slug="wall-sit", pattern="squat")
    ExerciseFactory(name="Plank", slug="plank", pattern="core", primary=["core"])
    return library_state()


def assert_only_error(report, expected: str, state: dict):
    assert [str(error) for error in report.errors] == [expected]
    assert not report.ok
    assert report.summary() == "1 error: nothing was written"
    assert library_state() == state


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"equipment": ["dumbbell", "kettle bell"]},
            f"row 4, equipment: 'kettle bell' is not one of: {EQUIPMENT_SLUGS}",
            id="unknown-equipment",
        ),
        pytest.param(
            {"pattern": "lunges"},
            f"row 4, pattern: 'lunges' is not one of: {PATTERN_SLUGS}",
            id="unknown-pattern",
        ),
        pytest.param({"pattern": ""}, "row 4, pattern: required", id="missing-pattern"),
        pytest.param(
            {"load_class": "heavy"},
            "row 4, load_class: 'heavy' is not one of: heavy_lower, plyometric, "
            "light_lower, core, upper, mobility",
            id="unknown-load-class",
        ),
        pytest.param({"name": "  "}, "row 4, name: required", id="missing-name"),
        pytest.param(
            {"slug": "goblet-squat", "name": "Front squat"},
            "row 4, slug: 'goblet-squat' is also on row 2",
            id="duplicate-slug",
        ),
        pytest.param(
            {"slug": "goblet-squat-2", "name": "GOBLET squat"},
            "row 4, name: 'GOBLET squat' is also on row 2",
            id="duplicate-name",
        ),
        pytest.param(
            {"slug": "", "name": "Goblet Squat"},
            "row 4, name: 'Goblet Squat' is also on row 2",
            id="duplicate-name-and-so-slug",
        ),
        pytest.param(
            {"name": "PLANK"},
            "row 4, name: 'PLANK' is already the name of exercise 'plank'",
            id="name-of-another-exercise",
        ),
        pytest.param(
            {"easier": "nowhere"},
            "row 4, easier: no exercise 'nowhere' in this file or the library",
            id="unknown-easier",
        ),
        pytest.param(
            {"easier": "split-squat"},
            "row 4, easier: an exercise cannot be its own easier variant",
            id="easier-is-itself",
        ),
        pytest.param(
            {"primary_muscles": ["glutes"], "secondary_muscles": ["Glutes", "core"]},
            "row 4, secondary_muscles: 'glutes' is also listed as a primary muscle",
            id="muscle-primary-and-secondary",
        ),
        pytest.param(
            {"primary_muscles": []},
            "row 4, primary_muscles: at least one muscle is required",
            id="no-primary-muscle",
        ),
        pytest.param(
            {"unilateral": "maybe"},
            "row 4, unilateral: 'maybe' is not one of: true, yes, 1, false, no, 0",
            id="bad-boolean",
        ),
        pytest.param(
            {"foot_contacts_per_rep": "-1"},
            "row 4, foot_contacts_per_rep: '-1' is not a whole number from 0 to 20",
            id="negative-foot-contacts",
        ),
        pytest.param(
            {"foot_contacts_per_rep": "21"},
            "row 4, foot_contacts_per_rep: '21' is not a whole number from 0 to 20",
            id="too-many-foot-contacts",
        ),
        pytest.param(
            {"demo_url": "youtube.com/watch?v=1"},
            "row 4, demo_url: 'youtube.com/watch?v=1' is not a secure web address (https://...)",
            id="bad-url",
        ),
        pytest.param(
            {"demo_url": "http://youtube.com/watch?v=1"},
            "row 4, demo_url: 'http://youtube.com/watch?v=1' is not a secure web address "
            "(https://...)",
            id="http-url",
        ),
        pytest.param(
            {"demo_url": "javascript:alert(1)"},
            "row 4, demo_url: 'javascript:alert(1)' is not a secure web address (https://...)",
            id="script-url",
        ),
        pytest.param(
            {"status": "live"},
            "row 4, status: 'live' is not one of: draft, published, retired",
            id="unknown-status",
        ),
        pytest.param(
            {"slug": "split squat"},
            "row 4, slug: 'split squat' is not a slug (letters, digits, hyphens and underscores)",
            id="bad-slug",
        ),
    ],
)
def test_a_row_error_is_reported_and_nothing_is_written(library, changes, expected):
    """Rows 2 and 3 are valid (3 would update the existing exercise); row 4 is not."""
    rows = [
        row(),
        row(name="Wall sit", slug="wall-sit", cues="Changed"),
        row(name="Split squat", slug="split-squat") | changes,
    ]

    # The same rows in JSON are numbered from 1.
    for report, expected_row in (
        (import_csv(rows), expected),
        (import_json(rows), expected.replace("row 2", "row 1").replace("row 4", "row 3")),
    ):
        assert_only_error(report, expected_row, library)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("-1", "'-1' is not a whole number from 0 to 20"),
        (2.5, "2.5 is not a whole number from 0 to 20"),
        (True, "True is not a whole number from 0 to 20"),
    ],
)
def test_json_foot_contacts_must_be_whole_numbers(library, cell, expected):
    report = import_json([row(foot_contacts_per_rep=cell)])

    assert_only_error(report, f"row 1, foot_contacts_per_rep: {expected}", library)


def test_json_values_of_the_wrong_type_are_row_errors(library):
    report = import_json([row(name=12, equipment="dumbbell", primary_muscles=[1])])

    assert [str(error) for error in report.errors] == [
        "row 1, name: must be text, not 12",
        "row 1, primary_muscles: must be a list of text",
    ]
    assert library_state() == library


def test_a_json_alias_may_not_hold_the_csv_list_separator(library):
    report = import_json([row(aliases=["split|squat"])])

    assert_only_error(
        report, "row 1, aliases: 'split|squat' contains '|', which separates aliases", library
    )


def test_a_progression_cycle_is_reported_once(library):
    report = import_csv(
        [
            row(easier="split-squat"),
            row(name="Split squat", slug="split-squat", easier="lunge"),
            row(name="Lunge", slug="lunge", easier="goblet-squat"),
        ]
    )

    assert_only_error(
        report,
        "row 2, easier: progression cycle: goblet-squat → split-squat → lunge → goblet-squat",
        library,
    )


def test_a_cycle_through_an_exercise_already_in_the_library_is_reported(db):
    import_json([row(), row(name="Hip thrust", slug="hip-thrust", easier="goblet-squat")])
    state = library_state()

    report = import_json([row(easier="hip-thrust")])

    assert_only_error(
        report,
        "row 1, easier: progression cycle: goblet-squat → hip-thrust → goblet-squat",
        state,
    )


def test_every_error_is_listed_in_row_order(library):
    report = import_csv(
        [
            row(pattern="jump", equipment=["sofa", "band"]),
            row(name="Plank", slug="plank"),
            row(name="", slug="x", unilateral="sometimes"),
        ]
    )

    assert [str(error) for error in report.errors] == [
        f"row 2, pattern: 'jump' is not one of: {PATTERN_SLUGS}",
        f"row 2, equipment: 'sofa' is not one of: {EQUIPMENT_SLUGS}",
        "row 4, name: required",
        "row 4, unilateral: 'sometimes' is not one of: true, yes, 1, false, no, 0",
    ]
    assert report.summary() == "4 errors: nothing was written"
    assert library_state() == library


def test_unknown_csv_columns_are_named_on_row_1(library):
    data = as_csv([row(category="Legs")], columns=[*COLUMNS, "category", "Licence"])

    report = import_exercises(data=data, filename="wger.csv")

    expected = f"unknown column; the columns are: {', '.join(COLUMNS)}"
    assert report.errors == [
        RowError(1, "category", expected),
        RowError(1, "licence", expected),
    ]
    assert library_state() == library


def test_unknown_json_keys_are_named_once_where_first_seen(library):
    report = import_json([row(), row(slug="x", name="X", category=1), row(category=2)])

    assert [(e.row, e.column) for e in report.errors if "unknown" in e.message] == [(2, "category")]
    assert library_state() == library


def test_a_missing_required_csv_column_is_one_error(library):
    columns = [c for c in COLUMNS if c != "load_class"]

    report = import_exercises(
        data=as_csv([row(), row(slug="plank", name="Plank")], columns=columns),
        filename="library.csv",
    )

    assert report.errors == [RowError(1, "load_class", "column is missing; it is required")]
    assert library_state() == library


def test_csv_column_names_ignore_case_and_spaces(db):
    data = as_csv([row()]).replace(b"primary_muscles", b"Primary Muscles", 1)

    report = import_exercises(data=data, filename="library.csv")

    assert report.created == ["goblet-squat"]


def test_cells_beyond_the_header_are_a_row_error(library):
    data = as_csv([row()]).rstrip(b"\r\n") + b",surprise\r\n"

    report = import_exercises(data=data, filename="library.csv")

    assert [str(e) for e in report.errors] == ["row 2: has more values than the header has columns"]
    assert library_state() == library


# File errors: one message for the whole file, nothing written.


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        pytest.param(b'[{"name": "x",}]', "x.json", "Malformed JSON: ", id="malformed-json"),
        pytest.param(b'{"name": "x"}', "x.json", "must hold a list", id="json-not-a-list"),
        pytest.param(b'["x"]', "x.json", "Item 1 of the JSON list", id="json-item"),
        pytest.param(
            "name,pattern\nCaf\xe9,squat\n".encode("latin-1"),
            "x.csv",
            r"not UTF-8 text \(byte 0xe9 on line 2\)",
            id="not-utf-8",
        ),
        pytest.param("name,pattern\n".encode("utf-16"), "x.csv", "UTF-16 text", id="utf-16"),
        pytest.param(
            b'name,pattern\n"unclosed,squat\n', "x.csv", "Malformed CSV on line 2", id="bad-csv"
        ),
        pytest.param(b"name;pattern\nPlank;core\n", "x.csv", "commas", id="semicolons"),
        pytest.param(b"name,name\nx,y\n", "x.csv", "repeats the column", id="repeated-column"),
        pytest.param(b"  \r\n", "x.csv", "The file is empty", id="empty"),
        pytest.param(b",,\nPlank,core,core\n", "x.csv", "must be the header", id="no-header"),
        pytest.param(b"name\nx\n", "library.xlsx", r"not a \.csv or \.json", id="wrong-type"),
        pytest.param(
            b"[" + b" " * (5 * 1024 * 1024) + b"]",
            "x.json",
            "the limit is 5 MB",
            id="too-large",
        ),
    ],
)
def test_an_unreadable_file_is_one_error_and_nothing_is_written(library, data, filename, message):
    with pytest.raises(LibraryFileError, match=message):
        import_exercises(data=data, filename=filename)

    assert library_state() == library


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        pytest.param(b"[" * 100_000 + b"]" * 100_000, "x.json", "nested", id="deep-json"),
        pytest.param(
            json.dumps([row(name="x\ud800y")]).encode(), "x.json", "lone surrogate", id="surrogate"
        ),
        pytest.param(
            json.dumps([row(**{"\udfff": 1})]).encode(), "x.json", "lone surrogate", id="key"
        ),
        pytest.param(
            b"name,pattern\nPlank,core\x00\n", "x.csv", "NUL character \\(line 2\\)", id="nul"
        ),
    ],
)
def test_json_nesting_surrogates_and_nul_are_one_clear_error(library, data, filename, message):
    """Once a RecursionError and text no database column can hold: 500s."""
    with pytest.raises(LibraryFileError, match=message):
        import_exercises(data=data, filename=filename)

    assert library_state() == library


def test_a_huge_header_is_answered_at_once(library):
    """Duplicate columns were counted pairwise: 120 KB of header took 44 s."""
    header = ",".join(f"c{n}" for n in range(20_000)).encode()

    started = time.monotonic()
    with pytest.raises(LibraryFileError, match="20,000 columns"):
        import_exercises(data=header + b"\nx\n", filename="x.csv")

    assert time.monotonic() - started < 2


def test_too_many_rows_is_a_file_error(library):
    data = b"name\n" + b"x\n" * 10_001

    with pytest.raises(LibraryFileError, match="10,001 rows; the limit is 10,000"):
        import_exercises(data=data, filename="big.csv")


# Encodings and CSV quirks


def test_csv_with_bom_crlf_quoted_commas_and_line_breaks(db):
    text = (
        "\ufeffname,pattern,load_class,primary_muscles,equipment,cues\r\n"
        '"Squat, goblet",squat,heavy_lower,quadriceps|glutes,kettlebell,'
        '"Elbows inside the knees\r\nChest up, ""proud""\r\n"\r\n'
        "Plank,core,core,core,,\r\n"
    )

    report = import_exercises(data=text.encode(), filename="library.csv")

    assert report.created == ["squat-goblet", "plank"]
    goblet = Exercise.objects.get(slug="squat-goblet")
    assert goblet.name == "Squat, goblet"
    assert goblet.cues == 'Elbows inside the knees\nChest up, "proud"'
    assert goblet.cue_list == ["Elbows inside the knees", 'Chest up, "proud"']


def test_row_numbers_count_records_not_lines(library):
    text = (
        "name,pattern,load_class,primary_muscles,cues\n"
        'Plank,core,core,core,"line one\nline two\nline three"\n'
        "\n"
        "Side plank,core,core,obliques|nope,\n"
    )

    report = import_exercises(data=text.encode(), filename="library.csv")

    assert [(e.row, e.column) for e in report.errors] == [(4, "primary_muscles")]


def test_json_with_a_bom(db):
    data = "\ufeff".encode() + as_json([row(name="Chloé squat", slug="chloe-squat")])

    report = import_exercises(data=data, filename="LIBRARY.JSON")

    assert report.created == ["chloe-squat"]
    assert Exercise.objects.get().name == "Chloé squat"


def test_read_records_gives_rows_keyed_by_column_with_their_numbers(db):
    records = read_records(b"Name,Pattern\nPlank,core\n\nSide plank,core\n", "x.csv")

    assert records == [
        {"name": "Plank", "pattern": "core"},
        {"name": "Side plank", "pattern": "core"},
    ]
    assert [record.row for record in records] == [2, 4]


# Export and round trips


def test_export_writes_slugs_sorted_by_slug(db):
    import_json(
        [
            row(easier="plank", equipment=["Kettlebell", "dumbbell"]),
            row(name="Plank", slug="plank", cues="Brace\nBreathe", demo_url=""),
        ]
    )

    exported = json.loads(export_exercises())

    assert [record["slug"] for record in exported] == ["goblet-squat", "plank"]
    assert exported[0]["equipment"] == ["dumbbell", "kettlebell"]
    assert exported[0]["easier"] == "plank"
    assert (exported[1]["easier"], exported[1]["demo_url"]) == ("", "")
    lines = list(csv.reader(io.StringIO(export_exercises(fmt="csv"), newline="")))
    assert lines[0] == list(COLUMNS)
    assert lines[1][COLUMNS.index("equipment")] == "dumbbell|kettlebell"
    assert lines[1][COLUMNS.index("unilateral")] == "false"
    assert lines[2][COLUMNS.index("cues")] == "Brace\nBreathe"


def test_csv_export_keeps_formulas_as_text_and_reads_them_back(db):
    formula = '=HYPERLINK("http://evil.example.com","Click")'
    ExerciseFactory(name=formula, slug="formula", cues="-2+3\n@SUM(A1)", foot_contacts_per_rep=2)

    exported = export_exercises(fmt="csv")
    cells = next(csv.DictReader(io.StringIO(exported, newline="")))

    assert cells["name"] == f"'{formula}"
    assert cells["cues"] == "'-2+3\n@SUM(A1)"
    assert cells["foot_contacts_per_rep"] == "2"
    report = import_exercises(data=exported.encode(), filename="x.csv")
    assert report.ok, report.errors
    assert report.unchanged == ["formula"]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_export_is_byte_identical(db, fmt):
    import_json(
        [
            row(easier="plank", aliases=["KB squat", "goblet"], unilateral=True),
            row(name="Plank", slug="plank", pattern="core", load_class="core", equipment=[]),
            row(name="Box jump", slug="box-jump", foot_contacts_per_rep=2, status="retired"),
        ]
    )
    first = export_exercises(fmt=fmt)
    Exercise.objects.all().delete()

    report = import_exercises(data=first.encode(), filename=f"library.{fmt}")
    second = export_exercises(fmt=fmt)
    again = import_exercises(data=second.encode(), filename=f"library.{fmt}")

    assert report.created == ["box-jump", "goblet-squat", "plank"]
    assert second == first
    assert again.summary() == "0 created, 0 updated, 3 unchanged"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_builtin_library_survives_a_round_trip(db, fmt):
    first = import_exercises(data=BUILTIN_PATH.read_bytes(), filename=BUILTIN_PATH.name)
    exported = export_exercises(fmt=fmt)

    report = import_exercises(data=exported.encode(), filename=f"library.{fmt}")

    assert (len(first.created), first.errors) == (90, [])
    assert (report.created, report.updated, len(report.unchanged)) == ([], [], 90)


# Commands


def run(command: str, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_import_library_prints_the_summary(db, tmp_path):
    path = write(tmp_path, "library.csv", as_csv([row()]))

    out, _err = run("import_library", path)

    assert out.strip() == f"{path}: 1 created, 0 updated, 0 unchanged"
    assert Exercise.objects.filter(slug="goblet-squat").exists()


def test_import_library_dry_run_writes_nothing(db, tmp_path):
    path = write(tmp_path, "library.json", as_json([row()]))

    out, _err = run("import_library", path, "--dry-run")

    assert "1 created" in out
    assert "dry run" in out
    assert not Exercise.objects.exists()


def test_import_library_lists_each_error_and_fails(library, tmp_path):
    path = write(
        tmp_path, "library.csv", as_csv([row(equipment=["kettle bell"]), row(name="", slug="x")])
    )
    err = StringIO()

    with pytest.raises(CommandError, match="2 errors: nothing was written"):
        call_command("import_library", path, stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        f"row 2, equipment: 'kettle bell' is not one of: {EQUIPMENT_SLUGS}",
        "row 3, name: required",
    ]
    assert library_state() == library


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("library.json", b"[{", "Malformed JSON"),
        ("library.txt", b"", r"not a \.csv or \.json"),
        ("missing.csv", None, "Cannot read"),
    ],
)
def test_import_library_file_errors(library, tmp_path, name, data, message):
    path = write(tmp_path, name, data) if data is not None else str(tmp_path / name)

    with pytest.raises(CommandError, match=message):
        run("import_library", path)

    assert library_state() == library


def test_export_library_writes_json_to_stdout_by_default(db):
    ExerciseFactory(name="Plank", slug="plank", primary=["core"])

    out, _err = run("export_library")

    assert [record["slug"] for record in json.loads(out)] == ["plank"]


def test_export_library_to_a_file_round_trips_through_import_library(db, tmp_path):
    import_json([row(cues="One\nTwo, three"), row(name="Plank", slug="plank")])
    path = tmp_path / "library.csv"

    run("export_library", "-o", str(path))
    Exercise.objects.all().delete()
    out, _err = run("import_library", str(path))

    assert path.read_text().startswith("name,slug,aliases,")
    assert "2 created" in out
    assert exercise_record(Exercise.objects.get(slug="goblet-squat"))["cues"] == "One\nTwo, three"


def test_export_library_refuses_a_format_that_contradicts_the_file_name(db, tmp_path):
    with pytest.raises(CommandError, match="does not match"):
        run("export_library", "--format", "csv", "-o", str(tmp_path / "library.json"))


# The format documentation


DOCS = (Path(__file__).parents[2] / "docs" / "library-format.md").read_text()


def docs_block(language: str) -> str:
    return DOCS.split(f"```{language}\n")[1].split("```")[0]


def docs_table(heading: str) -> list[tuple[str, str]]:
    section = DOCS.split(f"### {heading}\n")[1].split("\n#")[0]
    return re.findall(r"^\| `([a-z_]+)` \| (.+?) \|$", section, flags=re.MULTILINE)


def test_the_documented_examples_import_and_the_csv_one_exports_as_the_json_one(db):
    report = import_exercises(data=docs_block("csv").encode(), filename="example.csv")

    assert report.created == ["glute-bridge", "single-leg-glute-bridge"]
    assert json.loads(export_exercises()) == json.loads(docs_block("json"))


def test_the_documented_vocabularies_are_the_real_ones(db):
    assert docs_table("Movement patterns") == [(v, str(label)) for v, label in Pattern.choices]
    assert docs_table("Load classes") == [(v, str(label)) for v, label in LoadClass.choices]
    assert docs_table("Statuses") == [(v, str(label)) for v, label in Status.choices]
    assert docs_table("Muscles") == list(Muscle.objects.values_list("slug", "label"))
    assert docs_table("Equipment") == list(Equipment.objects.values_list("slug", "label"))
