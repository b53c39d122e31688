"""Reads that build the blocks' pages: the builder's weeks × sessions grid with each week's
summary and the selected week, and one week's grid row on its own (what a row edit swaps
out of band)."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch
from django.utils import translation

from athletes.models import User
from config import pagecache
from programs import caching
from programs.blocks.summary import WeekSummary, summary_add, week_summary
from programs.models import Block, Dose, Prescription, Session, Week
from programs.models.blocks import day_label, session_name
from programs.querysets import sessions_prefetch


def structured_block(block_id: int) -> Block:
    """The block with everything the grid, the editor and the summary show, in a fixed
    number of queries whatever its size."""
    return Block.objects.with_structure(muscles=True).select_related("owner").get(pk=block_id)


@dataclass(frozen=True)
class GridCell:
    """A session as its grid cell shows it: its title, day and time, and each exercise's
    name and dose."""

    title: str
    day: str
    start: str
    lines: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class GridRowValues:
    """All a week's grid row shows, as plain values: the row partial reads nothing else,
    so these values (with the selected week) are the key its HTML is cached under."""

    number: int
    phase: str
    phase_label: str
    cells: tuple[GridCell | None, ...]
    heavy_lower_sets: int
    foot_contacts: int


@dataclass
class GridRow:
    week: Week
    summary: WeekSummary
    values: GridRowValues
    # What the row's HTML is kept under, for the page's rows: a digest of its week's
    # cells and figures (``GridWeek``), its number, phase and the grid's columns.
    key: str = ""
    # The row drawn, when the cache had it (programs/blocks/views/builder.py).
    html: str = ""


@dataclass(frozen=True)
class GridWeek:
    """A week's grid cells and summary figures, as the cache keeps them between rebuilds
    of the page (``grid_weeks``), with a digest of what its row shows from them."""

    cells: tuple[GridCell, ...]
    summary: WeekSummary
    digest: str

    @classmethod
    def of(cls, cells: list[GridCell], summary: WeekSummary) -> "GridWeek":
        shown = (tuple(cells), summary.heavy_lower_sets, summary.foot_contacts)
        digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:32]
        return cls(tuple(cells), summary, digest)


@dataclass
class BuilderPage:
    """The builder's data; the template reads each field as a top-level name. ``week`` is
    the selected week (the one asked for, else the first), ``columns`` the widest week."""

    program: Block
    grid_rows: list[GridRow]
    week: Week | None
    summary: WeekSummary | None
    columns: range
    editable: bool
    week_numbers: list[int]
    other_weeks: list[int]


def builder_block(block_id: int) -> Block:
    """The block and its weeks, as the builder's page reads them: each week's sessions are
    read as plain values for its grid row (``builder_page_data``), the selected week in
    full for its editor. In a 52-week block the weeks' model objects (3,000 of them, with
    their exercises) were most of the cost of the page built again after an edit, and
    what made it grow with the block (issue #17)."""
    weeks = Week.objects.order_by("number")
    return (
        Block.objects.prefetch_related(Prefetch("weeks", queryset=weeks))
        .select_related("owner")
        .get(pk=block_id)
    )


def builder_page_data(*, user: User, block: Block, number: int | None = None) -> BuilderPage:
    """``block`` as ``builder_block`` loads it: every week's grid row from plain values
    (two queries), and the selected week read again with everything its editor and
    summary show (four queries)."""
    weeks = list(block.weeks.all())
    selected = next((w for w in weeks if w.number == number), weeks[0] if weeks else None)
    full = _week_in_full(block, pk=selected.pk) if selected is not None else None
    if full is not None:
        # (Else the lean one, the week deleted since: the page shows what was read.)
        weeks[weeks.index(selected)] = selected = full
    grid = grid_weeks(block.pk, [week.pk for week in weeks])
    columns = max((len(g.cells) for g in grid.values()), default=0)
    rows = []
    for week in weeks:
        cells, summary = grid[week.pk].cells, grid[week.pk].summary
        if week is full:
            summary = week_summary(week)  # with its muscles, for the selected week's panel
        key = pagecache.key(grid[week.pk].digest, week.number, week.phase, columns)
        rows.append(GridRow(week, summary, _row_values(week, cells, summary, columns), key))
    numbers = [w.number for w in weeks]
    return _builder_page(
        user, block, numbers=numbers, selected=selected, rows=rows, columns=columns
    )


class _DoseValues:
    """A prescription's dose as plain values, with the model's texts (``Dose``)."""

    __slots__ = (
        "distance_m",
        "duration_s",
        "load_type",
        "load_value",
        "per_side",
        "reps_max",
        "reps_min",
        "sets",
    )
    reps_text = Dose.reps_text
    load_text = Dose.load_text
    amount_text = Dose.amount_text
    dose_text = Dose.dose_text

    def __init__(self, values) -> None:
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)


