import pytest

from library.models import Exercise
from tests.factories import ExerciseFactory


@pytest.fixture
def rdl(db):
    return ExerciseFactory(
        name="Romanian deadlift",
        aliases=["RDL"],
        pattern="hinge",
        load_class="heavy_lower",
        primary=["hamstrings"],
        secondary=["glutes"],
        equipment_slugs=["barbell", "dumbbell"],
    )


@pytest.fixture
def clamshell(db):
    return ExerciseFactory(
        name="Clamshell",
        pattern="hip_glute",
        load_class="light_lower",
        primary=["glute_medius"],
        equipment_slugs=["band"],
    )


@pytest.fixture
def plie(db):
    return ExerciseFactory(name="Plié squat", aliases=["Sumo squat"], primary=["hip_adductors"])


def names(response) -> list[str]:
    return [e.name for e in response.context["page"].object_list]


def test_library_lists_published_exercises(coach_client, rdl, clamshell):
    response = coach_client.get("/library/")

    assert response.status_code == 200
    assert names(response) == ["Clamshell", "Romanian deadlift"]
    assert b"2 exercises" in response.content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("rdl", ["Romanian deadlift"]),
        ("ROMANIAN", ["Romanian deadlift"]),
        ("plie", ["Plié squat"]),
        ("PLIÉ", ["Plié squat"]),
        ("sumo", ["Plié squat"]),
        ("dead rom", ["Romanian deadlift"]),
        ("nothing like it", []),
    ],
)
def test_search_matches_names_and_aliases_ignoring_case_and_accents(
    coach_client, rdl, clamshell, plie, query, expected
):
    assert names(coach_client.get("/library/", {"q": query})) == expected


def test_names_that_start_with_the_query_come_first(coach_client, db):
    ExerciseFactory(name="Goblet squat")
    ExerciseFactory(name="Squat jump")

    assert names(coach_client.get("/library/", {"q": "squat"})) == ["Squat jump", "Goblet squat"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"muscle": "hamstrings"}, ["Romanian deadlift"]),
        ({"muscle": "glutes"}, ["Romanian deadlift"]),
        ({"pattern": "hip_glute"}, ["Clamshell"]),
        ({"equipment": "band"}, ["Clamshell"]),
        ({"load_class": "heavy_lower"}, ["Romanian deadlift"]),
        ({"unilateral": "1"}, []),
        ({"unilateral": "0"}, ["Clamshell", "Romanian deadlift"]),
        ({"equipment": "dumbbell", "q": "rdl"}, ["Romanian deadlift"]),
    ],
)
def test_filters(coach_client, rdl, clamshell, filters, expected):
    assert names(coach_client.get("/library/", filters)) == expected


def test_an_unknown_filter_value_is_ignored_not_an_error(coach_client, rdl):
    response = coach_client.get("/library/", {"muscle": "elbows"})

    assert response.status_code == 200


