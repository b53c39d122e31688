import json
import time

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile

from library.models import Exercise, Muscle
from programs.demo import curators_group
from tests.factories import ExerciseFactory, UserFactory

CHANGELIST = "/admin/library/exercise/"
UPLOAD = "/admin/library/exercise/upload/"


@pytest.fixture
def curator_client(client, curator):
    curator.groups.add(curators_group())
    client.force_login(curator)
    return client


@pytest.fixture
def rdl(db):
    return ExerciseFactory(
        name="Romanian deadlift",
        aliases=["RDL", "Soulevé de terre roumain"],
        pattern="hinge",
        load_class="heavy_lower",
        primary=["hamstrings"],
        equipment_slugs=["barbell"],
    )


@pytest.fixture
def plank(db):
    return ExerciseFactory(
        name="Front plank", pattern="core", load_class="core", primary=["core"], status="draft"
    )


def _names(response) -> list[str]:
    return [exercise.name for exercise in response.context["cl"].result_list]


def _action(client, action: str, *exercises: Exercise, follow: bool = False, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, ACTION_CHECKBOX_NAME: [e.pk for e in exercises], "index": 0, **extra},
        follow=follow,
    )


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_anonymous_people_are_sent_to_log_in(client, db):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={CHANGELIST}"


def test_non_staff_people_are_sent_to_the_admin_login(client, coach):
    client.force_login(coach)
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_outside_the_curators_group_may_not_curate(client, curator):
    client.force_login(curator)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(UPLOAD).status_code == 403


def test_changelist_shows_the_curation_columns(curator_client, rdl, coach):
    ExerciseFactory(name="Copenhagen plank", status="draft", proposed_by=coach)

    response = curator_client.get(CHANGELIST)

    assert response.status_code == 200
    html = response.content.decode()
    for header in ("Name", "Movement pattern", "Load class", "Status", "Proposer", "Updated"):
        assert header in html
    assert "Casey Coach" in html
    assert 'href="/admin/library/exercise/upload/"' in html
    assert "never deleted" in html


@pytest.mark.parametrize("query", ["rdl", "RDL", "romanian", "souleve de terre", "DEADLIFT"])
def test_search_finds_an_exercise_by_name_or_alias_ignoring_case_and_accents(
    curator_client, rdl, plank, query
):
    response = curator_client.get(CHANGELIST, {"q": query})

    assert _names(response) == ["Romanian deadlift"]


def test_search_ranks_names_that_start_with_the_query_first(curator_client, db):
    ExerciseFactory(name="Single-leg Romanian deadlift")
    ExerciseFactory(name="Romanian deadlift")

    response = curator_client.get(CHANGELIST, {"q": "romanian"})

    assert _names(response) == ["Romanian deadlift", "Single-leg Romanian deadlift"]


def test_a_sorted_column_wins_over_search_relevance(curator_client, db):
    ExerciseFactory(name="Single-leg Romanian deadlift")
    ExerciseFactory(name="Romanian deadlift")

    response = curator_client.get(CHANGELIST, {"q": "romanian", "o": "-1"})

    assert _names(response) == ["Single-leg Romanian deadlift", "Romanian deadlift"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"pattern__exact": "hinge"}, ["Romanian deadlift"]),
        ({"load_class__exact": "core"}, ["Front plank"]),
        ({"status__exact": "draft"}, ["Front plank"]),
        ({"equipment__id__exact": "barbell"}, ["Romanian deadlift"]),
        ({"muscles__id__exact": "core"}, ["Front plank"]),
    ],
)
def test_filters_narrow_the_list(curator_client, rdl, plank, params, expected):
    from library.models import Equipment

    vocabulary = {"equipment__id__exact": Equipment, "muscles__id__exact": Muscle}
    params = {
        key: vocabulary[key].objects.get(slug=value).pk if key in vocabulary else value
        for key, value in params.items()
    }

    response = curator_client.get(CHANGELIST, params)

    assert _names(response) == expected


