"""Writing a validated library file in bulk: all or nothing."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch

from library.caching import library_changed
from library.io.formats import (
    _BATCH_SIZE,
    KEPT_EDITED,
    KEPT_NOT_BUILTIN,
    REQUIRED_COLUMNS,
    ImportReport,
    _one_line,
    _read,
    exercise_record,
    record_checksum,
)
from library.io.validation import (
    _clean_record,
    _column_errors,
    _cross_row_errors,
    _Existing,
    _parsers,
    _Vocabularies,
)
from library.models import (
    Exercise,
    ExerciseMuscle,
    Source,
)


def import_exercises(
    *,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    source: str = Source.IMPORT,
    proposed_by=None,
    force: bool = False,
) -> ImportReport:
    """Create or update exercises by slug from a CSV or JSON file, in one transaction.

    Raises LibraryFileError when the file cannot be read at all. Row problems never
    raise: they come back in ``report.errors`` and nothing is written. With
    ``source=Source.BUILTIN`` rows edited since the last built-in load (or not from the
    built-in library) are kept unless ``force``; written rows get a ``builtin_checksum``.
    """
    records, header = _read(data, filename)
    report = ImportReport(dry_run=dry_run)
    builtin = source == Source.BUILTIN
    with transaction.atomic():
        vocab = _Vocabularies.load()
        parsers = _parsers(vocab)
        absent = set(REQUIRED_COLUMNS) - set(header) if header is not None else set()
        report.errors.extend(_column_errors(records, header))
        rows = [(r.row, _clean_record(r, parsers, absent, report.errors)) for r in records]
        existing = {
            slug: _Existing(pk, name, easier or "")
            for pk, slug, name, easier in Exercise.objects.values_list(
                "pk", "slug", "name", "easier__slug"
            )
        }
        file_slugs = [clean["slug"] for _row, clean in rows if clean.get("slug")]
        current = {
            exercise.slug: exercise
            for exercise in _with_vocabulary(Exercise.objects.filter(slug__in=file_slugs))
        }
        if builtin and not force:
            report.kept = _kept_builtin_rows(rows, current)
            report.kept.update(_builtin_name_clashes(rows, existing))
        report.errors.extend(_cross_row_errors(rows, existing, set(report.kept)))
        if report.errors:
            report.errors.sort(key=lambda error: error.row)
            return report

        to_write = []
        for _row, clean in rows:
            exercise = current.get(clean["slug"])
            if clean["slug"] in report.kept:
                continue
            if exercise is None:
                report.created.append(clean["slug"])
                to_write.append(clean)
            elif exercise_record(exercise) == clean:
                report.unchanged.append(clean["slug"])
            else:
                report.updated.append(clean["slug"])
                to_write.append(clean)
        if to_write and not dry_run:
            _write(
                rows=to_write,
                existing_ids={slug: e.id for slug, e in existing.items()},
                vocab=vocab,
                source=source,
                proposed_by=proposed_by,
            )
    return report


def _builtin_name_clashes(rows: list[tuple[int, dict]], existing: dict) -> dict[str, str]:
    """Built-in rows whose name the library already uses under another slug (a curator
    added it first): kept, so the loader never fails on it, and rows that name it as their
    easier variant point at the library's exercise of that name instead."""
    owners = {_one_line(e.name).lower(): slug for slug, e in existing.items()}
    renamed = {}
    for _row, clean in rows:
        slug, name = clean.get("slug"), clean.get("name")
        owner = owners.get(name.lower()) if name else None
        if slug and owner and owner != slug and slug not in existing:
            renamed[slug] = owner
    for _row, clean in rows:
        if clean.get("easier") in renamed:
            clean["easier"] = renamed[clean["easier"]]
    return {
        slug: f"kept (the library already has this exercise as {owner!r})"
        for slug, owner in renamed.items()
    }