def test_htmx_search_returns_only_the_results(coach_client, rdl, clamshell):
    response = coach_client.get(
        "/library/", {"q": "rdl"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "Romanian deadlift" in html
    assert "Clamshell" not in html
    assert "<nav" not in html.split("<section", 1)[0]


def test_results_are_paginated(coach_client, db):
    for n in range(30):
        ExerciseFactory(name=f"Drill {n:02d}")

    first = coach_client.get("/library/")
    second = coach_client.get("/library/", {"page": 2})

    assert len(names(first)) == 24
    assert names(second) == [f"Drill {n:02d}" for n in range(24, 30)]
    assert b"Page 1 of 2" in first.content


def test_retired_exercises_are_not_listed_but_their_page_stays_readable(coach_client, db):
    old = ExerciseFactory(name="Old drill", status="retired")

    assert names(coach_client.get("/library/")) == []
    response = coach_client.get(f"/library/{old.slug}/")
    assert response.status_code == 200
    assert b"Retired" in response.content


def test_a_coach_sees_their_own_draft_but_not_another_coachs(coach_client, coach, other_coach):
    mine = ExerciseFactory(name="My drill", status="draft", proposed_by=coach)
    theirs = ExerciseFactory(name="Their drill", status="draft", proposed_by=other_coach)

    assert names(coach_client.get("/library/")) == ["My drill"]
    assert coach_client.get(f"/library/{mine.slug}/").status_code == 200
    assert coach_client.get(f"/library/{theirs.slug}/").status_code == 404


def test_exercise_page_shows_cues_faults_muscles_equipment_and_variants(coach_client, db):
    bridge = ExerciseFactory(name="Glute bridge", primary=["glutes"])
    single = ExerciseFactory(
        name="Single-leg glute bridge",
        easier=bridge,
        primary=["glutes"],
        secondary=["hamstrings"],
        equipment_slugs=["mat"],
        cues="Drive through the heel\nKeep hips level",
        faults="Hips dropping",
    )
    ExerciseFactory(name="Hip thrust", easier=single)

    html = coach_client.get(f"/library/{single.slug}/").content.decode()

    for text in [
        "Drive through the heel",
        "Keep hips level",
        "Hips dropping",
        "Glutes",
        "Hamstrings",
        "Mat",
    ]:
        assert text in html
    assert f'Easier: <a href="/library/{bridge.slug}/">Glute bridge</a>' in html
    assert 'Harder: <a href="/library/hip-thrust/">Hip thrust</a>' in html


def test_unknown_exercise_is_404(coach_client, db):
    assert coach_client.get("/library/no-such-thing/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, rdl):
    assert client.get("/library/")["Location"].startswith("/login/")
    assert client.get(f"/library/{rdl.slug}/")["Location"].startswith("/login/")
    assert client.get("/library/picker/")["Location"].startswith("/login/")


def test_library_refuses_post(coach_client, rdl):
    assert coach_client.post("/library/").status_code == 405
    assert coach_client.post(f"/library/{rdl.slug}/").status_code == 405


def test_library_page_queries_do_not_grow_with_the_page(
    coach_client, db, django_assert_max_num_queries
):
    ExerciseFactory(primary=["glutes"], secondary=["core"], equipment_slugs=["band", "box"])
    with django_assert_max_num_queries(12) as one:
        coach_client.get("/library/")
    for _ in range(40):
        ExerciseFactory(primary=["glutes"], secondary=["core"], equipment_slugs=["band", "box"])

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = coach_client.get("/library/", {"q": "exercise", "muscle": "glutes"})

    assert len(names(response)) == 24


# --- the picker other screens embed ------------------------------------------


def test_picker_returns_choices_as_submit_buttons(coach_client, rdl, clamshell):
    response = coach_client.get("/library/picker/", {"q": "rdl"})

    html = response.content.decode()
    assert f'name="exercise" value="{rdl.pk}"' in html
    assert "Clamshell" not in html
    assert "<html" not in html


def test_picker_offers_my_drafts_but_not_retired_or_others_drafts(coach_client, coach, other_coach):
    ExerciseFactory(name="Drill mine", status="draft", proposed_by=coach)
    ExerciseFactory(name="Drill theirs", status="draft", proposed_by=other_coach)
    ExerciseFactory(name="Drill retired", status="retired")

    html = coach_client.get("/library/picker/", {"q": "drill"}).content.decode()

    assert "Drill mine" in html
    assert "Drill theirs" not in html
    assert "Drill retired" not in html


def test_picker_queries_are_bounded(coach_client, db, django_assert_max_num_queries):
    for n in range(50):
        ExerciseFactory(name=f"Squat {n}")

    with django_assert_max_num_queries(6):
        response = coach_client.get("/library/picker/", {"q": "squat"})

    assert response.content.count(b'name="exercise"') == 12


def test_exercise_objects_search_api(db, rdl):
    assert list(Exercise.objects.search("  RDL ")) == [rdl]


def test_a_bad_page_number_keeps_the_filters(coach_client, rdl, clamshell):
    response = coach_client.get("/library/", {"load_class": "heavy_lower", "page": "x"})
    assert names(response) == ["Romanian deadlift"]
