"""Forms for runs: distances typed in the user's unit and durations as a runner writes
them; ``RunForm.run_data()`` hands the workflows metres and seconds."""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs import units
from programs.models import RacePriority, Run, RunStatus, RunType
from programs.schedule import runs

# The quick-add buttons: the common types first, the rest behind "More types".
QUICK_TYPES = (
    RunType.EASY,
    RunType.LONG,
    RunType.TEMPO,
    RunType.INTERVALS,
    RunType.RACE,
    RunType.REST,
)
SHORT_LABELS = {RunType.LONG: _("Long"), RunType.CROSS_TRAINING: _("Cross")}

DATE_RANGE_DAYS = 2 * 366
MINUTES = re.compile(r"^\d{1,5}(?:[.,]\d+)?$")
CLOCK = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$")


class DistanceField(forms.Field):
    """A distance in ``unit`` (km or mi), from 0 to 1000 km; cleans to a ``Decimal``."""

    def __init__(self, *, unit: str, **kwargs):
        self.unit = unit
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "decimal",
                    "autocomplete": "off",
                    "class": "form-control",
                }
            ),
        )
        super().__init__(**kwargs)

    @property
    def limit(self) -> Decimal:
        return units.from_metres(runs.MAX_DISTANCE_M, self.unit)

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, Decimal):
            return value
        text = str(value or "").strip().replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                _("Enter the distance as a number, like 10 or 10.5."), code="invalid"
            ) from None
        if not number.is_finite():
            raise ValidationError(
                _("Enter the distance as a number, like 10 or 10.5."), code="invalid"
            )
        if number.adjusted() > 6:
            # Far past the limit, and too big to turn into metres: say the range.
            raise ValidationError(
                _("Enter a distance from 0 to %(limit)s %(unit)s."),
                code="out_of_range",
                params={"limit": self.limit, "unit": self.unit},
            )
        return number

    def validate(self, value: Decimal | None) -> None:
        super().validate(value)
        if value is not None and (
            value < 0 or units.to_metres(value, self.unit) > runs.MAX_DISTANCE_M
        ):
            raise ValidationError(
                _("Enter a distance from 0 to %(limit)s %(unit)s."),
                code="out_of_range",
                params={"limit": self.limit, "unit": self.unit},
            )


class DurationField(forms.Field):
    """Minutes (45) or hours and minutes (1:30, or 1:30:15); cleans to seconds."""

    widget = forms.TextInput(attrs={"autocomplete": "off", "placeholder": "45 or 1:30"})
    default_error_messages = {
        "invalid": _("Enter minutes (45) or hours and minutes (1:30)."),
        "too_long": _("A run lasts at most a week."),
    }

    def prepare_value(self, value: Any) -> Any:
        return (
            units.format_duration(value).removesuffix(" min") if isinstance(value, int) else value
        )

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, int):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        if MINUTES.match(text):
            seconds = int((Decimal(text.replace(",", ".")) * 60).to_integral_value())
        elif match := CLOCK.match(text):
            hours, minutes, secs = match.groups()
            seconds = int(hours) * 3600 + int(minutes) * 60 + int(secs or 0)
        else:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if seconds > runs.MAX_DURATION_S:
            raise ValidationError(self.error_messages["too_long"], code="too_long")
        return seconds


class ScheduleDateField(forms.DateField):
    """A date on the schedule: within two years of the athlete's today."""

    widget = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")

    def __init__(self, *, today: datetime.date, **kwargs):
        self.today = today
        super().__init__(**kwargs)

    def validate(self, value: datetime.date | None) -> None:
        super().validate(value)
        if value is not None and abs((value - self.today).days) > DATE_RANGE_DAYS:
            raise ValidationError(_("Pick a date within two years of today."), code="out_of_range")


class RunForm(forms.Form):
    """Add or edit a run. The quick add posts only type, distance and date; everything
    else is optional, so both go through this one form."""

    date = forms.DateField()  # replaced in __init__: it needs the athlete's today
    run_type = forms.ChoiceField(label=_("Type"), choices=RunType.choices)
    distance = forms.Field()  # replaced in __init__: it needs the user's unit
    duration = DurationField(
        label=_("Duration"), required=False, help_text=_("Minutes (45) or hours:minutes (1:30).")
    )
    start_time = forms.TimeField(
        label=_("Start time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    race_priority = forms.ChoiceField(
        label=_("Race priority"),
        required=False,
        choices=[("", _("Not a race")), *RacePriority.choices],
        help_text=_("Races only."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=RunStatus.choices)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args, unit: str, today: datetime.date, run: Run | None = None, **kwargs
    ) -> None:
        self.run = run
        if run is not None:
            kwargs["initial"] = {
                "date": run.date,
                "run_type": run.run_type,
                "distance": None
                if run.distance_m is None
                else units.from_metres(run.distance_m, unit),
                "duration": run.duration_s,
                "start_time": run.start_time,
                "title": run.title,
                "race_priority": run.race_priority,
                "status": run.status,
                "notes": run.notes,
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["date"] = ScheduleDateField(label=_("Date"), today=today)
        self.fields["distance"] = DistanceField(
            label=_("Distance (%(unit)s)") % {"unit": unit}, unit=unit, required=False
        )
        self.order_fields(
            ["date", "run_type", "distance", "duration", "start_time", "title", "race_priority"]
        )

    def full_clean(self) -> None:
        super().full_clean()
        # The quick add renders its inputs by hand; crispy marks the full form's itself.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        run_type = cleaned.get("run_type")
        if cleaned.get("race_priority") and run_type and run_type != RunType.RACE:
            self.add_error("race_priority", _("Only a race has a priority."))
        if run_type == RunType.REST and cleaned.get("distance"):
            self.add_error("distance", _("A rest day has no distance."))
        elif (
            run_type
            and run_type != RunType.REST
            and cleaned.get("distance") is None
            and cleaned.get("duration") is None
            and "distance" not in self.errors
            and "duration" not in self.errors
        ):
            self.add_error("distance", _("Enter a distance or a duration."))
        return cleaned

    def run_data(self) -> dict[str, Any]:
        """The cleaned input as ``Run`` fields, in metres and seconds. A distance the
        user left as shown keeps its stored metres: the display rounds them."""
        data = self.cleaned_data
        distance = data["distance"]
        if self.run is not None and "distance" not in self.changed_data:
            distance_m = self.run.distance_m
        else:
            distance_m = None if distance is None else units.to_metres(distance, self.unit)
        return {
            "date": data["date"],
            "run_type": data["run_type"],
            "distance_m": distance_m,
            "duration_s": data["duration"],
            "start_time": data["start_time"],
            "title": data["title"],
            "race_priority": data["race_priority"],
            "status": data["status"] or RunStatus.PLANNED,
            "notes": data["notes"],
        }

    def add_model_errors(self, error: ValidationError) -> None:
        """Show a workflow's ``ValidationError`` on the fields the user typed."""
        names = {"distance_m": "distance", "duration_s": "duration"}
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            field = names.get(name, name)
            self.add_error(field if field in self.fields else None, errors)


class MoveForm(forms.Form):
    def __init__(self, *args, today: datetime.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"] = ScheduleDateField(label=_("New date"), today=today)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=RunStatus.choices)


class PriorityForm(forms.Form):
    race_priority = forms.ChoiceField(label=_("Race priority"), choices=RacePriority.choices)
