"""Choice fields for database rows that answer an id past the column's range (``2**64``,
twenty nines) as they answer any unknown id, "not a valid choice", instead of letting the
database driver overflow. Use them, or ``is_valid_id``, wherever an id comes from a form,
a query string or a posted list."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Field

# Every integer key here fits PostgreSQL's bigint; SQLite's integers are the same 64 bits.
BIGINT_RANGE = (-(2**63), 2**63 - 1)


def _key_range(field: Field) -> tuple[int, int] | None:
    """The (low, high) of an integer column, or None for any other kind."""
    internal = (field.target_field if field.is_relation else field).get_internal_type()
    if internal not in connection.ops.integer_field_ranges:
        return None
    low, high = connection.ops.integer_field_range(internal)
    return (
        BIGINT_RANGE[0] if low is None else low,
        BIGINT_RANGE[1] if high is None else high,
    )


def is_valid_id(value: Any, *, bounds: tuple[int, int] = BIGINT_RANGE) -> bool:
    """Whether ``value`` (text from a request, or a number) is a whole number in ``bounds``:
    ASCII digits only, so that "²" or Arabic-Indic digits are not ids either."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        digits = text.removeprefix("-")
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 20:
            return False
        number = int(text)
    return bounds[0] <= number <= bounds[1]


def valid_ids(values: list[Any]) -> list[int]:
    """The values that are ids, as numbers; the others are dropped."""
    return [int(str(value).strip()) for value in values if is_valid_id(value)]


class _InRange:
    """A mixin for model choice fields: a key out of its column's range is no choice."""

    queryset: Any
    to_field_name: str | None
    error_messages: dict

    def _in_range(self, value: Any) -> bool:
        meta = self.queryset.model._meta
        field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        bounds = _key_range(field)
        if bounds is None or value in (None, ""):
            return True
        text = str(value).strip()
        digits = text.removeprefix("-")
        if not (digits.isascii() and digits.isdigit()):
            return True  # not a number at all: the field's own lookup says so
        return is_valid_id(text, bounds=bounds)


class ModelChoiceField(_InRange, forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not self._in_range(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class ModelMultipleChoiceField(_InRange, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value if isinstance(value, list | tuple | set | frozenset) else []:
            if not self._in_range(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)
