import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import post_init
from django.test import Client

from programs import caching
from programs.blocks import editing, services
from programs.models import Block, Prescription, Session
from tests.caches import clear_caches
from tests.factories import ExerciseFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def goblet(db):
    return ExerciseFactory(
        name="Goblet squat", pattern="squat", load_class="heavy_lower", primary=["quadriceps"]
    )


@pytest.fixture
def hops(db):
    return ExerciseFactory(
        name="Pogo hops",
        pattern="plyometric",
        load_class="plyometric",
        primary=["calves"],
        foot_contacts_per_rep=1,
    )


@pytest.fixture
def block(coach, goblet):
    block = services.block_create(owner=coach, name="Spring block", weeks=4)
    session = editing.session_add(week=block.weeks.get(number=1), day=1, title="Lower")
    editing.prescription_add(session=session, exercise=goblet, user=coach)
    return block


def first_rx(block) -> Prescription:
    return Prescription.objects.get(session__week__block=block, session__week__number=1)


def oob_grid_row(html: str, number: int) -> str:
    row = html[html.index(f'<tr id="grid-week-{number}"') :]
    assert 'hx-swap-oob="outerHTML"' in row.split(">", 1)[0]
    return row[: row.index("</tr>")]


def row(rx, **changes):
    data = {
        "sets": rx.sets,
        "reps_min": rx.reps_min or "",
        "reps_max": rx.reps_max or "",
        "load_type": rx.load_type,
        "load_value": rx.load_value or "",
        "tempo": rx.tempo,
        "rest_s": rx.rest_s or "",
        "progression": rx.progression,
        "superset": "",
        "notes": "",
        "load_step": rx.load_step or "",
        "reps_cap": rx.reps_cap or "",
        "duration_s": "",
        "distance_m": "",
    }
    return {**data, **changes}


# --- list and create ----------------------------------------------------------


def test_a_coach_creates_a_block_with_its_weeks(coach_client, coach):
    response = coach_client.post(
        "/blocks/", {"name": "Base", "goal": "Marathon", "weeks": 6, "phase": "foundation"}
    )

    block = Block.objects.get(owner=coach)
    assert response["Location"] == f"/blocks/{block.pk}/"
    assert list(block.weeks.values_list("number", "phase")) == [
        (n, "foundation") for n in range(1, 7)
    ]


@pytest.mark.parametrize("weeks", [0, 53])
def test_block_weeks_must_be_1_to_52(coach_client, weeks):
    response = coach_client.post("/blocks/", {"name": "Bad", "weeks": weeks, "phase": "power"})

    assert response.status_code == 200
    assert not Block.objects.exists()


def test_the_list_shows_my_blocks_and_shared_templates_not_others_private(
    coach_client, coach, other_coach
):
    services.block_create(owner=coach, name="Mine", weeks=1)
    theirs = services.block_create(owner=other_coach, name="Theirs", weeks=1)
    shared = services.block_create(owner=other_coach, name="Their template", weeks=1)
    Block.objects.filter(pk=shared.pk).update(is_template=True, is_shared=True)

    html = coach_client.get("/blocks/").content.decode()

    assert "Mine" in html
    assert "Their template" in html
    assert theirs.name not in html.replace("Their template", "")


# --- ownership ---------------------------------------------------------------


def test_another_coachs_block_is_404_everywhere(client, other_coach, block):
    client.force_login(other_coach)
    rx = first_rx(block)
    session = rx.session

    assert client.get(f"/blocks/{block.pk}/").status_code == 404
    assert client.get(f"/blocks/{block.pk}/print/").status_code == 404
    assert client.post(f"/blocks/{block.pk}/copy/").status_code == 404
    assert client.post(f"/blocks/prescriptions/{rx.pk}/", row(rx, sets=9)).status_code == 404
    assert client.post(f"/blocks/prescriptions/{rx.pk}/delete/").status_code == 404
    assert client.post(f"/blocks/sessions/{session.pk}/delete/").status_code == 404
    assert client.post(f"/blocks/{block.pk}/weeks/1/", {"phase": "power"}).status_code == 404
    rx.refresh_from_db()
    assert rx.sets == 3
    assert Session.objects.filter(pk=session.pk).exists()


def test_a_shared_template_is_read_only_for_other_coaches(client, other_coach, block):
    Block.objects.filter(pk=block.pk).update(is_template=True, is_shared=True)
    client.force_login(other_coach)
    rx = first_rx(block)

    page = client.get(f"/blocks/{block.pk}/")
    edit = client.post(f"/blocks/prescriptions/{rx.pk}/", row(rx, sets=9))
    phase = client.post(f"/blocks/{block.pk}/weeks/1/", {"phase": "power"})

    assert page.status_code == 200
    assert b"Use this template" in page.content
    assert b'name="sets"' not in page.content
    assert edit.status_code == 403
    assert phase.status_code == 403


def test_athletes_and_anonymous_cannot_open_blocks(athlete_client, client, block):
    assert athlete_client.get("/blocks/").status_code == 403
    athlete_client.logout()
    assert client.get(f"/blocks/{block.pk}/")["Location"].startswith("/login/")


def test_wrong_methods(coach_client, block):
    rx = first_rx(block)

    assert coach_client.get(f"/blocks/prescriptions/{rx.pk}/").status_code == 405
    assert coach_client.get(f"/blocks/{block.pk}/copy/").status_code == 405
    assert coach_client.post(f"/blocks/{block.pk}/print/").status_code == 405


# --- inline editing ------------------------------------------------------------


