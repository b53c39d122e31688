"""The block builder's template tags."""

from collections.abc import Iterable

from django import forms, template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

CHECKBOX = (
    '<label class="form-check-inline small"><input type="checkbox" name="weeks" value="{}" '
    'id="{}-{}" class="form-check-input"{}> {}</label>'
)


@register.simple_tag
def week_checkboxes(id_prefix: str, numbers: Iterable[int], form: forms.Form | None) -> SafeString:
    """A "weeks" checkbox for each week number, ticked as the refused ``form`` had it.
    The week editor shows one list per session and one for the week, each as long as the
    block; drawn here rather than in a template loop of five lookups a checkbox (issue
    #17)."""
    ticked = set(getattr(form, "cleaned_data", {}).get("weeks", ()))
    checked = mark_safe(" checked")
    return format_html_join(
        "",
        CHECKBOX,
        ((n, id_prefix, n, checked if n in ticked else "", n) for n in numbers),
    )