def grid_weeks(block_id: int, week_ids: list[int]) -> dict[int, GridWeek]:
    """Each week's grid values (week id → ``GridWeek``): from the cache for the weeks whose
    version (``caching.grid_versions``) has not moved on since they were kept, read in two
    queries for the others. A block built again after an edit reads the edited week's
    rows alone, not all 52 weeks' (issue #17)."""
    if not week_ids:
        return {}
    versions = caching.grid_versions(block_id, week_ids)
    language = translation.get_language()
    keys = {pk: pagecache.key("gridweek", block_id, pk, versions[pk], language) for pk in week_ids}
    cached = cache.get_many(list(keys.values()))
    weeks = {pk: cached[key] for pk, key in keys.items() if key in cached}
    if missing := [pk for pk in week_ids if pk not in weeks]:
        read = _grid_values(block_id, missing if len(missing) < len(week_ids) else None)
        built = {pk: GridWeek.of(*read.get(pk, ([], WeekSummary()))) for pk in missing}
        cache.set_many({keys[pk]: week for pk, week in built.items()}, pagecache.TIMEOUT)
        weeks |= built
    return weeks


def _grid_values(
    block_id: int, week_ids: list[int] | None = None
) -> dict[int, tuple[list[GridCell], WeekSummary]]:
    """Each week's grid cells and summary figures (week id → both), read as values in two
    queries: what ``_grid_row`` makes of the week's model objects, for every week of the
    block or those of ``week_ids``."""
    weeks = {} if week_ids is None else {"week_id__in": week_ids}
    sessions = (
        Session.objects.filter(week__block_id=block_id, **weeks)
        .order_by("week_id", "order")
        .values_list("pk", "week_id", "title", "label", "order", "day", "start_time")
    )
    in_weeks = {} if week_ids is None else {"session__week_id__in": week_ids}
    prescriptions = (
        Prescription.objects.filter(session__week__block_id=block_id, **in_weeks)
        .order_by("session_id", "order")
        .values_list(
            "session_id",
            "exercise__name",
            "exercise__load_class",
            "exercise__foot_contacts_per_rep",
            *_DoseValues.__slots__,
        )
    )
    lines: dict[int, list[tuple[str, str]]] = {}
    grid: dict[int, tuple[list[GridCell], WeekSummary]] = {}
    week_of: dict[int, int] = {}
    for pk, week_id, *_rest in sessions:
        week_of[pk] = week_id
        grid.setdefault(week_id, ([], WeekSummary()))
    for session_id, name, load_class, foot_contacts, *dose in prescriptions:
        values = _DoseValues(dose)
        lines.setdefault(session_id, []).append((name, values.dose_text))
        summary_add(grid[week_of[session_id]][1], values, load_class, foot_contacts)
    for pk, week_id, title, label, order, day, start_time in sessions:
        cell = _cell(session_name(title, label, order), day, start_time, lines.get(pk, ()))
        grid[week_id][0].append(cell)
    return grid


