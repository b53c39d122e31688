import pytest
from django.core.exceptions import ValidationError

from library import services
from library.models import Exercise
from library.services import MergeError, exercise_merge, exercise_references
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
        equipment_slugs=["barbell"],
    )


@pytest.fixture
def duplicate(db):
    return ExerciseFactory(
        name="Romanian Dead Lift",
        aliases=["rdl", "Stiff-legged RDL"],
        pattern="hinge",
        load_class="heavy_lower",
        primary=["glutes", "lower_back"],
        secondary=["hamstrings"],
        equipment_slugs=["dumbbell", "barbell"],
        status="draft",
    )


def _roles(exercise: Exercise) -> dict[str, bool]:
    return {role.muscle.slug: role.primary for role in exercise.muscle_roles.all()}


def test_the_duplicate_is_retired_into_the_kept_exercise_and_nothing_is_deleted(rdl, duplicate):
    kept = exercise_merge(keep=rdl, merge=duplicate)

    duplicate.refresh_from_db()
    assert kept == rdl
    assert duplicate.status == "retired"
    assert duplicate.merged_into == rdl
    assert Exercise.objects.count() == 2


def test_the_merged_name_and_aliases_become_aliases_once(rdl, duplicate):
    exercise_merge(keep=rdl, merge=duplicate)

    rdl.refresh_from_db()
    assert rdl.aliases == ["RDL", "Romanian Dead Lift", "Stiff-legged RDL"]


def test_searching_the_old_name_finds_the_kept_exercise(db):
    keep = ExerciseFactory(name="Bulgarian split squat")
    merge = ExerciseFactory(name="Rear-foot elevated split squat", aliases=["RFESS"])

    exercise_merge(keep=keep, merge=merge)

    assert list(Exercise.objects.published().search("rear-foot elevated")) == [keep]
    assert list(Exercise.objects.published().search("rfess")) == [keep]


def test_muscles_and_equipment_are_unioned_and_primary_wins(rdl, duplicate):
    exercise_merge(keep=rdl, merge=duplicate)

    assert _roles(rdl) == {"hamstrings": True, "glutes": True, "lower_back": True}
    assert set(rdl.equipment.values_list("slug", flat=True)) == {"barbell", "dumbbell"}
    assert _roles(duplicate) == {"glutes": True, "lower_back": True, "hamstrings": False}


def test_harder_variants_of_the_duplicate_now_progress_from_the_kept_exercise(rdl, duplicate):
    single_leg = ExerciseFactory(name="Single-leg RDL", easier=duplicate)
    deficit = ExerciseFactory(name="Deficit RDL", easier=rdl)

    exercise_merge(keep=rdl, merge=duplicate)

    assert set(rdl.harder.all()) == {single_leg, deficit}
    assert not duplicate.harder.exists()


def test_exercises_merged_into_the_duplicate_follow_it(rdl, duplicate):
    older = ExerciseFactory(name="RDL (old entry)", status="retired", merged_into=duplicate)

    exercise_merge(keep=rdl, merge=duplicate)

    older.refresh_from_db()
    assert older.merged_into == rdl


def test_the_kept_exercise_takes_the_easier_variant_of_the_duplicate(rdl, duplicate):
    hinge = ExerciseFactory(name="Hip hinge drill")
    duplicate.easier = hinge
    duplicate.save()

    exercise_merge(keep=rdl, merge=duplicate)

    rdl.refresh_from_db()
    assert rdl.easier == hinge


def test_the_kept_exercise_keeps_its_own_easier_variant(rdl, duplicate):
    hinge = ExerciseFactory(name="Hip hinge drill")
    good_morning = ExerciseFactory(name="Good morning")
    rdl.easier = hinge
    rdl.save()
    duplicate.easier = good_morning
    duplicate.save()

    exercise_merge(keep=rdl, merge=duplicate)

    rdl.refresh_from_db()
    assert rdl.easier == hinge


def test_the_kept_exercise_is_never_made_easier_than_itself(rdl, duplicate):
    rdl.easier = duplicate
    rdl.save()

    exercise_merge(keep=rdl, merge=duplicate)

    rdl.refresh_from_db()
    assert rdl.easier is None