def test_the_approval_queue_lists_coach_proposals_still_in_draft(curator_client, rdl, coach):
    ExerciseFactory(name="Copenhagen plank", status="draft", proposed_by=coach)
    ExerciseFactory(name="Nordic curl", status="published", proposed_by=coach)
    ExerciseFactory(name="Dead bug", status="draft")

    awaiting = curator_client.get(CHANGELIST, {"proposal": "awaiting"})
    proposals = curator_client.get(CHANGELIST, {"proposal": "all"})

    assert _names(awaiting) == ["Copenhagen plank"]
    assert _names(proposals) == ["Copenhagen plank", "Nordic curl"]


def test_bulk_publish(curator_client, rdl, plank):
    response = _action(curator_client, "publish", rdl, plank, follow=True)

    plank.refresh_from_db()
    assert plank.status == "published"
    assert "Published 1 exercise." in _messages(response)


def test_bulk_publish_leaves_merged_exercises_retired(curator_client, rdl, plank):
    plank.status = "retired"
    plank.merged_into = rdl
    plank.save()

    _action(curator_client, "publish", plank)

    plank.refresh_from_db()
    assert plank.status == "retired"


def test_bulk_retire(curator_client, rdl, plank):
    _action(curator_client, "retire", rdl, plank)

    assert set(Exercise.objects.values_list("status", flat=True)) == {"retired"}


def test_curators_retire_rather_than_delete(curator_client, rdl):
    response = curator_client.get(CHANGELIST)

    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "delete_selected" not in actions
    assert {"publish", "retire", "merge_selected", "export_csv", "export_json"} <= set(actions)
    assert curator_client.post(f"{CHANGELIST}{rdl.pk}/delete/").status_code == 403
    assert Exercise.objects.filter(pk=rdl.pk).exists()


def test_an_exercise_other_exercises_were_merged_into_cannot_be_deleted(client, rdl, plank):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    plank.merged_into = rdl
    plank.status = "retired"
    plank.save()

    response = client.post(f"{CHANGELIST}{rdl.pk}/delete/", {"post": "yes"})

    assert response.status_code == 200
    assert "protected" in response.content.decode()
    assert Exercise.objects.filter(pk=rdl.pk).exists()


def test_merge_needs_exactly_two_exercises(curator_client, rdl):
    response = _action(curator_client, "merge_selected", rdl, follow=True)

    assert "Select exactly two exercises to merge." in _messages(response)


def test_merge_asks_which_exercise_to_keep(curator_client, rdl, plank):
    response = _action(curator_client, "merge_selected", rdl, plank)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Merge duplicate exercises" in html
    assert "Romanian deadlift (Published)" in html
    assert "Front plank (Draft)" in html
    assert response.context["form"]["keep"].initial == rdl.pk


def test_merge_confirmed_folds_the_duplicate_into_the_kept_exercise(curator_client, rdl):
    duplicate = ExerciseFactory(name="Romanian dead lift", aliases=["RDL"], status="draft")
    harder = ExerciseFactory(name="Single-leg RDL", easier=duplicate)

    response = _action(curator_client, "merge_selected", rdl, duplicate, post="yes", keep=rdl.pk)

    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}{rdl.pk}/change/"
    duplicate.refresh_from_db()
    harder.refresh_from_db()
    rdl.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == ("retired", rdl)
    assert harder.easier == rdl
    assert "Romanian dead lift" in rdl.aliases


def test_a_refused_merge_is_explained_on_the_confirmation_page(curator_client, rdl, plank):
    rdl.status = "retired"
    rdl.save()

    response = _action(curator_client, "merge_selected", rdl, plank, post="yes", keep=rdl.pk)

    assert response.status_code == 200
    assert "is retired" in response.content.decode()
    plank.refresh_from_db()
    assert plank.merged_into is None


def _change_form_data(exercise: Exercise, **changes) -> dict:
    roles = list(exercise.muscle_roles.all())
    data = {
        "name": exercise.name,
        "slug": exercise.slug,
        "aliases": "\n".join(exercise.aliases),
        "status": exercise.status,
        "pattern": exercise.pattern,
        "load_class": exercise.load_class,
        "foot_contacts_per_rep": exercise.foot_contacts_per_rep,
        "equipment": [e.pk for e in exercise.equipment.all()],
        "cues": exercise.cues,
        "faults": exercise.faults,
        "demo_url": "",
        "easier": exercise.easier_id or "",
        "muscle_roles-TOTAL_FORMS": len(roles),
        "muscle_roles-INITIAL_FORMS": len(roles),
        "muscle_roles-MIN_NUM_FORMS": 0,
        "muscle_roles-MAX_NUM_FORMS": 1000,
    }
    for index, role in enumerate(roles):
        data[f"muscle_roles-{index}-id"] = role.pk
        data[f"muscle_roles-{index}-exercise"] = exercise.pk
        data[f"muscle_roles-{index}-muscle"] = role.muscle_id
        data[f"muscle_roles-{index}-primary"] = "on" if role.primary else ""
    data.update(changes)
    return data


