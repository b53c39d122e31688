"""The built-in block templates, loaded with the exercise library.

Each file in ``programs/data/templates/`` is one block in the canonical shape of
``blockdata.block_to_dict``, every key written out; its name without ``.json`` is the
block's ``builtin_key``. ``load_builtin_templates`` (``manage.py load_templates``, after
``load_library``) makes the database match the files: a new file is created, an unchanged
one left alone, a changed one replaced. Built-in templates have no owner, are templates
and are shared, so every coach can copy them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction

from programs.blocks.data import block_to_dict, block_write
from programs.blocks.files import BlockFileError, read_block_file, validate_block
from programs.models import Block

if TYPE_CHECKING:
    from athletes.models import User

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "data" / "templates"
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_MAX_LENGTH = Block._meta.get_field("builtin_key").max_length


# The demo coach's own blocks: (template key, block name).
DEMO_BLOCKS = (
    ("runner-strength-12-weeks", "Spring marathon block"),
    ("in-season-maintenance", "In-season maintenance"),
)


class TemplateFileError(Exception):
    """A template file cannot be loaded; str() names the file and the place in it."""


class TemplateFile:
    def __init__(self, path: Path, data: dict[str, Any], exercises: dict[str, int]) -> None:
        self.key = path.stem
        self.filename = path.name
        self.data = data
        self.exercises = exercises

    @property
    def name(self) -> str:
        return self.data["name"]


def read_template_files() -> list[TemplateFile]:
    """Every template file, read and validated exactly as an imported block file is
    (programs.blocks.files), exercises included. Raises TemplateFileError naming the file and
    the path of every problem."""
    paths = sorted(TEMPLATES_DIR.glob("*.json"))
    if not paths:
        raise TemplateFileError(f"No template files (*.json) in {TEMPLATES_DIR}.")
    templates = []
    for path in paths:
        if not KEY_PATTERN.match(path.stem) or len(path.stem) > KEY_MAX_LENGTH:
            raise TemplateFileError(
                f"{path.name}: the file name (without .json) is the template's key; use "
                f"lowercase letters, digits and hyphens, at most {KEY_MAX_LENGTH} characters."
            )
        try:
            data = read_block_file(path.read_bytes())
        except OSError as error:
            raise TemplateFileError(f"{path.name}: cannot read it: {error.strerror}.") from None
        except BlockFileError as error:
            raise TemplateFileError(f"{path.name}: {error}") from None
        clean, errors, exercises = validate_block(data)
        if errors:
            hint = " (load the library first: manage.py load_library)"
            raise TemplateFileError(
                "\n".join(f"{path.name}: {error}" for error in errors)
                + (hint if any(e.path.endswith(".exercise") for e in errors) else "")
            )
        templates.append(TemplateFile(path, clean, exercises))
    return templates


def _up_to_date(block: Block, template: TemplateFile) -> bool:
    return (
        block.owner_id is None
        and block.is_template
        and block.is_shared
        and block_to_dict(block) == template.data
    )


def load_builtin_templates(*, force: bool = False) -> list[str]:
    """Create or replace the built-in templates so they match their files, in one
    transaction; ``force`` rewrites unchanged ones too. Returns a line per change.

    A replaced template's copies (coaches' blocks made from it) are independent blocks;
    they are kept and pointed at the new version.
    """
    templates = read_template_files()
    lines = []
    with transaction.atomic():
        existing = {
            block.builtin_key: block
            for block in Block.objects.with_structure().filter(
                builtin_key__in=[t.key for t in templates]
            )
        }
        for template in templates:
            old = existing.get(template.key)
            if old is not None and not force and _up_to_date(old, template):
                continue
            copies: list[int] = []
            if old is not None:
                copies = list(old.copies.values_list("pk", flat=True))
                old.delete()
            new = block_write(
                data=template.data,
                exercises=template.exercises,
                owner=None,
                is_template=True,
                is_shared=True,
                builtin_key=template.key,
            )
            if copies:
                Block.objects.filter(pk__in=copies).update(created_from=new)
            lines.append(_change_line(template, old=old, force=force, copies=len(copies)))
    return lines


def _change_line(template: TemplateFile, *, old: Block | None, force: bool, copies: int) -> str:
    what = f'{template.key} "{template.name}"'
    if old is None:
        return f"created {what}"
    line = f"rewrote {what} (--force)" if force else f"replaced {what}: the file changed"
    if copies:
        line += f"; {copies} cop{'y' if copies == 1 else 'ies'} made from it kept"
    return line


def demo_blocks(coach: User) -> list[Block]:
    """The demo coach's own blocks, made from built-in templates (loading them if they
    are missing). Idempotent: a block the coach already has by that name is kept as is."""
    keys = [key for key, _name in DEMO_BLOCKS]
    with transaction.atomic():
        templates = _builtin_blocks(keys)
        if len(templates) < len(keys):
            load_builtin_templates()
            templates = _builtin_blocks(keys)
        blocks = []
        for key, name in DEMO_BLOCKS:
            block = Block.objects.filter(owner=coach, name__iexact=name).first()
            if block is None:
                template = templates[key]
                block = block_write(
                    data=block_to_dict(template),
                    exercises={
                        p.exercise.slug: p.exercise_id
                        for week in template.weeks.all()
                        for session in week.sessions.all()
                        for p in session.prescriptions.all()
                    },
                    owner=coach,
                    name=name,
                    created_from=template,
                )
            blocks.append(block)
    return blocks


def _builtin_blocks(keys: list[str]) -> dict[str, Block]:
    blocks = Block.objects.with_structure().filter(builtin_key__in=keys)
    return {block.builtin_key: block for block in blocks}
