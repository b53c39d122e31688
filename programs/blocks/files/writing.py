"""Importing a valid block file in one transaction, and exporting a block."""

from __future__ import annotations

import json

from django.db import transaction

from programs.blocks.data import block_to_dict, block_write
from programs.blocks.files.fields import _NAME, _InvalidError
from programs.blocks.files.reading import ImportResult, PathError, read_block_file
from programs.blocks.files.validation import validate_block
from programs.blocks.services import block_free_name
from programs.models import Block

# Writing


def block_import(
    *, data: bytes, owner, dry_run: bool = False, name: str | None = None
) -> ImportResult:
    """Create a block for ``owner`` from a block file, in one transaction: all or nothing.

    Raises BlockFileError when the file cannot be read at all; every other problem comes
    back in ``result.errors`` and nothing is written. ``name`` replaces the file's name.
    A name the owner already uses gets " (2)", " (3)"... (``result.notice`` says so).
    """
    raw = read_block_file(data)
    with transaction.atomic():
        clean, errors, exercises = validate_block(raw, user=owner)
        if name is not None:
            errors = [error for error in errors if error.path != "name"]
            try:
                clean["name"] = _NAME(name)
            except _InvalidError as error:
                problem = "is empty" if str(error) == "required" else str(error)
                errors.insert(0, PathError("name", f"the new name {problem}"))
        sessions = [s for week in clean["weeks"] for s in week["sessions"]]
        result = ImportResult(
            block=None,
            errors=errors,
            requested_name=clean["name"] or "",
            weeks=len(clean["weeks"]),
            sessions=len(sessions),
            prescriptions=sum(len(s["prescriptions"]) for s in sessions),
            dry_run=dry_run,
        )
        if errors:
            return result
        result.name = block_free_name(owner, clean["name"])
        if not dry_run:
            result.block = block_write(
                data=clean, exercises=exercises, owner=owner, name=result.name
            )
    return result


def block_export(block: Block) -> str:
    """The block file of ``block``, fetched with ``Block.objects.with_structure()``."""
    return json.dumps(block_to_dict(block), indent=2, ensure_ascii=False) + "\n"