def test_the_change_form_edits_aliases_one_per_line(curator_client, rdl):
    page = curator_client.get(f"{CHANGELIST}{rdl.pk}/change/")
    assert "RDL\nSoulevé de terre roumain</textarea>" in page.content.decode()

    response = curator_client.post(
        f"{CHANGELIST}{rdl.pk}/change/",
        _change_form_data(rdl, aliases="  RDL \n\nrdl\nStiff  leg deadlift\nRomanian Deadlift"),
    )

    assert response.status_code == 302
    rdl.refresh_from_db()
    assert rdl.aliases == ["RDL", "Stiff leg deadlift"]
    assert Exercise.objects.search("stiff leg").get() == rdl


def test_the_change_form_adds_a_muscle_and_refuses_one_twice(curator_client, rdl):
    glutes = Muscle.objects.get(slug="glutes")
    hamstrings = Muscle.objects.get(slug="hamstrings")
    data = _change_form_data(rdl)
    data.update({"muscle_roles-TOTAL_FORMS": 2, "muscle_roles-1-muscle": glutes.pk})

    assert curator_client.post(f"{CHANGELIST}{rdl.pk}/change/", data).status_code == 302
    assert {r.muscle.slug: r.primary for r in rdl.muscle_roles.all()} == {
        "hamstrings": True,
        "glutes": False,
    }

    data = _change_form_data(rdl)
    data.update({"muscle_roles-TOTAL_FORMS": 3, "muscle_roles-2-muscle": hamstrings.pk})
    response = curator_client.post(f"{CHANGELIST}{rdl.pk}/change/", data)

    assert response.status_code == 200
    assert rdl.muscle_roles.count() == 2


def test_the_easier_variant_cannot_close_a_loop(curator_client, rdl):
    single_leg = ExerciseFactory(name="Single-leg RDL", easier=rdl)

    response = curator_client.post(
        f"{CHANGELIST}{rdl.pk}/change/", _change_form_data(rdl, easier=single_leg.pk)
    )

    assert response.status_code == 200
    assert "easier than itself" in response.content.decode()


def test_the_add_form_offers_checkboxes_and_an_autocomplete(curator_client, db):
    response = curator_client.get(f"{CHANGELIST}add/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="checkbox" name="equipment"' in html
    assert "admin-autocomplete" in html
    assert 'name="aliases"' in html
    assert "One alias per line" in html


def test_the_easier_variant_autocomplete_searches_aliases(curator_client, rdl, plank):
    response = curator_client.get(
        "/admin/autocomplete/",
        {"app_label": "library", "model_name": "exercise", "field_name": "easier", "term": "rdl"},
    )

    assert [r["text"] for r in response.json()["results"]] == ["Romanian deadlift"]


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("csv", "text/csv"), ("json", "application/json")]
)
def test_export_selected_downloads_a_library_file(curator_client, rdl, plank, fmt, content_type):
    response = _action(curator_client, f"export_{fmt}", rdl)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert f".{fmt}" in response["Content-Disposition"]
    assert "attachment" in response["Content-Disposition"]
    content = response.content.decode()
    assert "romanian-deadlift" in content
    assert "front-plank" not in content


def _library_json(*rows: dict) -> bytes:
    base = {
        "aliases": [],
        "pattern": "hinge",
        "load_class": "heavy_lower",
        "primary_muscles": ["hamstrings"],
        "secondary_muscles": ["glutes"],
        "equipment": ["kettlebell"],
        "unilateral": False,
        "foot_contacts_per_rep": 0,
        "cues": "Hips back",
        "faults": "Rounding the back",
        "demo_url": "",
        "status": "published",
        "easier": "",
    }
    return json.dumps([{**base, **row} for row in rows]).encode()


