"""Reading a block file: limits, error types, parsing (duplicate keys, NaN and the
format marker refused)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from config.textfiles import check_json_value, decode_text_file
from programs.blocks.data import FORMAT, VERSION
from programs.models import Block

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_WEEKS = 52
# Bounds on work, not rules of training: a week of two sessions a day, a long circuit.
MAX_SETS = 20
# Different exercises in one file: all are looked up in one query, whose parameters SQLite
# limits to 32,766.
MAX_EXERCISES = 1_000
# Column limits: PositiveSmallIntegerField and PositiveIntegerField on every backend.
SMALL_MAX = 32_767
INTEGER_MAX = 2_147_483_647
# block → weeks → week → sessions → session → prescriptions → prescription is seven
# levels; a few more let a wrong value (a list for a number) get its own error.
MAX_JSON_DEPTH = 10

BLOCK_KEYS = ("format", "version", "name", "goal", "notes", "deload_every", "deload_fraction")
WEEK_KEYS = ("number", "phase", "notes", "sessions")
SESSION_KEYS = ("day", "label", "title", "time", "prescriptions")


def _max_length(model: type, name: str) -> int:
    return model._meta.get_field(name).max_length


class BlockFileError(Exception):
    """The whole file is unusable (size, encoding, syntax, format marker); str() is the
    message."""


@dataclass
class PathError:
    """One problem at one place in the file: ``weeks[3].sessions[1].reps_min: ...``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass
class ImportResult:
    block: Block | None
    errors: list[PathError] = field(default_factory=list)
    # The name the block got (or would get, on a dry run) and the one the file asked for;
    # they differ when the owner already has a block of that name.
    name: str = ""
    requested_name: str = ""
    weeks: int = 0
    sessions: int = 0
    prescriptions: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def renamed(self) -> bool:
        return self.ok and self.name != self.requested_name

    @property
    def notice(self) -> str:
        """What the coach should know beyond the summary: a name made unique."""
        if not self.renamed:
            return ""
        return (
            f"You already have a block named {self.requested_name!r}; "
            f"{'it would be imported' if self.dry_run else 'imported it'} as {self.name!r}."
        )

    def summary(self) -> str:
        if self.errors:
            count = len(self.errors)
            return f"{count} error{'s' if count != 1 else ''}: nothing was written"
        counts = ", ".join(
            _plural(n, word)
            for n, word in (
                (self.weeks, "week"),
                (self.sessions, "session"),
                (self.prescriptions, "prescription"),
            )
        )
        if self.dry_run:
            return f"{self.name!r} is valid: {counts} (dry run: nothing was written)"
        return f"Imported {self.name!r} (id {self.block.pk}): {counts}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# Reading


class _DuplicateKeyError(Exception):
    pass


class _ConstantError(Exception):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _refuse_constant(name: str) -> None:
    raise _ConstantError(name)


def read_block_file(data: bytes) -> dict:
    """The file's block as parsed JSON, its format marker and version checked.

    Raises BlockFileError when the file as a whole cannot be read."""
    text = decode_text_file(data, max_bytes=MAX_FILE_BYTES, error=BlockFileError)
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise BlockFileError(
            f"Malformed JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    except _DuplicateKeyError as error:
        raise BlockFileError(
            f"Malformed JSON: the key {error.args[0]!r} appears twice in one object."
        ) from None
    except _ConstantError as error:
        raise BlockFileError(
            f"Malformed JSON: {error.args[0]} is not a number JSON allows."
        ) from None
    except RecursionError:
        raise BlockFileError("Malformed JSON: nested too deeply.") from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise BlockFileError(f"Malformed JSON: {error}.") from None
    check_json_value(value, max_depth=MAX_JSON_DEPTH, error=BlockFileError)
    if not isinstance(value, dict):
        raise BlockFileError(
            f'A block file holds one object, {{"format": "{FORMAT}", ...}}, not '
            f"{_show(value)}. (Exercise library files are imported with import_library.)"
        )
    if value.get("format") != FORMAT:
        found = "no format" if "format" not in value else f"format {_show(value['format'])}"
        raise BlockFileError(
            f'This is not a RunStrong block file: it has {found}, not "format": "{FORMAT}".'
        )
    version = value.get("version")
    whole = isinstance(version, int) and not isinstance(version, bool)
    if whole and version > VERSION:
        raise BlockFileError(
            f"The file is format version {version}, written by a newer RunStrong; this one "
            f"reads version {VERSION}."
        )
    if not whole or version != VERSION:
        found = "no version" if "version" not in value else f"version {_show(version)}"
        raise BlockFileError(f'The file has {found}; a block file says "version": {VERSION}.')
    return value


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else f"{text[:39]}…"
