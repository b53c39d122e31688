"""The block builder: a weeks × sessions grid and the selected week's editor, edited in
place with htmx. A row edit answers the row plus that week's grid row and summary out of
band; edits that re-render the week editor trigger "block-changed" so the grid follows.

A refused edit changes nothing and answers 200 with what was typed and the errors beside
it: the fragment the form swaps (the row, the editor, the progression form) for htmx,
the whole page otherwise. Invalid forms reach the templates through ``bound``, keyed as
``_context`` documents."""

import functools
import hashlib

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import (
    HttpResponseClientRedirect,
    reswap,
    retarget,
    trigger_client_event,
)

from config import pagecache
from config.roles import coach_required
from library.models import Exercise
from programs import caching
from programs.blocks import editing, services
from programs.blocks.forms import (
    DAYS,
    CopyForm,
    ExerciseChoiceForm,
    MoveToSessionForm,
    PrescriptionForm,
    ProgressionForm,
    SessionForm,
    WeekCopyForm,
    WeekForm,
)
from programs.blocks.selectors import (
    BuilderPage,
    builder_block,
    builder_editor_data,
    builder_page_data,
    builder_week_row_data,
    grid_columns,
)
from programs.models import Block, Phase
from programs.permissions import (
    get_block_for_editing,
    get_block_for_viewing,
    get_prescription_for_editing,
    get_session_for_editing,
    get_week_for_editing,
)

UNDO_SALT = "programs.prescription-undo"
UNDO_MAX_AGE = 60 * 60


def _context(
    request: HttpRequest, page: BuilderPage, bound: dict[str, forms.Form] | None = None
) -> dict:
    """The page's data and its forms. ``bound`` holds refused forms to show again with
    their errors: "progression", "week", "week_copy", "new_session", and per object
    "session-<pk>", "session_copy-<pk>", "add-<session pk>", "rx-<pk>", "move-<rx pk>"."""
    bound = bound or {}
    if page.week and page.editable:
        for session in page.week.sessions.all():
            session.form = bound.get(f"session-{session.pk}") or SessionForm(
                initial={
                    "title": session.title,
                    "day": str(session.day or ""),
                    "start_time": session.start_time,
                }
            )
            session.copy_form = bound.get(f"session_copy-{session.pk}")
            session.add_form = bound.get(f"add-{session.pk}")
            for p in session.prescriptions.all():
                p.form = bound.get(f"rx-{p.pk}") or PrescriptionForm(
                    instance=p, auto_id=f"rx{p.pk}_%s"
                )
                p.move_form = bound.get(f"move-{p.pk}")
    weeks = len(page.week_numbers)
    return {
        **vars(page),
        "phases": Phase.choices,
        "days": DAYS,
        "progression_form": bound.get("progression") or _progression_form(page.program, weeks),
        "week_form": bound.get("week"),
        "week_copy_form": bound.get("week_copy"),
        "new_session_form": bound.get("new_session") or SessionForm(),
        "copy_form": CopyForm(),
    }


def _progression_form(block: Block, weeks: int) -> ProgressionForm:
    return ProgressionForm(
        weeks=weeks,
        initial={
            "from_week": min(2, weeks),
            "deload_every": block.deload_every,
            "deload_fraction": block.deload_fraction,
        },
    )


def _week_fragments(request: HttpRequest, week_id: int) -> str:
    """The edited week's grid row and summary, swapped out of band: a row edit answers
    with them instead of making the page fetch the whole block again."""
    context = vars(builder_week_row_data(week_id=week_id))
    summary = render_to_string(
        "programs/block_builder.html#summary", {**context, "oob": True}, request=request
    )
    return _grid_row_oob(request, context) + summary


def _grid_row_oob(request: HttpRequest, context: dict) -> str:
    """``context["row"]`` of the grid, to swap out of band. A <tr> cannot stand alone in a
    response: htmx swaps it from a <template>."""
    grid_row = render_to_string(
        "programs/block_builder.html#gridrow", {**context, "oob": True}, request=request
    )
    return f"<template>{grid_row}</template>"