def test_inline_edit_saves_and_answers_the_row_with_a_refresh_event(coach_client, block):
    rx = first_rx(block)

    response = coach_client.post(
        f"/blocks/prescriptions/{rx.pk}/",
        row(rx, sets=4, reps_min=6, reps_max=8, load_type="pct_1rm", load_value=75, tempo="3-1-1"),
        headers=HTMX,
    )

    rx.refresh_from_db()
    assert (rx.sets, rx.reps_min, rx.reps_max, rx.load_type, rx.load_value, rx.tempo) == (
        4,
        6,
        8,
        "pct_1rm",
        Decimal(75),
        "3-1-1",
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<form class="rx-row rx-saved" id="rx-{rx.pk}"')
    grid_row = oob_grid_row(html, 1)
    assert "Goblet squat <span" in grid_row
    assert "4×6–8 @ 75% 1RM" in grid_row
    assert '<aside id="summary"' in html
    assert "<strong>4</strong> heavy lower sets" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reps_min": 0}, "greater than or equal to 1"),
        ({"sets": 0}, "greater than or equal to 1"),
        ({"reps_min": 10, "reps_max": 8}, "The top of the range is below its bottom"),
        ({"load_type": "rpe", "load_value": 11}, "RPE is between 1 and 10"),
        ({"load_type": "pct_1rm", "load_value": 120}, "between 1 and 110"),
        ({"load_type": "kg", "load_value": ""}, "Give the load"),
        ({"load_type": "bodyweight", "load_value": 10}, "Bodyweight takes no load value"),
        ({"tempo": "slow"}, "Write tempo as seconds"),
        ({"reps_min": "", "duration_s": ""}, "Give reps, seconds or metres"),
    ],
)
def test_bad_doses_are_refused_inline_and_nothing_is_saved(coach_client, block, changes, message):
    rx = first_rx(block)
    before = Prescription.objects.filter(pk=rx.pk).values().get()

    response = coach_client.post(
        f"/blocks/prescriptions/{rx.pk}/", row(rx, **changes), headers=HTMX
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "grid-week" not in response.content.decode()
    assert Prescription.objects.filter(pk=rx.pk).values().get() == before


def test_adding_a_retired_exercise_is_refused(coach_client, block):
    retired = ExerciseFactory(name="Old drill", status="retired")
    session = first_rx(block).session

    coach_client.post(f"/blocks/sessions/{session.pk}/prescriptions/", {"exercise": retired.pk})

    assert not session.prescriptions.filter(exercise=retired).exists()


def test_adding_from_the_picker_appends_with_a_default_dose(coach_client, block, hops):
    session = first_rx(block).session

    response = coach_client.post(
        f"/blocks/sessions/{session.pk}/prescriptions/", {"exercise": hops.pk}, headers=HTMX
    )

    added = session.prescriptions.get(exercise=hops)
    assert (added.order, added.sets, added.reps_min) == (2, 3, 5)
    assert 'id="editor"' in response.content.decode()


def test_delete_then_undo_puts_it_back_in_place(coach_client, block, hops):
    session = first_rx(block).session
    editing.prescription_add(session=session, exercise=hops, user=block.owner)
    goblet_rx = session.prescriptions.get(order=1)

    deleted = coach_client.post(f"/blocks/prescriptions/{goblet_rx.pk}/delete/", headers=HTMX)
    token = deleted.context["token"]
    assert list(session.prescriptions.values_list("exercise__name", "order")) == [("Pogo hops", 1)]

    coach_client.post("/blocks/prescriptions/restore/", {"token": token}, headers=HTMX)

    assert list(
        session.prescriptions.order_by("order").values_list("exercise__name", flat=True)
    ) == ["Goblet squat", "Pogo hops"]


def test_a_forged_undo_token_is_refused(coach_client, block):
    response = coach_client.post("/blocks/prescriptions/restore/", {"token": "forged"})

    assert response.status_code == 302
    assert Prescription.objects.count() == 1


def test_move_up_down_and_to_another_session(coach_client, block, hops):
    session = first_rx(block).session
    hop = editing.prescription_add(session=session, exercise=hops, user=block.owner)
    other = editing.session_add(week=session.week, day=4, title="Upper")

    coach_client.post(f"/blocks/prescriptions/{hop.pk}/move/", {"direction": "up"}, headers=HTMX)
    assert list(
        session.prescriptions.order_by("order").values_list("exercise__name", flat=True)
    ) == ["Pogo hops", "Goblet squat"]

    coach_client.post(f"/blocks/prescriptions/{hop.pk}/move/", {"session": other.pk})
    hop.refresh_from_db()
    assert (hop.session, hop.order) == (other, 1)
    assert session.prescriptions.get().order == 1


def test_copy_a_session_and_a_week(coach_client, block):
    session = first_rx(block).session

    coach_client.post(f"/blocks/sessions/{session.pk}/copy/", {"weeks": [2, 3]})
    coach_client.post(f"/blocks/{block.pk}/weeks/1/copy/", {"weeks": [4]})

    counts = {
        n: Prescription.objects.filter(session__week__block=block, session__week__number=n).count()
        for n in range(1, 5)
    }
    assert counts == {1: 1, 2: 1, 3: 1, 4: 1}


def test_phase_change_through_htmx(coach_client, block):
    response = coach_client.post(f"/blocks/{block.pk}/weeks/2/", {"phase": "deload"}, headers=HTMX)

    assert block.weeks.get(number=2).phase == "deload"
    # Only week 2's row of the grid changed: it comes with the editor, the grid stays.
    assert "HX-Trigger" not in response
    assert "phase-band phase-deload" in oob_grid_row(response.content.decode(), 2)


def test_a_renamed_session_comes_back_with_its_weeks_grid_row(coach_client, block):
    session = editing.session_add(week=block.weeks.get(number=3), day=2, title="Hills")
    data = {"title": "Hill strength", "day": "4", "start_time": ""}

    response = coach_client.post(f"/blocks/sessions/{session.pk}/", data, headers=HTMX)

    assert "HX-Trigger" not in response
    html = response.content.decode()
    assert "Hill strength · Thu" in oob_grid_row(html, 3)
    assert html.count("grid-week-") == 1


def test_a_session_that_widens_the_grid_has_the_page_fetch_it_whole(coach_client, block):
    # Week 1 is the widest (one session): a second one gives every row another column.
    response = coach_client.post(
        f"/blocks/{block.pk}/weeks/1/sessions/", {"title": "Extra", "day": "6"}, headers=HTMX
    )

    assert "block-changed" in response["HX-Trigger"]
    assert "grid-week-" not in response.content.decode()


def test_a_session_added_or_deleted_within_the_grid_comes_back_with_its_row(coach_client, block):
    added = coach_client.post(
        f"/blocks/{block.pk}/weeks/2/sessions/", {"title": "Extra", "day": "6"}, headers=HTMX
    )

    assert "HX-Trigger" not in added
    assert "Extra · Sat" in oob_grid_row(added.content.decode(), 2)
    session = Session.objects.get(week__block=block, week__number=2)
    deleted = coach_client.post(f"/blocks/sessions/{session.pk}/delete/", headers=HTMX)
    assert "HX-Trigger" not in deleted
    assert "Extra" not in oob_grid_row(deleted.content.decode(), 2)
    # Week 1's only session gone: the grid narrows, every row changes.
    first = Session.objects.get(week__block=block, week__number=1)
    narrowed = coach_client.post(f"/blocks/sessions/{first.pk}/delete/", headers=HTMX)
    assert "block-changed" in narrowed["HX-Trigger"]


def grid(coach_client, block, query: str = "") -> str:
    html = coach_client.get(f"/blocks/{block.pk}/{query}").content.decode()
    return html[
        html.index('<section id="grid"') : html.index("</section>", html.index('id="grid"'))
    ]


def test_grid_rows_kept_in_the_cache_are_the_rows_drawn_afresh(coach_client, coach, block):
    """The grid's rows are kept by what they show: a page built again (any edit moves the
    block's version) takes them from the cache, and they are the same rows."""
    editing.session_add(week=block.weeks.get(number=2), day=3, title="Upper")
    clear_caches()
    drawn = grid(coach_client, block, "?week=2")
    caching.block_changed(block.pk)

    kept = grid(coach_client, block, "?week=2")

    assert kept == drawn
    assert kept.count("table-active") == 1
    assert 'id="grid-week-2" class="phase-band phase-foundation table-active"' in kept
    # Another week selected: its row is highlighted, and week 2's no longer is.
    other = grid(coach_client, block, "?week=3")
    assert 'id="grid-week-3" class="phase-band phase-foundation table-active"' in other
    assert other.count("table-active") == 1


def test_a_grid_row_kept_in_the_cache_changes_with_its_week(coach_client, block):
    rx = first_rx(block)
    assert "Goblet squat <span" in grid(coach_client, block, "?week=2")

    coach_client.post(f"/blocks/prescriptions/{rx.pk}/", row(rx, sets=5), headers=HTMX)
    week_one = grid(coach_client, block, "?week=2").split('id="grid-week-2"')[0]

    assert f"5×{rx.reps_text}" in week_one
    assert f"{rx.sets}×{rx.reps_text}" not in week_one


def week_rows(coach_client, block) -> dict[int, str]:
    """Each week's row of the page's grid, by number."""
    html = grid(coach_client, block)
    return {
        number: html[html.index(f'<tr id="grid-week-{number}"') :].split("</tr>")[0]
        for number in range(1, block.weeks.count() + 1)
    }


def test_a_page_built_again_after_an_edit_reads_the_edited_weeks_values_alone(
    coach_client, block, monkeypatch
):
    """Each week's grid values are kept under the week's version: an edit of week 1 reads
    week 1 again, and the three other weeks come from the cache (issue #17)."""
    from programs.blocks import selectors

    week_rows(coach_client, block)  # every week's values kept
    rx = first_rx(block)
    coach_client.post(f"/blocks/prescriptions/{rx.pk}/", row(rx, sets=5), headers=HTMX)
    read = []
    original = selectors._grid_values
    monkeypatch.setattr(
        selectors, "_grid_values", lambda *args: read.append(args) or original(*args)
    )

    rows = week_rows(coach_client, block)

    assert read == [(block.pk, [block.weeks.get(number=1).pk])]
    assert f"5×{rx.reps_text}" in rows[1]
    assert "Goblet squat" not in rows[2]


def test_a_change_any_week_may_show_reads_every_week_again(coach_client, block, monkeypatch):
    """``block_changed`` without weeks (a progression, a copy of the block's rows in bulk)
    moves every week's grid values on."""
    from programs.blocks import selectors

    week_rows(coach_client, block)
    caching.block_changed(block.pk)
    read = []
    original = selectors._grid_values
    monkeypatch.setattr(
        selectors, "_grid_values", lambda *args: read.append(args) or original(*args)
    )

    week_rows(coach_client, block)

    assert read == [(block.pk, None)]


def test_each_edit_shows_on_the_rows_of_the_weeks_it_changed(coach_client, coach, block, hops):
    """The grid read after each kind of edit, every week's values kept before it: the
    weeks the edit touched show it, the others are as they were."""
    week_rows(coach_client, block)
    lower = Session.objects.get(week__block=block, week__number=1)
    week2 = editing.session_add(week=block.weeks.get(number=2), day=4, title="Power")
    editing.prescription_add(session=week2, exercise=hops, user=coach)
    rows = week_rows(coach_client, block)
    assert "Power · Thu" in rows[2]
    assert "Pogo hops" in rows[2]

    # A prescription moved to another week's session: both weeks change.
    rx = first_rx(block)
    coach_client.post(f"/blocks/prescriptions/{rx.pk}/move/", {"session": week2.pk})
    rows = week_rows(coach_client, block)
    assert "Goblet squat" not in rows[1]
    assert "Goblet squat" in rows[2]

    # A session copied to weeks 3 and 4.
    coach_client.post(f"/blocks/sessions/{week2.pk}/copy/", {"weeks": [3, 4]})
    rows = week_rows(coach_client, block)
    assert all("Power · Thu" in rows[n] and "Goblet squat" in rows[n] for n in (3, 4))

    # A prescription deleted from week 3's copy.
    copy = Prescription.objects.get(session__week__number=3, exercise__name="Goblet squat")
    coach_client.post(f"/blocks/prescriptions/{copy.pk}/delete/")
    rows = week_rows(coach_client, block)
    assert "Goblet squat" not in rows[3]
    assert "Goblet squat" in rows[4]

    # Week 1 copied over week 4, and week 2's phase set.
    coach_client.post(f"/blocks/{block.pk}/weeks/1/copy/", {"weeks": [4]})
    coach_client.post(f"/blocks/{block.pk}/weeks/2/", {"phase": "power"})
    rows = week_rows(coach_client, block)
    assert "Power · Thu" not in rows[4]
    assert "Lower · Mon" in rows[4]
    assert "phase-power" in rows[2]

    # A session deleted; an exercise renamed in the library shows in every week.
    coach_client.post(f"/blocks/sessions/{lower.pk}/delete/")
    hops.name = "Ankle hops"
    hops.save()
    rows = week_rows(coach_client, block)
    assert "Lower" not in rows[1]
    assert "Ankle hops" in rows[2]
    assert "Ankle hops" in rows[3]
    assert "Pogo hops" not in grid(coach_client, block)


# --- progression, copies, templates --------------------------------------------


def test_apply_progression_with_a_deload_keeps_earlier_weeks(coach_client, block):
    rx = first_rx(block)
    Prescription.objects.filter(pk=rx.pk).update(
        load_type="kg", load_value=20, progression="add_load", load_step=Decimal("2.5")
    )

    coach_client.post(
        f"/blocks/{block.pk}/progression/",
        {"from_week": 2, "deload_every": 4, "deload_fraction": "0.5"},
    )

    doses = list(
        Prescription.objects.filter(session__week__block=block)
        .order_by("session__week__number")
        .values_list("session__week__number", "sets", "load_value")
    )
    assert doses == [(1, 3, 20), (2, 3, Decimal("22.5")), (3, 3, 25), (4, 2, 25)]
    assert block.weeks.get(number=4).phase == "deload"


def test_a_hand_edit_is_kept_when_rules_are_reapplied_to_later_weeks(coach_client, block):
    rx = first_rx(block)
    Prescription.objects.filter(pk=rx.pk).update(
        load_type="kg", load_value=20, progression="add_load", load_step=2
    )
    services.block_apply_progression(block=block, from_week=2, deload_every=None)
    week2 = Prescription.objects.get(session__week__block=block, session__week__number=2)
    coach_client.post(f"/blocks/prescriptions/{week2.pk}/", row(week2, load_value=30))

    coach_client.post(
        f"/blocks/{block.pk}/progression/", {"from_week": 3, "deload_fraction": "0.5"}
    )

    loads = list(
        Prescription.objects.filter(session__week__block=block)
        .order_by("session__week__number")
        .values_list("load_value", flat=True)
    )
    assert loads == [20, 30, 32, 34]


def test_progression_from_a_week_past_the_end_is_refused(coach_client, block):
    coach_client.post(
        f"/blocks/{block.pk}/progression/", {"from_week": 9, "deload_fraction": "0.5"}
    )

    assert Prescription.objects.count() == 1


def test_start_from_a_template_copies_everything_once(coach_client, coach, other_coach, goblet):
    template = services.block_create(owner=other_coach, name="Shared plan", weeks=2)
    editing.prescription_add(
        session=editing.session_add(week=template.weeks.first(), day=1),
        exercise=goblet,
        user=other_coach,
    )
    Block.objects.filter(pk=template.pk).update(is_template=True, is_shared=True)

    response = coach_client.post(f"/blocks/{template.pk}/copy/")

    mine = Block.objects.get(owner=coach)
    assert response["Location"] == f"/blocks/{mine.pk}/"
    assert (mine.name, mine.is_template, mine.created_from_id) == (
        "Shared plan",
        False,
        template.pk,
    )
    assert Prescription.objects.filter(session__week__block=mine).count() == 1
    assert Prescription.objects.filter(session__week__block=template).count() == 1


def test_copy_names_never_clash(coach_client, coach, block):
    coach_client.post(f"/blocks/{block.pk}/copy/")
    coach_client.post(f"/blocks/{block.pk}/copy/")

    assert sorted(Block.objects.filter(owner=coach).values_list("name", flat=True)) == [
        "Spring block",
        "Spring block (copy)",
        "Spring block (copy) (2)",
    ]


def test_save_as_template(coach_client, coach, block):
    coach_client.post(f"/blocks/{block.pk}/save-template/")

    template = Block.objects.get(owner=coach, is_template=True)
    assert template.name == "Spring block (template)"


def test_the_grid_and_the_print_name_each_weeks_phase_and_sessions_day(coach_client, block):
    week = block.weeks.get(number=3)
    week.phase = "taper"
    week.save()
    editing.session_add(week=week, day=6, title="Hills")

    html = coach_client.get(f"/blocks/{block.pk}/").content.decode()
    printed = coach_client.get(f"/blocks/{block.pk}/print/").content.decode()

    grid = html[html.index('<tr id="grid-week-3"') :]
    grid = grid[: grid.index("</tr>")]
    assert ">Taper</span>" in grid
    assert "Hills · Sat" in grid
    assert "Week 3 · Taper" in printed
    assert "Hills · Sat" in printed
    assert "Lower · Mon" in printed


def test_a_weeks_grid_row_is_the_same_read_as_values_or_for_an_edit(coach, goblet):
    """The page reads every week's row as plain values; an edit answers with the week's
    row from its model objects (read in full for the editor): both give the same row,
    whatever the doses, so the row cached by either is the other's."""
    from programs.blocks.selectors import builder_block, builder_editor_data, builder_page_data

    block = services.block_create(owner=coach, name="Varied", weeks=2)
    week = block.weeks.get(number=2)
    week.phase = "power"
    week.save()
    hops = ExerciseFactory(name="Pogo hops", load_class="plyometric", foot_contacts_per_rep=1)
    squat = ExerciseFactory(name="Back squat", load_class="heavy_lower")
    plank = ExerciseFactory(name="Plank", load_class="mobility")
    doses = [
        (squat, {"sets": 4, "reps_min": 3, "reps_max": 5, "load_type": "pct_1rm",
                 "load_value": Decimal("82.50")}),
        (hops, {"sets": 3, "reps_min": 10, "per_side": True}),
        (goblet, {"sets": 3, "reps_min": 8, "load_type": "kg", "load_value": Decimal("24")}),
        (plank, {"sets": 2, "reps_min": None, "duration_s": 45}),
        (goblet, {"sets": 2, "reps_min": 6, "load_type": "rpe", "load_value": Decimal("8")}),
    ]  # fmt: skip
    first = editing.session_add(week=week, day=2, title="", start_time=datetime.time(6, 30))
    second = editing.session_add(week=week, day=None, title="Track")
    for n, (exercise, dose) in enumerate(doses, start=1):
        Prescription.objects.create(
            session=first if n <= 3 else second, exercise=exercise, order=n, **dose
        )

    as_values = builder_page_data(user=coach, block=builder_block(block.pk), number=1)
    as_edited = builder_editor_data(user=coach, block_id=block.pk, number=2)

    values = as_values.grid_rows[1].values
    assert values == as_edited.grid_rows[0].values
    assert values.phase_label == "Power"
    assert (values.heavy_lower_sets, values.foot_contacts) == (4 + 3 + 2, 3 * 10 * 2)
    assert values.cells[0].start == "06:30"
    assert values.cells[0].lines[0] == ("Back squat", "4×3–5 @ 82.5% 1RM")
    assert values.cells[1].title == "Track"


def test_print_view_lists_every_week(coach_client, block):
    html = coach_client.get(f"/blocks/{block.pk}/print/").content.decode()

    assert html.count("print-week") == 4
    assert "Goblet squat" in html


# --- queries ---------------------------------------------------------------------


def big_block(owner, exercises, weeks):
    block = services.block_create(owner=owner, name=f"{weeks} weeks", weeks=weeks)
    for week in block.weeks.all():
        for day in (1, 3, 5):
            session = editing.session_add(week=week, day=day)
            Prescription.objects.bulk_create(
                Prescription(session=session, exercise=e, order=i, sets=3, reps_min=8)
                for i, e in enumerate(exercises, start=1)
            )
    return block


def test_the_selected_weeks_summary_counts_hard_sets_by_muscle(coach, coach_client):
    glutes = ExerciseFactory(primary=["glutes"], load_class="heavy_lower")
    calves = ExerciseFactory(primary=["calves"], load_class="strength")
    block = services.block_create(owner=coach, name="Two weeks", weeks=2)
    first, second = block.weeks.order_by("number")
    for week, exercise in ((first, glutes), (second, calves)):
        session = editing.session_add(week=week, day=1)
        Prescription.objects.create(session=session, exercise=exercise, order=1, sets=3, reps_min=5)

    def summary(query: str) -> str:
        html = coach_client.get(f"/blocks/{block.pk}/{query}").content.decode()
        return html.split('<aside id="summary"')[1].split("</aside>")[0]

    assert "Hard sets: Glutes 3</span>" in summary("")
    assert "Hard sets: Calves 3</span>" in summary("?week=2")
    assert "<strong>3</strong> heavy lower sets" in summary("")
    assert "<strong>0</strong> heavy lower sets" in summary("?week=2")


def test_builder_queries_do_not_grow_with_the_block(
    coach, coach_client, django_assert_max_num_queries
):
    exercises = [ExerciseFactory(primary=["glutes"], secondary=["core"]) for _ in range(8)]
    small, large = big_block(coach, exercises, 1), big_block(coach, exercises, 16)
    with django_assert_max_num_queries(20) as one:
        coach_client.get(f"/blocks/{small.pk}/")

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = coach_client.get(f"/blocks/{large.pk}/")

    assert response.content.count(b'class="rx-row') == 24


@pytest.mark.parametrize(
    ("data", "answer"),
    [
        ({"title": "Strength B", "day": "3", "start_time": ""}, "Strength B"),
        ({"title": "Strength B", "day": "9", "start_time": ""}, "Select a valid choice"),
    ],
)
def test_an_edit_in_a_long_block_reads_only_the_week_it_answers_with(
    coach, coach_client, data, answer
):
    exercises = [ExerciseFactory() for _ in range(8)]
    block = big_block(coach, exercises, 16)
    session = Session.objects.filter(week__block=block, week__number=5).order_by("order").first()
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance.session_id)

    post_init.connect(count, sender=Prescription)
    try:
        response = coach_client.post(f"/blocks/sessions/{session.pk}/", data, headers=HTMX)
    finally:
        post_init.disconnect(count, sender=Prescription)

    assert response.status_code == 200
    assert answer in response.content.decode()
    # Week 5's three sessions of eight, not the block's 384 prescriptions.
    assert len(loaded) == 24
    assert set(loaded) == set(session.week.sessions.values_list("pk", flat=True))