def builder_editor_data(*, user: User, block_id: int, number: int | None = None) -> BuilderPage:
    """What an edit answers with: the selected week in full for its editor, and its row of
    the grid (the only one in ``grid_rows``); the block and its weeks' numbers. A fixed
    number of queries, and rows for one week, whatever the block's length."""
    block = Block.objects.select_related("owner").get(pk=block_id)
    numbers = list(block.weeks.order_by("number").values_list("number", flat=True))
    if number not in numbers:
        number = numbers[0] if numbers else None
    week = _week_in_full(block, number=number)
    if week is None:
        return _builder_page(user, block, numbers=numbers, selected=None, rows=[], columns=0)
    columns = grid_columns(block.pk)
    row = _grid_row(week, week_summary(week), columns)
    return _builder_page(user, block, numbers=numbers, selected=week, rows=[row], columns=columns)


def _week_in_full(block: Block, **lookup) -> Week | None:
    """The week of ``block`` that ``lookup`` names (or None), with all its editor and
    summary show: sessions, prescriptions, exercises and their muscles."""
    week = (
        Week.objects.filter(block=block, **lookup)
        .prefetch_related(sessions_prefetch(muscles=True))
        .first()
    )
    if week is not None:
        week.block = block
    return week


def _builder_page(
    user: User,
    block: Block,
    *,
    numbers: list[int],
    selected: Week | None,
    rows: list[GridRow],
    columns: int,
) -> BuilderPage:
    """The page from its grid ``rows`` (every week's, or only the selected one's)."""
    return BuilderPage(
        program=block,
        grid_rows=rows,
        week=selected,
        summary=next((r.summary for r in rows if r.week is selected), None),
        columns=range(columns),
        editable=block.owner_id == user.pk,
        week_numbers=numbers,
        other_weeks=[n for n in numbers if selected and n != selected.number],
    )


@dataclass
class WeekRow:
    """One week's grid row and summary, for the fragments swapped out of band."""

    row: GridRow
    week: Week
    summary: WeekSummary
    program: Block


def builder_week_row_data(*, week_id: int) -> WeekRow:
    week = (
        Week.objects.select_related("block")
        .prefetch_related(sessions_prefetch(muscles=True))
        .get(pk=week_id)
    )
    summary = week_summary(week)
    return WeekRow(
        row=_grid_row(week, summary, grid_columns(week.block_id)),
        week=week,
        summary=summary,
        program=week.block,
    )


def grid_columns(block_id: int) -> int:
    """The grid's columns: the most sessions any week of the block has."""
    return (
        Session.objects.filter(week__block_id=block_id)
        .values("week")
        .annotate(count=Count("pk"))
        .aggregate(widest=Max("count"))["widest"]
        or 0
    )


def _grid_row(week: Week, summary: WeekSummary, columns: int) -> GridRow:
    """A week's row from its model objects (sessions, prescriptions and exercises loaded),
    for the edits' answers, which read one week in full anyway."""
    cells = [_grid_cell(session) for session in week.sessions.all()]
    return GridRow(week, summary, _row_values(week, cells, summary, columns))


def _row_values(
    week: Week, cells: list[GridCell], summary: WeekSummary, columns: int
) -> GridRowValues:
    return GridRowValues(
        number=week.number,
        phase=week.phase,
        phase_label=week.phase_label,
        cells=tuple(cells) + (None,) * (columns - len(cells)),
        heavy_lower_sets=summary.heavy_lower_sets,
        foot_contacts=summary.foot_contacts,
    )


def _grid_cell(session: Session) -> GridCell:
    lines = [(p.exercise.name, p.dose_text) for p in session.prescriptions.all()]
    return _cell(str(session), session.day, session.start_time, lines)


def _cell(name: str, day: int | None, start_time, lines) -> GridCell:
    """A session's cell, from its model object (``_grid_cell``) or its values."""
    return GridCell(
        title=name,
        day=day_label(day),
        start=start_time.strftime("%H:%M") if start_time else "",
        lines=tuple(lines),
    )
