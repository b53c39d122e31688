"""Validating a block file: every problem, at its path, before anything is written. The
structure (objects, keys, lists and their limits, week numbers, dose and load rules, the
exercises named) is checked here; each value by its parser in ``fields``."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from library.models import Exercise, Status
from programs.blocks.data import FORMAT, PRESCRIPTION_KEYS, VERSION, json_number
from programs.blocks.files.fields import (
    _BLOCK_FIELDS,
    _LOAD_RANGES,
    _PRESCRIPTION_FIELDS,
    _REQUIRED,
    _SESSION_FIELDS,
    _WEEK_FIELDS,
    Parser,
    _InvalidError,
    _whole,
)
from programs.blocks.files.reading import (
    BLOCK_KEYS,
    MAX_EXERCISES,
    MAX_WEEKS,
    SESSION_KEYS,
    WEEK_KEYS,
    PathError,
    _show,
)
from programs.models import MAX_PRESCRIPTIONS_PER_SESSION, MAX_SESSIONS_PER_WEEK, LoadType


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


@dataclass
class _ExerciseRef:
    path: str
    slug: str


class _Checker:
    def __init__(self) -> None:
        # Errors in the order of the file; exercise references wait for the one query.
        self.items: list[PathError | _ExerciseRef] = []

    def error(self, path: str, message: str) -> None:
        self.items.append(PathError(path, message))

    def object(self, value: Any, path: str, keys: tuple[str, ...]) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, f"must be an object {{...}}, not {_show(value)}")
            return None
        for key in value:
            if key not in keys:
                close = difflib.get_close_matches(key, keys, n=1)
                hint = (
                    f"; did you mean {close[0]!r}?"
                    if close
                    else f"; the keys are: {', '.join(keys)}"
                )
                self.error(_join(path, key), f"unknown key{hint}")
        return value

    def fields(
        self, data: dict, path: str, spec: dict[str, tuple[Parser, Any]]
    ) -> tuple[dict[str, Any], set[str]]:
        """The values of ``spec``'s keys, defaults for missing ones, and the keys that
        failed (their value is None in the result)."""
        clean: dict[str, Any] = {}
        bad: set[str] = set()
        for key, (parse, default) in spec.items():
            if key not in data:
                if default is _REQUIRED:
                    self.error(_join(path, key), "required")
                    bad.add(key)
                clean[key] = None if default is _REQUIRED else default
                continue
            try:
                clean[key] = parse(data[key])
            except _InvalidError as error:
                self.error(_join(path, key), str(error))
                clean[key] = None
                bad.add(key)
        return clean, bad

    def items_of(self, data: dict, path: str, key: str, limit: int, noun: str) -> list:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.error(_join(path, key), f"must be a list [...], not {_show(value)}")
            return []
        if len(value) > limit:
            self.error(_join(path, key), f"has {len(value)} {noun}; the limit is {limit}")
            # The rest is not read: its errors would only repeat the limit, at length.
            return value[:limit]
        return value

    # The levels of a block

    def block(self, data: Any) -> dict[str, Any]:
        result: dict[str, Any] = {"format": FORMAT, "version": VERSION}
        if self.object(data, "", (*BLOCK_KEYS, "weeks")) is None:
            return {**result, "name": "", "weeks": []}
        if "format" in data and data["format"] != FORMAT:
            self.error("format", f'must be "{FORMAT}", not {_show(data["format"])}')
        version = data.get("version", VERSION)
        if isinstance(version, bool) or version != VERSION:
            self.error("version", f"must be {VERSION}, not {_show(data['version'])}")
        clean, _bad = self.fields(data, "", _BLOCK_FIELDS)
        clean["deload_fraction"] = json_number(clean["deload_fraction"])
        if "weeks" not in data:
            self.error("weeks", "required")
        weeks = self.items_of(data, "", "weeks", MAX_WEEKS, "weeks")
        seen: dict[int, int] = {}
        clean["weeks"] = [
            week
            for index, item in enumerate(weeks)
            if (week := self.week(item, index, seen)) is not None
        ]
        return result | clean

    def week(self, data: Any, index: int, seen: dict[int, int]) -> dict[str, Any] | None:
        path = _join("weeks", index)
        if self.object(data, path, WEEK_KEYS) is None:
            return None
        number = index + 1
        if "number" in data:
            try:
                number = _whole(1, MAX_WEEKS)(data["number"])
            except _InvalidError as error:
                self.error(_join(path, "number"), str(error))
            else:
                if number in seen:
                    self.error(
                        _join(path, "number"),
                        f"week {number} is already weeks[{seen[number]}]",
                    )
                elif number != index + 1 and index < MAX_WEEKS:
                    self.error(
                        _join(path, "number"),
                        f"must be {index + 1}: weeks are numbered 1, 2, 3… in order",
                    )
        seen.setdefault(number, index)
        clean, _bad = self.fields(data, path, _WEEK_FIELDS)
        sessions = self.items_of(data, path, "sessions", MAX_SESSIONS_PER_WEEK, "sessions")
        return {
            "number": number,
            **clean,
            "sessions": [
                session
                for order, item in enumerate(sessions)
                if (session := self.session(item, _join(_join(path, "sessions"), order)))
                is not None
            ],
        }

    def session(self, data: Any, path: str) -> dict[str, Any] | None:
        if self.object(data, path, SESSION_KEYS) is None:
            return None
        clean, _bad = self.fields(data, path, _SESSION_FIELDS)
        # The canonical shape has a time only when the session has one, as export writes it.
        if clean["time"] is None:
            del clean["time"]
        items = self.items_of(
            data, path, "prescriptions", MAX_PRESCRIPTIONS_PER_SESSION, "prescriptions"
        )
        clean["prescriptions"] = [
            p
            for order, item in enumerate(items)
            if (p := self.prescription(item, _join(_join(path, "prescriptions"), order)))
            is not None
        ]
        return clean

    def prescription(self, data: Any, path: str) -> dict[str, Any] | None:
        if self.object(data, path, PRESCRIPTION_KEYS) is None:
            return None
        p, bad = self.fields(data, path, _PRESCRIPTION_FIELDS)
        if "exercise" not in bad:
            self.items.append(_ExerciseRef(_join(path, "exercise"), p["exercise"]))
        self.dose(p, bad, path)
        self.load(p, bad, path)
        p["load_value"] = json_number(p["load_value"])
        p["load_step"] = json_number(p["load_step"])
        return p

    def dose(self, p: dict[str, Any], bad: set[str], path: str) -> None:
        # The builder's rule: 0 seconds or metres is no dose (the database takes it).
        if not bad & {"reps_min", "duration_s", "distance_m"} and not (
            p["reps_min"] is not None or p["duration_s"] or p["distance_m"]
        ):
            self.error(path, "needs a dose: reps_min, duration_s or distance_m")
        reps_min = None if "reps_min" in bad else p["reps_min"]
        if p["reps_max"] is not None and "reps_min" not in bad:
            if reps_min is None:
                self.error(
                    _join(path, "reps_max"), "is the top of a range of reps: give reps_min too"
                )
            elif p["reps_max"] < reps_min:
                self.error(_join(path, "reps_max"), f"must be at least reps_min ({reps_min})")
        # A cap without reps_min is allowed, as the database allows it: double progression
        # ignores it.
        if p["reps_cap"] is not None and reps_min is not None and p["reps_cap"] < reps_min:
            self.error(_join(path, "reps_cap"), f"must be at least reps_min ({reps_min})")

    def load(self, p: dict[str, Any], bad: set[str], path: str) -> None:
        if {"load_type", "load_value"} & bad:
            return
        load_type, value = p["load_type"], p["load_value"]
        where = _join(path, "load_value")
        if load_type == LoadType.BODYWEIGHT:
            if value is not None:
                self.error(
                    where,
                    "must be null for a bodyweight load (or set load_type: kg, pct_1rm, "
                    "rpe or rir)",
                )
            return
        if value is None:
            self.error(where, f"is required for load_type {load_type!r}")
            return
        low, high, low_allowed, message = _LOAD_RANGES[LoadType(load_type)]
        if value > high or value < low or (value == low and not low_allowed):
            self.error(where, f"{message}, not {_show(json_number(value))}")

    def resolve_exercises(self, user) -> tuple[list[PathError], dict[str, int]]:
        """Every reference looked up in one query; the errors in file order."""
        slugs = {item.slug for item in self.items if isinstance(item, _ExerciseRef)}
        if len(slugs) > MAX_EXERCISES:
            errors = [item for item in self.items if isinstance(item, PathError)]
            message = f"name {len(slugs):,} different exercises; the limit is {MAX_EXERCISES:,}"
            return [*errors, PathError("weeks", message)], {}
        rows = Exercise.objects.filter(slug__in=slugs).values_list(
            "slug", "pk", "status", "proposed_by_id", "merged_into__slug"
        )
        problems: dict[str, str] = {}
        exercises: dict[str, int] = {}
        for slug, pk, status, proposer, replacement in rows:
            if status == Status.PUBLISHED:
                exercises[slug] = pk
            elif status == Status.RETIRED:
                instead = f", {replacement!r}" if replacement else ""
                problems[slug] = f"{slug!r} is retired; choose its replacement{instead}"
            elif user is None:
                problems[slug] = f"{slug!r} is a draft; only published exercises can be used"
            elif proposer == user.pk:
                exercises[slug] = pk
            # Another coach's draft is as good as absent: it says the same as no exercise.
        errors = []
        for item in self.items:
            if isinstance(item, PathError):
                errors.append(item)
            elif item.slug not in exercises:
                message = problems.get(item.slug, f"no exercise {item.slug!r} in the library")
                errors.append(PathError(item.path, message))
        return errors, exercises


def validate_block(
    data: dict, *, user=None
) -> tuple[dict[str, Any], list[PathError], dict[str, int]]:
    """The block in the canonical shape of ``block_to_dict`` (missing keys filled with
    their defaults), every error with its path, and each usable exercise slug's id.

    Exercises must be published, or drafts proposed by ``user`` (none when ``user`` is
    None). The data is only fit for ``block_write`` when the errors are empty.
    """
    checker = _Checker()
    clean = checker.block(data)
    errors, exercises = checker.resolve_exercises(user)
    return clean, errors, exercises