def test_copying_a_block_costs_the_same_queries_whatever_its_size(
    coach, django_assert_max_num_queries
):
    exercises = [ExerciseFactory() for _ in range(8)]
    small, large = big_block(coach, exercises, 1), big_block(coach, exercises, 16)
    with django_assert_max_num_queries(15) as one:
        services.block_copy(block=small, owner=coach)

    with django_assert_max_num_queries(len(one.captured_queries)):
        copy = services.block_copy(block=large, owner=coach)

    assert Prescription.objects.filter(session__week__block=copy).count() == 16 * 3 * 8


def test_other_coach_client_is_separate(other_coach, block):
    client = Client()
    client.force_login(other_coach)

    assert client.get("/blocks/").status_code == 200


def test_a_week_holds_at_most_14_sessions_like_the_file_format(coach_client, block):
    week = block.weeks.get(number=2)
    for _ in range(14):
        editing.session_add(week=week)

    response = coach_client.post(
        f"/blocks/{block.pk}/weeks/2/sessions/", {"title": "One more"}, follow=True
    )

    assert week.sessions.count() == 14
    assert b"A week holds at most 14 sessions" in response.content


def test_a_negative_load_step_is_refused(coach_client, block):
    rx = first_rx(block)

    response = coach_client.post(
        f"/blocks/prescriptions/{rx.pk}/", row(rx, load_step=-5), headers=HTMX
    )

    assert b"greater than or equal to 0" in response.content
    rx.refresh_from_db()
    assert rx.load_step is None


