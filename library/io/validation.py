"""Validating every row of a library file, collecting every error with its row and column."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils.text import slugify

from library.io.formats import (
    COLUMNS,
    FALSE_WORDS,
    LIST_SEPARATOR,
    MAX_FOOT_CONTACTS,
    MAX_TEXT_LENGTH,
    REQUIRED_COLUMNS,
    TRUE_WORDS,
    Record,
    RowError,
    _clean_lines,
    _one_line,
    _validate_url,
)
from library.models import (
    Equipment,
    Exercise,
    LoadClass,
    Muscle,
    Pattern,
    Status,
    clean_aliases,
    normalize,
)


class _CellError(Exception):
    def __init__(self, *messages: str) -> None:
        super().__init__(*messages)
        self.messages = messages


class _Vocabulary:
    """Slugs in display order, found by slug or label, ignoring case and accents."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        pairs = [(slug, str(label)) for slug, label in pairs]
        self.slugs = [slug for slug, _label in pairs]
        self._lookup = {normalize(label): slug for slug, label in pairs}
        self._lookup.update({normalize(slug): slug for slug in self.slugs})

    def resolve(self, word: str) -> str:
        slug = self._lookup.get(normalize(word))
        if slug is None:
            raise _CellError(f"{word!r} is not one of: {', '.join(self.slugs)}")
        return slug

    def resolve_all(self, words: list[str]) -> list[str]:
        slugs, problems = set(), []
        for word in words:
            try:
                slugs.add(self.resolve(word))
            except _CellError as error:
                problems.extend(error.messages)
        if problems:
            raise _CellError(*problems)
        return sorted(slugs)


