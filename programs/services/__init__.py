"""Write workflows of blocks: keyword-only, atomic, raising ``ValidationError`` with a
stable code. Split by subject: whole blocks, and the builder's edits inside one."""

from programs.services.assignments import (
    assignment_create,
    assignment_push,
    one_rep_max_set,
    scheduled_session_move,
    scheduled_session_skip,
    scheduled_session_unskip,
)
from programs.services.blocks import (
    block_apply_progression,
    block_copy,
    block_create,
    block_free_name,
)
from programs.services.comments import session_comment_add
from programs.services.editing import (
    prescription_add,
    prescription_delete,
    prescription_move,
    prescription_restore,
    prescription_update,
    session_add,
    session_copy,
    session_delete,
    session_update,
    week_copy,
    week_update,
)

__all__ = [
    "assignment_create",
    "assignment_push",
    "block_apply_progression",
    "block_copy",
    "block_create",
    "block_free_name",
    "one_rep_max_set",
    "prescription_add",
    "prescription_delete",
    "prescription_move",
    "prescription_restore",
    "prescription_update",
    "scheduled_session_move",
    "scheduled_session_skip",
    "scheduled_session_unskip",
    "session_add",
    "session_comment_add",
    "session_copy",
    "session_delete",
    "session_update",
    "week_copy",
    "week_update",
]