def _refresh(
    request: HttpRequest,
    block_id: int,
    number: int,
    notice: str = "",
    *,
    one_week: bool = False,
    columns: int | None = None,
) -> HttpResponse:
    """The week editor after a change; a plain POST goes back to the page.

    ``one_week``: the edit changed the edited week's row of the grid and nothing else, so
    the answer carries that row. ``columns``: the grid's columns before an edit that can
    change them (a session added or deleted); if they changed, every row did. Otherwise
    the page fetches the whole grid again."""
    if not request.htmx:
        if notice:
            messages.success(request, notice)
        return redirect(f"{_builder_url(block_id)}?week={number}")
    # The editor and its week's row: what they show is read, not the whole block.
    page = builder_editor_data(user=request.user, block_id=block_id, number=number)
    context = _context(request, page)
    context["notice"] = notice
    response = render(request, "programs/block_builder.html#editor", context)
    if one_week and page.grid_rows and columns in (None, len(page.columns)):
        response.write(_grid_row_oob(request, {**context, "row": page.grid_rows[0]}))
        return response
    return trigger_client_event(response, "block-changed")


def _refused(
    request: HttpRequest, block_id: int, number: int | None, fragment: str = "editor", **bound
) -> HttpResponse:
    """A refused edit, shown again with its errors where it was typed: the fragment its
    form swaps for htmx, the page otherwise; 200 either way, nothing saved."""
    if request.htmx and fragment == "editor":
        page = builder_editor_data(user=request.user, block_id=block_id, number=number)
    else:
        page = _page(request, block_id, number)
    template = "programs/block_builder.html"
    context = _context(request, page, bound)
    return render(request, f"{template}#{fragment}" if request.htmx else template, context)


def _page(request: HttpRequest, block_id: int, number: int | None) -> BuilderPage:
    """The whole page's data: the grid of every week, each row drawn already if the cache
    has it (``_grid_rows_drawn``), and the selected week's editor."""
    page = builder_page_data(user=request.user, block=builder_block(block_id), number=number)
    _grid_rows_drawn(page)
    return page


def _grid_rows_drawn(page: BuilderPage) -> None:
    """Each grid row's HTML, from the cache or drawn and kept there: a block built again
    after an edit draws the rows that changed, not all 52 (issue #17). The key is what the
    row shows (``GridRow.key``: its week's cells and figures, number, phase and the
    grid's columns), whether it is the selected week, the template and the language, so
    a row is never out of date and nothing needs to move it on."""
    selected = page.week.number if page.week else None
    prefix = f"gridrow:{_template_digest()}:{translation.get_language()}"
    keys = {
        id(row): f"{prefix}:{row.key}:{row.values.number == selected}" for row in page.grid_rows
    }
    cached = cache.get_many(list(keys.values()))
    drawn = {}
    for row in page.grid_rows:
        key = keys[id(row)]
        if key in cached:
            row.html = mark_safe(cached[key])  # noqa: S308 (our own template's output)
            continue
        row.html = render_to_string(
            "programs/block_builder.html#gridrow", {"row": row, "week": page.week}
        )
        drawn[key] = str(row.html)
    if drawn:
        cache.set_many(drawn, pagecache.TIMEOUT)


@functools.cache
def _template_digest() -> str:
    source = get_template("programs/block_builder.html").template.source
    return hashlib.sha256(source.encode()).hexdigest()[:12]


def _builder_url(block_id: int) -> str:
    return reverse("programs:builder", args=[block_id])


def _week_number(request: HttpRequest) -> int | None:
    try:
        return int(request.GET.get("week", ""))
    except ValueError:
        return None


