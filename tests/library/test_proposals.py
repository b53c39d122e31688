from django.test import Client

from library.models import Exercise
from tests.factories import ExerciseFactory

PROPOSAL = {
    "name": "Banded monster walk",
    "aliases_text": "monster walk\n\nmonster walk\nMonster Walk\nband walk",
    "pattern": "hip_glute",
    "load_class": "light_lower",
    "unilateral": "",
    "foot_contacts_per_rep": "0",
    "primary_muscles": ["glute_medius"],
    "secondary_muscles": ["hip_abductors"],
    "equipment": ["band"],
    "cues": "Stay low\nKnees out",
    "faults": "Feet too close",
    "demo_url": "",
    "easier": "",
}


def test_a_coach_proposes_an_exercise_they_can_use_at_once(coach_client, coach):
    response = coach_client.post("/library/propose/", PROPOSAL)

    exercise = Exercise.objects.get(name="Banded monster walk")
    assert response["Location"] == f"/library/{exercise.slug}/"
    assert (exercise.status, exercise.source, exercise.proposed_by) == ("draft", "coach", coach)
    assert exercise.aliases == ["monster walk", "band walk"]
    assert {(r.muscle.slug, r.primary) for r in exercise.muscle_roles.all()} == {
        ("glute_medius", True),
        ("hip_abductors", False),
    }
    assert [e.slug for e in exercise.equipment.all()] == ["band"]
    assert Exercise.objects.pickable_by(coach).filter(pk=exercise.pk).exists()
    page = coach_client.get(response["Location"])
    assert b"You can use it in your own programs now" in page.content


def test_a_proposal_is_in_the_curators_queue_not_in_other_coaches_library(
    coach_client, other_coach
):
    coach_client.post("/library/propose/", PROPOSAL)
    other = Client()
    other.force_login(other_coach)

    assert b"Banded monster walk" not in other.get("/library/").content
    assert Exercise.objects.filter(status="draft", proposed_by__isnull=False).count() == 1


def test_a_name_the_library_already_has_is_refused(coach_client, db):
    ExerciseFactory(name="Banded Monster Walk")

    response = coach_client.post("/library/propose/", PROPOSAL)

    assert response.status_code == 200
    assert b"An exercise with this name already exists" in response.content
    assert Exercise.objects.count() == 1


def test_a_muscle_cannot_be_primary_and_secondary(coach_client, db):
    response = coach_client.post(
        "/library/propose/", {**PROPOSAL, "secondary_muscles": ["glute_medius"]}
    )

    assert b"cannot be both primary and secondary" in response.content
    assert not Exercise.objects.exists()


def test_foot_contacts_only_for_plyometrics(coach_client, db):
    response = coach_client.post("/library/propose/", {**PROPOSAL, "foot_contacts_per_rep": "2"})

    assert b"Only plyometric exercises count foot contacts" in response.content
    assert not Exercise.objects.exists()


def test_required_fields_are_reported(coach_client, db):
    response = coach_client.post("/library/propose/", {"name": ""})

    assert response.status_code == 200
    assert response.content.count(b"This field is required") >= 4
    assert not Exercise.objects.exists()


def test_slug_is_unique_even_when_a_retired_exercise_used_it(coach_client, db):
    ExerciseFactory(name="Banded monster walk (old)", slug="banded-monster-walk", status="retired")

    coach_client.post("/library/propose/", PROPOSAL)

    assert Exercise.objects.get(name="Banded monster walk").slug == "banded-monster-walk-2"


def test_athletes_cannot_propose(athlete_client):
    assert athlete_client.get("/library/propose/").status_code == 403
    assert athlete_client.post("/library/propose/", PROPOSAL).status_code == 403
    assert not Exercise.objects.exists()


def test_the_easier_variant_must_be_one_the_coach_may_pick(coach_client, other_coach):
    theirs = ExerciseFactory(name="Secret drill", status="draft", proposed_by=other_coach)

    response = coach_client.post("/library/propose/", {**PROPOSAL, "easier": theirs.pk})

    assert b"Select a valid choice" in response.content
    assert not Exercise.objects.filter(name="Banded monster walk").exists()