def test_the_kept_exercise_does_not_take_itself_as_easier_variant(rdl, duplicate):
    duplicate.easier = rdl
    duplicate.save()

    exercise_merge(keep=rdl, merge=duplicate)

    rdl.refresh_from_db()
    assert rdl.easier is None


def test_an_easier_link_that_would_close_a_loop_is_dropped(rdl, duplicate):
    hinge = ExerciseFactory(name="Hip hinge drill", easier=duplicate)
    duplicate.easier = rdl
    duplicate.save()
    rdl.easier = hinge
    rdl.save()

    exercise_merge(keep=rdl, merge=duplicate)

    rdl.refresh_from_db()
    hinge.refresh_from_db()
    assert hinge.easier == rdl
    assert rdl.easier is None


def test_every_relation_to_exercise_is_merged_including_those_of_later_apps(db):
    # Relations are found through _meta, so a prescription or log model added later
    # (a ForeignKey to Exercise from any app) is moved without changing the service.
    assert set(Exercise._meta.related_objects) <= set(exercise_references())


def test_a_failure_half_way_changes_nothing(rdl, duplicate, monkeypatch):
    single_leg = ExerciseFactory(name="Single-leg RDL", easier=duplicate)

    def fail(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_union_muscles", fail)

    with pytest.raises(RuntimeError):
        exercise_merge(keep=rdl, merge=duplicate)

    single_leg.refresh_from_db()
    duplicate.refresh_from_db()
    rdl.refresh_from_db()
    assert single_leg.easier == duplicate
    assert duplicate.status == "draft"
    assert duplicate.merged_into is None
    assert rdl.aliases == ["RDL"]


def test_an_exercise_cannot_be_merged_into_itself(rdl):
    with pytest.raises(ValidationError) as error:
        exercise_merge(keep=rdl, merge=rdl)

    assert error.value.code == MergeError.SAME_EXERCISE


def test_nothing_is_merged_into_a_retired_exercise(rdl, duplicate):
    rdl.status = "retired"
    rdl.save()

    with pytest.raises(ValidationError) as error:
        exercise_merge(keep=rdl, merge=duplicate)

    assert error.value.code == MergeError.KEEP_RETIRED
    duplicate.refresh_from_db()
    assert duplicate.status == "draft"


def test_nothing_is_merged_into_an_exercise_that_was_itself_merged(rdl, duplicate):
    third = ExerciseFactory(name="RDL with dumbbells")
    exercise_merge(keep=rdl, merge=duplicate)

    with pytest.raises(ValidationError) as error:
        exercise_merge(keep=duplicate, merge=third)

    assert error.value.code == MergeError.KEEP_MERGED


def test_an_exercise_is_merged_only_once(rdl, duplicate):
    third = ExerciseFactory(name="RDL with dumbbells")
    exercise_merge(keep=rdl, merge=duplicate)

    with pytest.raises(ValidationError) as error:
        exercise_merge(keep=third, merge=duplicate)

    assert error.value.code == MergeError.ALREADY_MERGED


def test_a_published_exercise_is_not_merged_into_a_draft(rdl, duplicate):
    with pytest.raises(ValidationError) as error:
        exercise_merge(keep=duplicate, merge=rdl)

    assert error.value.code == MergeError.KEEP_NOT_PUBLISHED


def test_prescriptions_in_blocks_move_to_the_kept_exercise(coach):
    from programs.blocks import editing
    from programs.blocks import services as programs_services
    from programs.models import Prescription

    keep = ExerciseFactory(name="Romanian deadlift")
    duplicate = ExerciseFactory(name="RDL (dumbbell)")
    block = programs_services.block_create(owner=coach, name="Base", weeks=1)
    session = editing.session_add(week=block.weeks.get())
    rx = editing.prescription_add(session=session, exercise=duplicate, user=coach)

    services.exercise_merge(keep=keep, merge=duplicate)

    rx.refresh_from_db()
    assert rx.exercise == keep
    assert not Prescription.objects.filter(exercise=duplicate).exists()