@dataclass
class _Vocabularies:
    patterns: _Vocabulary
    load_classes: _Vocabulary
    statuses: _Vocabulary
    muscles: _Vocabulary
    equipment: _Vocabulary
    muscle_ids: dict[str, int]
    equipment_ids: dict[str, int]

    @classmethod
    def load(cls) -> _Vocabularies:
        muscles = list(Muscle.objects.values_list("slug", "label", "pk"))
        equipment = list(Equipment.objects.values_list("slug", "label", "pk"))
        return cls(
            patterns=_Vocabulary(Pattern.choices),
            load_classes=_Vocabulary(LoadClass.choices),
            statuses=_Vocabulary(Status.choices),
            muscles=_Vocabulary((slug, label) for slug, label, _pk in muscles),
            equipment=_Vocabulary((slug, label) for slug, label, _pk in equipment),
            muscle_ids={slug: pk for slug, _label, pk in muscles},
            equipment_ids={slug: pk for slug, _label, pk in equipment},
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _CellError(f"must be text, not {json.dumps(value)}")
    if "\x00" in value:
        raise _CellError("contains a NUL character")
    return value


def _short(value: Any, *, required: bool = False) -> str:
    text = _one_line(_text(value))
    if required and not text:
        raise _CellError("required")
    if len(text) > MAX_TEXT_LENGTH:
        raise _CellError(f"is {len(text)} characters long; the limit is {MAX_TEXT_LENGTH}")
    return text


def _items(value: Any) -> list[str]:
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise _CellError("must be a list of text")
        items = value
    else:
        items = _text(value).split(LIST_SEPARATOR)
    return [_one_line(item) for item in items if item.strip()]


def _slug(value: Any) -> str:
    slug = _short(value)
    if slug:
        try:
            validate_slug(slug)
        except ValidationError:
            raise _CellError(
                f"{slug!r} is not a slug (letters, digits, hyphens and underscores)"
            ) from None
    return slug


def _aliases(value: Any) -> list[str]:
    aliases = clean_aliases(_items(value))
    for alias in aliases:
        if len(alias) > MAX_TEXT_LENGTH:
            raise _CellError(f"{alias[:30]!r}... is longer than {MAX_TEXT_LENGTH} characters")
        if LIST_SEPARATOR in alias:
            raise _CellError(f"{alias!r} contains {LIST_SEPARATOR!r}, which separates aliases")
    return aliases


def _choice(vocabulary: _Vocabulary, value: Any, *, default: str = "") -> str:
    word = _short(value, required=not default)
    return vocabulary.resolve(word) if word else default


def _boolean(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    word = str(value).strip().lower() if isinstance(value, str | int) else None
    if word in TRUE_WORDS:
        return True
    if word in (*FALSE_WORDS, ""):
        return False
    raise _CellError(f"{value!r} is not one of: {', '.join(TRUE_WORDS + FALSE_WORDS)}")


def _foot_contacts(value: Any) -> int:
    message = f"{value!r} is not a whole number from 0 to {MAX_FOOT_CONTACTS}"
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _CellError(message)
    try:
        number = int(value.strip()) if isinstance(value, str) else value
    except ValueError:
        raise _CellError(message) from None
    if not 0 <= number <= MAX_FOOT_CONTACTS:
        raise _CellError(message)
    return number


def _url(value: Any) -> str:
    url = _text(value).strip()
    if url:
        try:
            _validate_url(url)
        except ValidationError:
            raise _CellError(f"{url!r} is not a secure web address (https://...)") from None
        if len(url) > Exercise._meta.get_field("demo_url").max_length:
            raise _CellError("is too long")
    return url


def _required_list(vocabulary: _Vocabulary, value: Any) -> list[str]:
    slugs = vocabulary.resolve_all(_items(value))
    if not slugs:
        raise _CellError("at least one muscle is required")
    return slugs


def _parsers(vocab: _Vocabularies) -> dict[str, Callable[[Any], Any]]:
    return {
        "name": lambda v: _short(v, required=True),
        "slug": _slug,
        "aliases": _aliases,
        "pattern": lambda v: _choice(vocab.patterns, v),
        "load_class": lambda v: _choice(vocab.load_classes, v),
        "primary_muscles": lambda v: _required_list(vocab.muscles, v),
        "secondary_muscles": lambda v: vocab.muscles.resolve_all(_items(v)),
        "equipment": lambda v: vocab.equipment.resolve_all(_items(v)),
        "unilateral": _boolean,
        "foot_contacts_per_rep": _foot_contacts,
        "cues": lambda v: _clean_lines(_text(v)),
        "faults": lambda v: _clean_lines(_text(v)),
        "demo_url": _url,
        "status": lambda v: _choice(vocab.statuses, v, default=Status.PUBLISHED),
        "easier": _slug,
    }


def _clean_record(
    record: Record,
    parsers: dict[str, Callable[[Any], Any]],
    absent_columns: Iterable[str],
    errors: list[RowError],
) -> dict:
    """The row in canonical form; a column that failed is missing from the result."""
    row = record.row
    clean: dict[str, Any] = {}
    for column, parse in parsers.items():
        if column in absent_columns:
            continue
        try:
            clean[column] = parse(record.get(column))
        except _CellError as error:
            errors.extend(RowError(row, column, message) for message in error.messages)
    if None in record:
        errors.append(RowError(row, "", "has more values than the header has columns"))
    if clean.get("slug") == "" and "name" in clean:
        clean["slug"] = slugify(clean["name"])[:MAX_TEXT_LENGTH]
        if not clean["slug"]:
            errors.append(RowError(row, "slug", f"cannot be made from {clean['name']!r}; give one"))
            del clean["slug"]
    both = set(clean.get("primary_muscles", ())) & set(clean.get("secondary_muscles", ()))
    errors.extend(
        RowError(row, "secondary_muscles", f"{slug!r} is also listed as a primary muscle")
        for slug in sorted(both)
    )
    if clean.get("easier") and clean["easier"] == clean.get("slug"):
        errors.append(RowError(row, "easier", "an exercise cannot be its own easier variant"))
    return clean


def _column_errors(records: list[Record], header: list[str] | None) -> list[RowError]:
    """Unknown columns (once each, where first seen) and, for CSV, missing columns."""
    errors = []
    expected = f"the columns are: {', '.join(COLUMNS)}"
    if header is not None:
        errors.extend(
            RowError(1, name, f"unknown column; {expected}")
            for name in header
            if name not in COLUMNS
        )
        errors.extend(
            RowError(1, name, "column is missing; it is required")
            for name in REQUIRED_COLUMNS
            if name not in header
        )
        return errors
    seen: set[str] = set()
    for record in records:
        for key in record:
            if key not in COLUMNS and key not in seen:
                seen.add(key)
                errors.append(RowError(record.row, str(key), f"unknown column; {expected}"))
    return errors


# Validating the file as a whole


@dataclass
class _Existing:
    id: int
    name: str
    easier: str


def _cross_row_errors(
    rows: list[tuple[int, dict]],
    existing: dict[str, _Existing],
    untouched: set[str],
) -> list[RowError]:
    """Duplicates, name clashes, unknown easier variants and progression cycles, judged
    on the library as it would be after the import. ``untouched``: slugs that stay as
    they are in the database (kept built-in rows)."""
    errors = []
    slug_rows: dict[str, int] = {}
    name_rows: dict[str, int] = {}
    existing_names = {_one_line(e.name).lower(): slug for slug, e in existing.items()}
    for row, clean in rows:
        slug, name = clean.get("slug"), clean.get("name")
        same_name = False
        if name:
            key = name.lower()
            if key in name_rows:
                same_name = True
                errors.append(RowError(row, "name", f"{name!r} is also on row {name_rows[key]}"))
            else:
                name_rows[key] = row
            owner = existing_names.get(key)
            if slug and owner and owner != slug and slug not in untouched:
                errors.append(
                    RowError(row, "name", f"{name!r} is already the name of exercise {owner!r}")
                )
        if slug:
            if slug not in slug_rows:
                slug_rows[slug] = row
            # A slug made from a repeated name needs no second message.
            elif not (same_name and slug == slugify(name)):
                errors.append(RowError(row, "slug", f"{slug!r} is also on row {slug_rows[slug]}"))
    for row, clean in rows:
        easier = clean.get("easier")
        if easier and easier not in slug_rows and easier not in existing:
            errors.append(
                RowError(row, "easier", f"no exercise {easier!r} in this file or the library")
            )
    errors.extend(_cycle_errors(rows, existing, untouched, slug_rows))
    return errors


def _cycle_errors(
    rows: list[tuple[int, dict]],
    existing: dict[str, _Existing],
    untouched: set[str],
    slug_rows: dict[str, int],
) -> list[RowError]:
    easier = {slug: e.easier for slug, e in existing.items() if e.easier}
    for _row, clean in rows:
        if clean.get("slug") and clean["slug"] not in untouched:
            easier[clean["slug"]] = clean.get("easier", "")
    errors, done = [], set()
    for start in slug_rows:
        path: list[str] = []
        on_path: set[str] = set()  # path as a set: a 10,000-long chain stays linear
        node = start
        while node and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = easier.get(node, "")
        # A row that is its own easier variant has an error of its own.
        if node in path and path[-1] != node:
            cycle = path[path.index(node) :]
            in_file = [slug for slug in cycle if slug in slug_rows]
            if in_file:
                first = min(in_file, key=slug_rows.__getitem__)
                turn = cycle.index(first)
                loop = [*cycle[turn:], *cycle[:turn], first]
                errors.append(
                    RowError(slug_rows[first], "easier", f"progression cycle: {' → '.join(loop)}")
                )
        done.update(path)
    return sorted(errors, key=lambda error: error.row)


# Importing