def _with_vocabulary(queryset):
    return queryset.select_related("easier").prefetch_related(
        Prefetch("muscle_roles", queryset=ExerciseMuscle.objects.select_related("muscle")),
        "equipment",
    )


def _kept_builtin_rows(rows: list[tuple[int, dict]], current: dict[str, Exercise]) -> dict:
    kept = {}
    for _row, clean in rows:
        exercise = current.get(clean.get("slug", ""))
        if exercise is None:
            continue
        record = exercise_record(exercise)
        if record == clean:
            continue
        if not exercise.builtin_checksum and exercise.source != Source.BUILTIN:
            kept[exercise.slug] = KEPT_NOT_BUILTIN
        elif record_checksum(record) != exercise.builtin_checksum:
            kept[exercise.slug] = KEPT_EDITED
    return kept


_FIELDS = (
    "name",
    "aliases",
    "pattern",
    "load_class",
    "unilateral",
    "foot_contacts_per_rep",
    "cues",
    "faults",
    "demo_url",
    "status",
)


def _write(
    *,
    rows: list[dict],
    existing_ids: dict[str, int],
    vocab: _Vocabularies,
    source: str,
    proposed_by,
) -> None:
    """Insert or update ``rows`` by slug, then replace their muscles and equipment.

    One upsert writes new and changed rows alike (an UPDATE of a thousand rows through
    bulk_update's CASE expressions takes seconds); it keeps an existing row's id, creation
    date and proposer, and its source unless the built-in loader takes the row over."""
    builtin = source == Source.BUILTIN
    exercises = []
    for clean in rows:
        exercise = Exercise(
            slug=clean["slug"],
            source=source,
            proposed_by=proposed_by,
            builtin_checksum=record_checksum(clean) if builtin else "",
            easier_id=existing_ids.get(clean["easier"]),
            **{name: clean[name] for name in _FIELDS},
        )
        exercise.search_text = exercise.build_search_text()
        exercises.append(exercise)
    written = [*_FIELDS, "easier", "search_text", "updated_at"]
    Exercise.objects.bulk_create(
        exercises,
        batch_size=_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["slug"],
        update_fields=[*written, "source", "builtin_checksum"] if builtin else written,
    )
    if any(exercise.pk is None for exercise in exercises):
        ids = dict(
            Exercise.objects.filter(slug__in=[e.slug for e in exercises]).values_list("slug", "pk")
        )
        for exercise in exercises:
            exercise.pk = ids[exercise.slug]
    ids = existing_ids | {exercise.slug: exercise.pk for exercise in exercises}
    # Second pass: easier variants that are new rows of this file.
    late = []
    for exercise, clean in zip(exercises, rows, strict=True):
        if clean["easier"] and exercise.easier_id is None:
            exercise.easier_id = ids[clean["easier"]]
            late.append(exercise)
    Exercise.objects.bulk_update(late, ["easier"], batch_size=_BATCH_SIZE)

    rewritten = [existing_ids[clean["slug"]] for clean in rows if clean["slug"] in existing_ids]
    ExerciseMuscle.objects.filter(exercise_id__in=rewritten).delete()
    links = Exercise.equipment.through
    links.objects.filter(exercise_id__in=rewritten).delete()
    ExerciseMuscle.objects.bulk_create(
        [
            ExerciseMuscle(exercise_id=exercise.pk, muscle_id=vocab.muscle_ids[slug], primary=p)
            for exercise, clean in zip(exercises, rows, strict=True)
            for key, p in (("primary_muscles", True), ("secondary_muscles", False))
            for slug in clean[key]
        ],
        batch_size=_BATCH_SIZE,
    )
    links.objects.bulk_create(
        [
            links(exercise_id=exercise.pk, equipment_id=vocab.equipment_ids[slug])
            for exercise, clean in zip(exercises, rows, strict=True)
            for slug in clean["equipment"]
        ],
        batch_size=_BATCH_SIZE,
    )
    library_changed()  # bulk writes send no signal


# Exporting
