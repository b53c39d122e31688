"""CSV cells that a spreadsheet opens as text, never as a formula (OWASP "CSV injection").

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading ``'``, which spreadsheets read as "this is text" and do not show; so do cells that
already start with quotes before such a character, so that reading a cell back
(``unguard_cell``) gives exactly what was written. Numbers (``-5``, ``+1.5``) stay numbers.
Our importers unguard every cell, so an export read back is unchanged."""

import re
from collections.abc import Iterable
from typing import Any

_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_GUARDED = re.compile(r"'+[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def guard_cell(value: Any) -> Any:
    """``value`` as a spreadsheet should show it: text that could start a formula is
    prefixed with ``'``; anything else (numbers, dates, plain text) is left as it is."""
    if isinstance(value, str) and _FORMULA.match(value) and not _NUMBER.fullmatch(value):
        return f"'{value}"
    return value


def guard_row(values: Iterable[Any]) -> list[Any]:
    return [guard_cell(value) for value in values]


def unguard_cell(text: str) -> str:
    """The cell as it was before ``guard_cell``."""
    return text[1:] if _GUARDED.match(text) else text
