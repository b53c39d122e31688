"""Forms of the schedule's plan: assigning a block, moving and skipping sessions, 1RMs.
The run forms are in run_forms.py."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from athletes.models import AthleteGroup, AthleteProfile
from config.formfields import ModelChoiceField, ModelMultipleChoiceField
from library.models import Exercise
from programs.blocks.forms import DAYS, PlannedTimeField
from programs.models import Block
from programs.schedule.services import assignments_overlapping, block_last_day, parse_weekdays
from programs.units import unit_to_kg

WEEKDAY_CHOICES = [(str(n), label) for n, label in DAYS[1:]]


class IsoDateInput(forms.DateInput):
    """A browser date picker: its value must be ISO (2026-12-07), never the localized text
    (07/12/2026), which the picker refuses and shows as blank."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class Overlap(models.TextChoices):
    """What a new block does to one the athlete already has on the same dates."""

    REPLACE = "replace", _("Replace the rest of the current block")
    ALONGSIDE = "alongside", _("Add alongside")


class PressedField(forms.Field):
    """A submit button's name: true only when that button sent the form (value "1")."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> bool:
        return value == "1"


class AssignForm(forms.Form):
    """Which athletes get a block, from when, on which strength days; and, after "arrange
    automatically", each athlete's own days (``days-<profile id>``), kept in
    ``cleaned_data["own_days"]`` while the coach's days are still the ones they were
    arranged from (``arranged_from``).

    An athlete who already has a block with planned sessions on the new dates
    (``overlaps``) needs an explicit ``overlap`` choice before the block is assigned:
    nothing is chosen for the coach. A preview may come first; ``previewable`` says the
    form is good enough to show one."""

    athletes = ModelMultipleChoiceField(
        label=_("Athletes"),
        queryset=AthleteProfile.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    group = ModelChoiceField(
        label=_("…or all of a group"), queryset=AthleteGroup.objects.none(), required=False
    )
    start = forms.DateField(label=_("Start date"), widget=IsoDateInput)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Strength days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pick the athletes' strength days.")},
    )
    start_time = PlannedTimeField(
        help_text=_("Every session at this time; leave it empty for the block's own times.")
    )
    overlap = forms.ChoiceField(
        label=_("They already have a block on these dates"),
        choices=Overlap.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    arranged_from = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    arrange = PressedField()
    confirm = PressedField()

    def __init__(self, *args, coach, today: datetime.date, block: Block, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.block = block
        self.overlaps = []
        self.fields["athletes"].queryset = (
            AthleteProfile.objects.coached_by(coach)
            .select_related("user")
            .order_by("user__name", "user__email")
        )
        self.fields["group"].queryset = AthleteGroup.objects.filter(coach=coach)

    def clean(self):
        data = super().clean()
        chosen = list(data.get("athletes") or [])
        group = data.get("group")
        if group is not None:
            coached = self.fields["athletes"].queryset
            ids = {a.pk for a in chosen}
            chosen += [a for a in coached.filter(athlete_groups=group) if a.pk not in ids]
        if not chosen and "athletes" not in self.errors:
            self.add_error("athletes", _("Pick at least one athlete, or a group."))
        data["athletes"] = chosen
        data["own_days"] = self._own_days(chosen, data.get("weekdays"))
        start = data.get("start")
        if chosen and start is not None:
            self.overlaps = list(
                assignments_overlapping(
                    athletes=chosen,
                    first=start,
                    last=block_last_day(block=self.block, start=start),
                )
            )
        if self.overlaps and data.get("confirm") and not data.get("overlap"):
            self.add_error(
                "overlap",
                forms.ValidationError(
                    _(
                        "Choose whether this block replaces the rest of the current one or "
                        "runs alongside it."
                    ),
                    code="overlap_choice",
                ),
            )
        data["replace_current"] = bool(self.overlaps) and data.get("overlap") == Overlap.REPLACE
        return data

    @property
    def previewable(self) -> bool:
        """Valid but for the missing overlap choice: the preview helps make it."""
        return self.is_bound and not set(self.errors) - {"overlap"}

    def _own_days(self, athletes, weekdays: list[int] | None) -> dict[int, list[int]]:
        """Each athlete's arranged days, by profile id; an athlete whose field is malformed
        or names a different number of days keeps the coach's days."""
        if weekdays is None or self.cleaned_data.get("arranged_from") != ",".join(
            map(str, weekdays)
        ):
            return {}
        own = {}
        for athlete in athletes:
            try:
                days = parse_weekdays(self.data.get(f"days-{athlete.pk}", ""))
            except ValidationError:
                continue
            if len(days) == len(weekdays):
                own[athlete.pk] = days
        return own

    def clean_start(self) -> datetime.date:
        start = self.cleaned_data["start"]
        if start < self.today - datetime.timedelta(days=28):
            raise forms.ValidationError(
                _("Start within the last four weeks or later."), code="start_too_early"
            )
        if start > self.today + datetime.timedelta(days=730):
            raise forms.ValidationError(_("Start within two years."), code="start_too_late")
        return start


class DateForm(forms.Form):
    date = forms.DateField(label=_("New date"), widget=IsoDateInput)


class SessionMoveForm(DateForm):
    """A strength session's new date, and optionally its time (empty keeps the time it has:
    dragging it to another day sends only the date)."""

    start_time = PlannedTimeField(label=_("New time"))


class SkipForm(forms.Form):
    reason = forms.CharField(
        label=_("Why skip it?"),
        max_length=200,
        error_messages={"required": _("Say why, so your coach knows.")},
    )


class OneRepMaxForm(forms.Form):
    """A 1RM typed in the reader's unit; stored in kg."""

    exercise = ModelChoiceField(label=_("Exercise"), queryset=Exercise.objects.none())
    value = forms.DecimalField(label=_("1RM"), min_value=Decimal("0.5"), decimal_places=2)
    tested_on = forms.DateField(label=_("Tested on"), required=False, widget=IsoDateInput)

    def __init__(self, *args, unit: str, exercises, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["exercise"].queryset = exercises
        self.fields["value"].label = _("1RM (%(unit)s)") % {"unit": unit}

    def clean(self):
        data = super().clean()
        value = data.get("value")
        if value is not None:
            kg = unit_to_kg(value, self.unit)
            if kg > 500:
                # Not rounded: 1e309 has no two-decimal form (quantize would raise).
                self.add_error("value", _("A 1RM is at most 500 kg (1102 lb)."))
            else:
                data["kg"] = kg.quantize(Decimal("0.01"))
        return data