# --- files in the browser -------------------------------------------------------


def test_export_then_import_in_the_browser_round_trips(coach_client, other_coach, block):
    download = coach_client.get(f"/blocks/{block.pk}/download/")
    other = Client()
    other.force_login(other_coach)

    response = other.post(
        "/blocks/import/", {"file": SimpleUploadedFile("spring-block.json", download.content)}
    )

    assert download["Content-Disposition"] == 'attachment; filename="spring-block.json"'
    imported = Block.objects.get(owner=other_coach)
    assert response["Location"] == f"/blocks/{imported.pk}/"
    assert other.get(f"/blocks/{imported.pk}/download/").content == download.content


def test_a_bad_file_lists_every_problem_with_its_path_and_imports_nothing(coach_client, block):
    data = json.loads(coach_client.get(f"/blocks/{block.pk}/download/").content)
    data["weeks"][0]["sessions"][0]["prescriptions"][0]["reps_min"] = 0
    data["weeks"][0]["sessions"][0]["prescriptions"][0]["exercise"] = "no-such-exercise"
    before = Block.objects.count()

    response = coach_client.post(
        "/blocks/import/", {"file": SimpleUploadedFile("bad.json", json.dumps(data).encode())}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "weeks[0].sessions[0].prescriptions[0].reps_min" in html
    assert "weeks[0].sessions[0].prescriptions[0].exercise" in html
    assert Block.objects.count() == before


def test_a_file_that_is_not_json_is_refused_clearly(coach_client, db):
    response = coach_client.post(
        "/blocks/import/", {"file": SimpleUploadedFile("x.json", b"{nope")}
    )

    assert response.status_code == 200
    assert b"Malformed JSON: Expecting property name" in response.content
    assert b"(line 1, column 2)" in response.content
    assert not Block.objects.exists()


def test_another_coachs_block_cannot_be_downloaded(client, other_coach, block):
    client.force_login(other_coach)

    assert client.get(f"/blocks/{block.pk}/download/").status_code == 404


def test_the_database_has_the_last_word_on_a_dose(coach, block):
    rx = first_rx(block)
    rx.load_type, rx.load_value = "rpe", Decimal(12)  # past the form, straight to the service

    with pytest.raises(ValidationError) as error:
        editing.prescription_update(prescription=rx)

    assert error.value.code == "dose_rule"
    assert Prescription.objects.get(pk=rx.pk).load_value == Decimal(7)


def test_the_row_offers_a_move_to_the_weeks_other_sessions(coach_client, block):
    session = first_rx(block).session
    other = editing.session_add(week=session.week, day=4, title="Upper")

    html = coach_client.get(f"/blocks/{block.pk}/").content.decode()
    first_row = html[html.index('id="rx-') :]
    targets = first_row[first_row.index('name="session"') :]
    targets = targets[: targets.index("</select>")]

    assert f'<option value="{other.pk}">Upper · Thu</option>' in targets
    assert f'value="{session.pk}"' not in targets


def test_a_file_over_the_limit_is_refused_before_it_is_read(coach_client, db):
    big = SimpleUploadedFile("big.json", b" " * (2 * 1024 * 1024 + 1))

    response = coach_client.post("/blocks/import/", {"file": big})

    assert b"The file is larger than 2 MB." in response.content
    assert not Block.objects.exists()


def test_a_full_session_takes_no_exercise_moved_in(coach, block, goblet):
    from programs.models import MAX_PRESCRIPTIONS_PER_SESSION

    moving = first_rx(block)
    full = editing.session_add(week=block.weeks.get(number=2), day=3, title="Full")
    Prescription.objects.bulk_create(
        Prescription(session=full, exercise=goblet, order=n, sets=3, reps_min=10)
        for n in range(1, MAX_PRESCRIPTIONS_PER_SESSION + 1)
    )
    with pytest.raises(ValidationError) as caught:
        editing.prescription_move(prescription=moving, session=full)
    assert caught.value.code == "too_many_exercises"
    assert full.prescriptions.count() == MAX_PRESCRIPTIONS_PER_SESSION


def test_another_coachs_draft_is_not_named_back(coach_client, block, other_coach):
    from library.models import Exercise

    draft = ExerciseFactory(name="Olga secret drill", status="draft", proposed_by=other_coach)
    session = Session.objects.filter(week__block=block).first()
    response = coach_client.post(
        f"/blocks/sessions/{session.pk}/prescriptions/", {"exercise": draft.pk}, follow=True
    )
    assert "Olga secret drill" not in response.content.decode()
    assert "Choose an exercise from the list." in response.content.decode()
    assert not Exercise.objects.get(pk=draft.pk).prescriptions.exists()
    response = coach_client.post(
        f"/blocks/sessions/{session.pk}/prescriptions/", {"exercise": "abc"}, follow=True
    )
    assert response.status_code == 200


# --- refused edits: errors where they were typed, nothing saved -------------------


def snapshot(block) -> list:
    """Everything a builder edit can change, to compare before and after a refusal."""
    return [
        list(block.weeks.order_by("number").values()),
        list(Session.objects.filter(week__block=block).order_by("pk").values()),
        list(Prescription.objects.filter(session__week__block=block).order_by("pk").values()),
    ]


def editor_fragment(response) -> str:
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="editor"')
    assert "<html" not in html
    assert 'id="grid"' not in html
    return html


def test_a_refused_progression_answers_its_form_with_the_error(coach_client, block):
    before = snapshot(block)

    response = coach_client.post(
        f"/blocks/{block.pk}/progression/?week=1",
        {"from_week": 9, "deload_fraction": "0.5"},
        headers=HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="progression"')
    assert "<html" not in html
    assert "This block has 4 weeks." in html
    assert 'id="id_from_week-errors"' in html
    assert 'value="9"' in html
    assert snapshot(block) == before


def test_a_refused_phase_answers_the_editor_with_the_error(coach_client, block):
    before = snapshot(block)

    response = coach_client.post(f"/blocks/{block.pk}/weeks/2/", {"phase": "holiday"}, headers=HTMX)

    html = editor_fragment(response)
    assert '<h2 class="h4 mb-0" id="week-title" tabindex="-1">Week 2</h2>' in html
    assert 'id="week-phase-errors"' in html
    assert "Select a valid choice. holiday is not one of the available choices." in html
    assert snapshot(block) == before


def test_a_week_copy_to_no_week_answers_the_editor_with_the_error(coach_client, block):
    before = snapshot(block)

    response = coach_client.post(f"/blocks/{block.pk}/weeks/1/copy/", {}, headers=HTMX)

    html = editor_fragment(response)
    assert '<details class="copy-week" open>' in html
    assert "Pick the weeks to copy to." in html
    assert snapshot(block) == before


def test_a_refused_new_session_keeps_what_was_typed(coach_client, block):
    before = snapshot(block)

    response = coach_client.post(
        f"/blocks/{block.pk}/weeks/1/sessions/", {"title": "x" * 101, "day": "3"}, headers=HTMX
    )

    html = editor_fragment(response)
    assert "Ensure this value has at most 100 characters (it has 101)." in html
    assert f'id="new-session-title" name="title" value="{"x" * 101}"' in html
    assert '<option value="3" selected>' in html
    assert snapshot(block) == before


def test_a_fifteenth_session_is_refused_inside_the_editor(coach_client, block):
    week = block.weeks.get(number=2)
    for _ in range(14):
        editing.session_add(week=week)
    before = snapshot(block)

    response = coach_client.post(
        f"/blocks/{block.pk}/weeks/2/sessions/", {"title": "One more"}, headers=HTMX
    )

    html = editor_fragment(response)
    assert "A week holds at most 14 sessions." in html
    assert 'value="One more"' in html
    assert snapshot(block) == before


def test_a_refused_session_edit_answers_the_editor_with_the_error(coach_client, block):
    session = first_rx(block).session
    before = snapshot(block)

    response = coach_client.post(
        f"/blocks/sessions/{session.pk}/", {"title": "Lower", "day": "9"}, headers=HTMX
    )

    html = editor_fragment(response)
    assert f'id="s{session.pk}-errors"' in html
    assert "Select a valid choice. 9 is not one of the available choices." in html
    assert f'id="s{session.pk}-day"' in html
    assert snapshot(block) == before


def test_a_session_copy_to_no_week_answers_the_editor_with_the_error(coach_client, block):
    session = first_rx(block).session
    before = snapshot(block)

    response = coach_client.post(f"/blocks/sessions/{session.pk}/copy/", {}, headers=HTMX)

    html = editor_fragment(response)
    assert '<details class="copy-session" open>' in html
    assert f'id="s{session.pk}-copy-errors"' in html
    assert "Pick the weeks to copy to." in html
    assert snapshot(block) == before


def test_adding_a_retired_exercise_answers_the_editor_with_the_error(coach_client, block):
    retired = ExerciseFactory(name="Old drill", status="retired")
    session = first_rx(block).session
    before = snapshot(block)

    response = coach_client.post(
        f"/blocks/sessions/{session.pk}/prescriptions/", {"exercise": retired.pk}, headers=HTMX
    )

    html = editor_fragment(response)
    assert f'id="picker{session.pk}-errors"' in html
    assert "Choose an exercise from the list." in html
    assert "Old drill" not in html
    assert snapshot(block) == before


def test_a_refused_row_keeps_its_control_ids_so_focus_stays(coach_client, block):
    rx = first_rx(block)
    before = snapshot(block)

    response = coach_client.post(
        f"/blocks/prescriptions/{rx.pk}/", row(rx, load_type="rpe", load_value=11), headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<form class="rx-row rx-invalid" id="rx-{rx.pk}"')
    assert "grid-week" not in html
    assert "RPE is between 1 and 10" in html
    assert f'name="load_value" id="rx{rx.pk}_load_value" value="11"' in html
    assert snapshot(block) == before


def test_a_move_to_another_blocks_session_answers_the_editor_with_the_error(
    coach_client, coach, block
):
    rx = first_rx(block)
    elsewhere = editing.session_add(
        week=services.block_create(owner=coach, name="Other", weeks=1).weeks.get()
    )
    before = snapshot(block)

    response = coach_client.post(
        f"/blocks/prescriptions/{rx.pk}/move/", {"session": elsewhere.pk}, headers=HTMX
    )

    html = editor_fragment(response)
    assert f'id="rx{rx.pk}-errors"' in html
    assert "Choose a session of this block." in html
    assert snapshot(block) == before


def test_a_forged_undo_answers_the_notice_with_the_error(coach_client, block):
    before = snapshot(block)

    response = coach_client.post(
        "/blocks/prescriptions/restore/", {"token": "forged"}, headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div class="rx-row rx-undo" role="alert">')
    assert "That can no longer be undone." in html
    assert response["HX-Retarget"] == "closest .rx-undo"
    assert snapshot(block) == before


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("/blocks/{block}/progression/", {"from_week": 9}, "This block has 4 weeks."),
        ("/blocks/{block}/weeks/1/", {"phase": "holiday"}, "holiday is not one of"),
        ("/blocks/{block}/weeks/1/copy/", {}, "Pick the weeks to copy to."),
        ("/blocks/{block}/weeks/1/sessions/", {"day": "0"}, "0 is not one of"),
        ("/blocks/sessions/{session}/", {"day": "8"}, "8 is not one of"),
        ("/blocks/sessions/{session}/copy/", {"weeks": ["9"]}, "Pick weeks of this block."),
        ("/blocks/sessions/{session}/prescriptions/", {}, "Choose an exercise from the list."),
        ("/blocks/prescriptions/{rx}/", {"sets": 0}, "greater than or equal to 1"),
        ("/blocks/prescriptions/{rx}/move/", {"session": "0"}, "Choose a session of this"),
    ],
)
def test_a_refused_plain_post_shows_the_page_again_with_the_error(
    coach_client, block, url, data, message
):
    rx = first_rx(block)
    if "sets" in data:
        data = row(rx, **data)
    before = snapshot(block)

    response = coach_client.post(url.format(block=block.pk, session=rx.session_id, rx=rx.pk), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert 'id="editor"' in html
    assert message in html
    assert snapshot(block) == before


# --- planned times -------------------------------------------------------------


def test_a_session_gets_a_planned_time_and_loses_it(coach_client, block):
    session = first_rx(block).session
    url = f"/blocks/sessions/{session.pk}/"

    response = coach_client.post(
        url, {"title": "Lower", "day": "1", "start_time": "18:30"}, headers=HTMX
    )

    html = editor_fragment(response)
    assert f'id="s{session.pk}-time" name="start_time" value="18:30"' in html
    session.refresh_from_db()
    assert session.start_time == datetime.time(18, 30)
    coach_client.post(url, {"title": "Lower", "day": "1", "start_time": ""}, headers=HTMX)
    session.refresh_from_db()
    assert session.start_time is None


def test_seconds_typed_are_dropped_so_the_file_keeps_the_time(coach_client, block):
    response = coach_client.post(
        f"/blocks/{block.pk}/weeks/2/sessions/", {"title": "Upper", "start_time": "07:15:42"}
    )

    assert response.status_code == 302
    assert Session.objects.get(title="Upper").start_time == datetime.time(7, 15)


def test_copies_and_progression_keep_the_planned_time(coach_client, block):
    session = first_rx(block).session
    Session.objects.filter(pk=session.pk).update(start_time=datetime.time(6, 0))

    coach_client.post(f"/blocks/sessions/{session.pk}/copy/", {"weeks": [2]})
    coach_client.post(f"/blocks/{block.pk}/weeks/1/copy/", {"weeks": [3]})

    times = Session.objects.filter(week__block=block).values_list("week__number", "start_time")
    assert sorted(times) == [(n, datetime.time(6, 0)) for n in (1, 2, 3)]
    coach_client.post(
        f"/blocks/{block.pk}/progression/", {"from_week": 2, "deload_fraction": "0.5"}
    )
    times = Session.objects.filter(week__block=block).values_list("week__number", "start_time")
    assert sorted(times) == [(n, datetime.time(6, 0)) for n in (1, 2, 3, 4)]


def test_a_refused_time_answers_the_editor_with_the_error(coach_client, block):
    session = first_rx(block).session
    before = snapshot(block)

    response = coach_client.post(
        f"/blocks/sessions/{session.pk}/",
        {"title": "Lower", "day": "1", "start_time": "25:00"},
        headers=HTMX,
    )

    html = editor_fragment(response)
    assert "Enter a valid time." in html
    assert f'id="s{session.pk}-time" name="start_time" value="25:00" aria-invalid="true"' in html
    assert snapshot(block) == before


def test_the_copy_forms_week_checkboxes_keep_what_a_refused_form_ticked():
    from django.template import Context, Template

    from programs.blocks.forms import WeekCopyForm

    tag = Template('{% load builder %}{% week_checkboxes "s7-copy" numbers form %}')
    refused = WeekCopyForm({"weeks": ["2", "4"]}, numbers=[1, 2, 3, 4])
    assert refused.is_valid()  # refused by the service after, as a week already full

    html = tag.render(Context({"numbers": [1, 2, 3, 4], "form": refused}))
    fresh = tag.render(Context({"numbers": [1, 2], "form": None}))

    assert html.count('type="checkbox" name="weeks"') == 4
    assert 'value="2" id="s7-copy-2" class="form-check-input" checked> 2</label>' in html
    assert 'value="3" id="s7-copy-3" class="form-check-input"> 3</label>' in html
    assert html.count(" checked>") == 2
    assert fresh == (
        '<label class="form-check-inline small"><input type="checkbox" name="weeks" value="1" '
        'id="s7-copy-1" class="form-check-input"> 1</label>'
        '<label class="form-check-inline small"><input type="checkbox" name="weeks" value="2" '
        'id="s7-copy-2" class="form-check-input"> 2</label>'
    )