@require_GET
@coach_required
def builder(request: HttpRequest, block_id: int) -> HttpResponse:
    """The page, or the fragment htmx asks for. Cached until the block changes
    (``programs.caching``): a coach goes back and forth between blocks far more often than
    a block changes, and every edit moves the version on."""
    block_id = get_block_for_viewing(request.user, block_id).pk
    number = _week_number(request)
    template = "programs/block_builder.html"
    if request.htmx and request.htmx.target in {"grid", "editor", "summary"}:
        template = f"{template}#{request.htmx.target}"
    user = request.user
    key = pagecache.key(
        "builder",
        user.pk,
        block_id,
        caching.block_version(block_id),
        caching.library_version(),
        number,
        template,
        user.weight_unit,
    )
    return pagecache.render_cached(
        request, template, key, lambda: _context(request, _page(request, block_id, number))
    )


@require_POST
@coach_required
def apply_progression(request: HttpRequest, block_id: int) -> HttpResponse:
    block = get_block_for_editing(request.user, block_id)
    weeks = block.weeks.count()
    form = ProgressionForm(request.POST, weeks=weeks)
    if form.is_valid():
        try:
            rebuilt = services.block_apply_progression(
                block=block,
                from_week=form.cleaned_data["from_week"],
                deload_every=form.cleaned_data["deload_every"],
                deload_fraction=form.cleaned_data["deload_fraction"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _refused(request, block.pk, _week_number(request), "progression", progression=form)
    messages.success(request, f"Rebuilt {rebuilt} week(s) by their progression rules.")
    # Every later week changed: the whole page is the fragment to refresh.
    if request.htmx:
        return HttpResponseClientRedirect(_builder_url(block.pk))
    return redirect("programs:builder", block_id=block.pk)


@require_POST
@coach_required
def week_update(request: HttpRequest, block_id: int, number: int) -> HttpResponse:
    week = get_week_for_editing(request.user, block_id, number)
    form = WeekForm(request.POST)
    if form.is_valid():
        try:
            editing.week_update(week=week, phase=form.cleaned_data["phase"])
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _refused(request, block_id, number, week=form)
    return _refresh(request, block_id, number, one_week=True)


@require_POST
@coach_required
def week_copy(request: HttpRequest, block_id: int, number: int) -> HttpResponse:
    week = get_week_for_editing(request.user, block_id, number)
    numbers = list(week.block.weeks.values_list("number", flat=True))
    form = WeekCopyForm(request.POST, numbers=numbers)
    if form.is_valid():
        targets = list(week.block.weeks.filter(number__in=form.cleaned_data["weeks"]))
        try:
            copied = editing.week_copy(source=week, targets=targets)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _refused(request, block_id, number, week_copy=form)
    return _refresh(request, block_id, number, f"Week {number} copied to {copied} week(s).")


@require_POST
@coach_required
def session_add(request: HttpRequest, block_id: int, number: int) -> HttpResponse:
    week = get_week_for_editing(request.user, block_id, number)
    form = SessionForm(request.POST, auto_id="new-session-%s")
    columns = grid_columns(block_id)
    if form.is_valid():
        try:
            editing.session_add(week=week, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _refused(request, block_id, number, new_session=form)
    return _refresh(request, block_id, number, one_week=True, columns=columns)


@require_POST
@coach_required
def session_update(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_session_for_editing(request.user, session_id)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            editing.session_update(session=session, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    week = session.week
    if form.errors:
        return _refused(request, week.block_id, week.number, **{f"session-{session.pk}": form})
    return _refresh(request, week.block_id, week.number, one_week=True)


@require_POST
@coach_required
def session_delete(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_session_for_editing(request.user, session_id)
    week = session.week
    columns = grid_columns(week.block_id)
    editing.session_delete(session=session)
    return _refresh(request, week.block_id, week.number, one_week=True, columns=columns)


@require_POST
@coach_required
def session_copy(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_session_for_editing(request.user, session_id)
    block = session.week.block
    form = WeekCopyForm(request.POST, numbers=list(block.weeks.values_list("number", flat=True)))
    if form.is_valid():
        targets = list(block.weeks.filter(number__in=form.cleaned_data["weeks"]))
        try:
            copied = editing.session_copy(session=session, weeks=targets)
        except ValidationError as error:
            form.add_error(None, error)
    number = session.week.number
    if form.errors:
        return _refused(request, block.pk, number, **{f"session_copy-{session.pk}": form})
    return _refresh(request, block.pk, number, f"“{session}” copied to {copied} week(s).")


@require_POST
@coach_required
def prescription_add(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_session_for_editing(request.user, session_id)
    # Only what the coach may pick: another coach's draft is not even named back.
    form = ExerciseChoiceForm(request.POST, exercises=Exercise.objects.pickable_by(request.user))
    if form.is_valid():
        try:
            editing.prescription_add(
                session=session, exercise=form.cleaned_data["exercise"], user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
    week = session.week
    if form.errors:
        return _refused(request, week.block_id, week.number, **{f"add-{session.pk}": form})
    return _refresh(request, week.block_id, week.number, one_week=True)


@require_POST
@coach_required
def prescription_update(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = get_prescription_for_editing(request.user, prescription_id)
    form = PrescriptionForm(request.POST, instance=prescription)
    saved = form.is_valid()
    if saved:
        try:
            prescription = editing.prescription_update(prescription=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
            saved = False
        else:
            form = PrescriptionForm(instance=prescription)
    week = prescription.session.week
    if not request.htmx:
        if not saved:
            return _refused(request, week.block_id, week.number, **{f"rx-{prescription.pk}": form})
        return redirect(f"{_builder_url(week.block_id)}?week={week.number}")
    response = render(
        request,
        "programs/block_builder.html#row",
        {
            "p": prescription,
            "form": form,
            "editable": True,
            "saved": saved,
            "move_targets": list(week.sessions.order_by("order")),
        },
    )
    if saved:
        response.write(_week_fragments(request, week.pk))
    return response


@require_POST
@coach_required
def prescription_delete(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = get_prescription_for_editing(request.user, prescription_id)
    week = prescription.session.week
    name = prescription.exercise.name
    undo = editing.prescription_delete(prescription=prescription)
    undo["name"] = name
    token = signing.dumps(undo, salt=UNDO_SALT)
    if not request.htmx:
        messages.info(request, f"{name} removed.")
        return redirect(f"{_builder_url(week.block_id)}?week={week.number}")
    context = {"name": name, "token": token, "pk": prescription_id}
    response = render(request, "programs/block_builder.html#undo", context)
    return trigger_client_event(response, "block-changed")


def _undo_refused(request: HttpRequest, message: str, name: str = "", token: str = ""):
    """The undo notice again, with why it failed; the Undo button stays while a retry could
    work (a session with room again), and goes when the token is no good."""
    context = {"name": name, "token": token, "error": message}
    response = render(request, "programs/block_builder.html#undo", context)
    # The Undo form targets the editor; a refusal belongs in the notice it came from.
    return reswap(retarget(response, "closest .rx-undo"), "outerHTML")


@require_POST
@coach_required
def prescription_restore(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    try:
        undo = signing.loads(token, salt=UNDO_SALT, max_age=UNDO_MAX_AGE)
    except signing.BadSignature:
        if request.htmx:
            return _undo_refused(request, "That can no longer be undone.")
        # No block to show it on: the token named it, and it cannot be read.
        messages.error(request, "That can no longer be undone.")
        return redirect("programs:list")
    session = get_session_for_editing(request.user, undo["session"])
    week = session.week
    try:
        editing.prescription_restore(session=session, order=undo["order"], data=undo["data"])
    except ValidationError as error:
        message = " ".join(error.messages)
        if request.htmx:
            return _undo_refused(request, message, undo.get("name", ""), token)
        messages.error(request, message)
        return _refused(request, week.block_id, week.number)
    return _refresh(request, week.block_id, week.number, one_week=True)


@require_POST
@coach_required
def prescription_move(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = get_prescription_for_editing(request.user, prescription_id)
    week = prescription.session.week
    form = MoveToSessionForm(request.POST, block=week.block)
    if form.is_valid():
        offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""), 0)
        try:
            editing.prescription_move(
                prescription=prescription, session=form.cleaned_data["session"], offset=offset
            )
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _refused(request, week.block_id, week.number, **{f"move-{prescription.pk}": form})
    return _refresh(request, week.block_id, week.number)
