"""The season planner's forms: what to plan (one athlete, or a group), and the coach's edits
to a draft season. They check the input's shape; whether an edit fits the plan is the
draft service's to say (programs.seasons.edits)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs.seasons.edits import MAX_REPS, MAX_SETS
from programs.seasons.model import MOST_WEEKS

WEEKDAY_CHOICES = [
    (str(n), label)
    for n, label in enumerate(
        [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")], start=1
    )
]
LATEST_START_DAYS = 730
# A planned session's id: "plan-YYYYMMDD".
SESSION_ID_LENGTH = 20
MOST_EXERCISES = 50


class SeasonForm(forms.Form):
    """One athlete's season (or each of a group's): from ``start`` to ``end`` (empty: the
    last A race), 2 or 3 sessions a week, on the preferred days (ISO weekdays, 1 = Monday;
    none: the planner's defaults)."""

    start = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("End date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave it empty to plan to the last A race."),
    )
    sessions_per_week = forms.TypedChoiceField(
        label=_("Sessions a week"),
        choices=[("2", "2"), ("3", "3")],
        coerce=int,
        initial="2",
        widget=forms.RadioSelect,
        help_text=_("In foundation and strength weeks; in season 1 or 2."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Preferred strength days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional: the planner moves a session off them around key runs."),
    )
    replace_future = forms.BooleanField(
        label=_("Replace future unlogged sessions"),
        required=False,
        help_text=_("Off: every session already on the calendar is kept and planned around."),
    )

    def __init__(self, *args, today: datetime.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_start(self) -> datetime.date:
        start = self.cleaned_data["start"]
        if start < self.today:
            raise ValidationError(_("Start today or later."), code="in_the_past")
        if start > self.today + datetime.timedelta(days=LATEST_START_DAYS):
            raise ValidationError(_("Start within two years."), code="start_too_late")
        return start

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end date can't be before the start date."))
            elif (end - start).days > MOST_WEEKS * 7:
                self.add_error(
                    "end", _("Plan at most %(weeks)s weeks at a time.") % {"weeks": MOST_WEEKS}
                )
        return data

    @property
    def planner_weekdays(self) -> list[int]:
        """The preferred days as the planner counts them: 0 = Monday."""
        return sorted({d - 1 for d in self.cleaned_data.get("weekdays") or []})

    def add_plan_errors(self, error: ValidationError) -> None:
        """The planner's refusal, by its field names, on this form's fields (the rest,
        such as the coach's thresholds, above the form)."""
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)


class GroupSeasonForm(SeasonForm):
    apply = forms.BooleanField(
        label=_("Apply each season to the athlete's calendar"),
        required=False,
        help_text=_("Off: plan only, and report what each season would be."),
    )


class SessionForm(forms.Form):
    """Which planned session of the draft an edit is about."""

    session = forms.CharField(max_length=SESSION_ID_LENGTH)


class MoveForm(SessionForm):
    date = forms.DateField(label=_("Move to"))


class DoseForm(SessionForm):
    exercise = forms.IntegerField(min_value=0, max_value=MOST_EXERCISES)
    sets = forms.IntegerField(label=_("Sets"), min_value=1, max_value=MAX_SETS)
    reps_min = forms.IntegerField(label=_("Reps"), min_value=1, max_value=MAX_REPS, required=False)
    reps_max = forms.IntegerField(label=_("to"), min_value=1, max_value=MAX_REPS, required=False)

    def clean(self):
        data = super().clean()
        low, high = data.get("reps_min"), data.get("reps_max")
        if high is not None and (low is None or high < low):
            self.add_error("reps_max", _("The most reps are at least the fewest."))
        return data