def _upload(client, content: bytes, name: str = "library.json", *, dry_run: bool = False):
    data = {"file": SimpleUploadedFile(name, content)}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(UPLOAD, data)


VALID = _library_json(
    {"name": "Kettlebell swing", "slug": "kettlebell-swing"},
    {"name": "Kettlebell deadlift", "slug": "kettlebell-deadlift"},
)


def test_the_upload_page_offers_a_file_and_a_dry_run(curator_client):
    response = curator_client.get(UPLOAD)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert 'name="dry_run"' in html
    assert "<script>" not in html
    assert 'style="' not in html


def test_upload_creates_the_exercises_and_reports_them(curator_client):
    response = _upload(curator_client, VALID)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Created (2)" in html
    assert "kettlebell-swing" in html
    assert set(Exercise.objects.values_list("slug", flat=True)) == {
        "kettlebell-swing",
        "kettlebell-deadlift",
    }
    assert set(Exercise.objects.values_list("source", flat=True)) == {"import"}


def test_a_dry_run_reports_without_writing(curator_client):
    response = _upload(curator_client, VALID, dry_run=True)

    html = response.content.decode()
    assert "Dry run report" in html
    assert "nothing was written" in html
    assert "Would create (2)" in html
    assert not Exercise.objects.exists()


def test_upload_with_bad_rows_lists_them_and_writes_nothing(curator_client):
    content = _library_json(
        {"name": "Kettlebell swing", "slug": "kettlebell-swing"},
        {"name": "Sled push", "slug": "sled-push", "equipment": ["sled"]},
    )

    response = _upload(curator_client, content)

    html = response.content.decode()
    assert response.status_code == 200
    assert "row 2" in html
    assert "equipment" in html
    assert "sled" in html
    assert not Exercise.objects.exists()


def test_an_unreadable_file_is_refused_at_the_form(curator_client):
    response = _upload(curator_client, b"{not json", "library.json")

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Exercise.objects.exists()


def test_the_upload_page_is_for_curators_only(client, coach):
    client.force_login(coach)

    response = client.post(UPLOAD, {"file": SimpleUploadedFile("library.json", VALID)})

    assert response.status_code == 302
    assert not Exercise.objects.exists()


def test_the_upload_page_refuses_other_methods(curator_client):
    assert curator_client.put(UPLOAD).status_code == 405


QUERY_BOUND = 10


@pytest.mark.parametrize("count", [5, 50])
def test_changelist_queries_do_not_grow_with_the_number_of_exercises(
    curator_client, coach, count, django_assert_max_num_queries
):
    for number in range(count):
        ExerciseFactory(name=f"Exercise {number}", proposed_by=coach, status="draft")

    with django_assert_max_num_queries(QUERY_BOUND):
        response = curator_client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == count


@pytest.mark.parametrize("easier", ["abc", "-1", "1.5", "9" * 20, "²"])
def test_an_easier_variant_that_is_no_id_is_refused_on_the_form(curator_client, rdl, easier):
    """The autocomplete looked the value up to label it again: a 500 for "abc"."""
    response = curator_client.post(
        f"{CHANGELIST}{rdl.pk}/change/", _change_form_data(rdl, easier=easier)
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    rdl.refresh_from_db()
    assert rdl.easier is None


def test_equipment_past_the_id_range_is_refused_on_the_form(curator_client, rdl):
    response = curator_client.post(
        f"{CHANGELIST}{rdl.pk}/change/", _change_form_data(rdl, equipment=["9" * 20])
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert [e.slug for e in rdl.equipment.all()] == ["barbell"]


def test_a_large_file_of_bad_rows_is_answered_fast_with_the_first_errors(curator_client):
    """10,000 bad rows made 70,000 errors: an 11 MB page that took seconds to render."""
    header = b"name,slug,pattern,load_class,primary_muscles,equipment,unilateral\n"
    data = header + b"x,-,q,q,q,q,q\n" * 10_000

    started = time.monotonic()
    response = curator_client.post(UPLOAD, {"file": SimpleUploadedFile("big.csv", data)})

    assert time.monotonic() - started < 3
    html = response.content.decode()
    assert "The file has 69998 errors" in html
    assert "…and 69798 more errors, of the same kinds." in html
    assert html.count("<li>row ") == 200
    assert not Exercise.objects.filter(name="x").exists()
