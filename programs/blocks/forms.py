import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from config.formfields import ModelChoiceField
from config.textfiles import TextFileField
from library.models import Exercise
from programs.blocks.files.reading import MAX_FILE_BYTES
from programs.models import LoadType, Phase, Prescription, Session

DAYS = [
    ("", _("Any day")),
    *[
        (str(n), d)
        for n, d in enumerate(
            [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")], start=1
        )
    ],
]
LOAD_RANGES = {
    LoadType.KG: (Decimal("0.5"), Decimal(500), _("Enter a load between 0.5 and 500 kg.")),
    LoadType.PERCENT_1RM: (Decimal(1), Decimal(110), _("% of 1RM is between 1 and 110.")),
    LoadType.RPE: (Decimal(1), Decimal(10), _("RPE is between 1 and 10.")),
    LoadType.RIR: (Decimal(0), Decimal(10), _("RIR is between 0 and 10.")),
}


class BlockCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    goal = forms.CharField(label=_("Goal"), max_length=200, required=False)
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=52, initial=8)
    phase = forms.ChoiceField(label=_("Phase of every week"), choices=Phase.choices)


class BlockUploadForm(forms.Form):
    file = TextFileField(max_bytes=MAX_FILE_BYTES, label=_("Block file (.json)"))


class CopyForm(forms.Form):
    name = forms.CharField(label=_("Name of the copy"), max_length=120, required=False)


class ProgressionForm(forms.Form):
    from_week = forms.IntegerField(label=_("Rebuild from week"), min_value=2, initial=2)
    deload_every = forms.IntegerField(
        label=_("Deload every N weeks"),
        min_value=2,
        max_value=12,
        required=False,
        help_text=_("Empty: no deload."),
    )
    deload_fraction = forms.DecimalField(
        label=_("Deload cuts volume by"),
        min_value=Decimal("0.1"),
        max_value=Decimal("0.9"),
        decimal_places=2,
        initial=Decimal("0.5"),
        help_text=_("0.5 halves the sets."),
    )

    def __init__(self, *args, weeks: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.weeks = weeks
        self.fields["from_week"].widget.attrs["max"] = weeks

    def clean_from_week(self) -> int:
        number = self.cleaned_data["from_week"]
        if number > self.weeks:
            raise forms.ValidationError(
                _("This block has %(weeks)s weeks."), params={"weeks": self.weeks}
            )
        return number


class WeekForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)


class WeekCopyForm(forms.Form):
    weeks = forms.TypedMultipleChoiceField(
        label=_("Copy to weeks"),
        coerce=int,
        error_messages={
            "required": _("Pick the weeks to copy to."),
            "invalid_choice": _("Pick weeks of this block."),
        },
    )

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weeks"].choices = [(n, str(n)) for n in numbers]


class PlannedTimeField(forms.TimeField):
    """An optional time of day for a strength session, to the minute (a block file writes
    "HH:MM", so seconds typed here are dropped rather than lost on export)."""

    widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Time"))
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> datetime.time | None:
        time = super().to_python(value)
        return None if time is None else time.replace(second=0, microsecond=0)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    day = forms.TypedChoiceField(
        label=_("Day"), choices=DAYS, coerce=int, empty_value=None, required=False
    )
    start_time = PlannedTimeField()


class PrescriptionForm(forms.ModelForm):
    """One row of the builder; every rule the database holds, reported on its field."""

    class Meta:
        model = Prescription
        fields = (
            "sets",
            "reps_min",
            "reps_max",
            "duration_s",
            "distance_m",
            "per_side",
            "load_type",
            "load_value",
            "tempo",
            "rest_s",
            "superset",
            "notes",
            "progression",
            "load_step",
            "reps_cap",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sets"].min_value = 1
        self.fields["sets"].max_value = 20
        self.fields["sets"].validators += forms.IntegerField(min_value=1, max_value=20).validators
        for name in ("reps_min", "reps_max", "reps_cap"):
            self.fields[name].validators += forms.IntegerField(min_value=1).validators
        self.fields["load_step"].validators += forms.DecimalField(
            min_value=Decimal(0), max_value=Decimal("999.99")
        ).validators
        for name in ("load_value", "load_step"):
            value = self.initial.get(name)
            if isinstance(value, Decimal):
                self.initial[name] = format(value.normalize(), "f")  # 7, not 7.00

    def validate_constraints(self):
        # The service validates the model's constraints (each costs a query) before it
        # saves; clean() below reports the same rules on their fields.
        pass

    def clean(self):
        cleaned = super().clean()
        reps_min, reps_max = cleaned.get("reps_min"), cleaned.get("reps_max")
        if reps_max is not None:
            if reps_min is None:
                self.add_error("reps_min", _("Give the low end of the range too."))
            elif reps_max < reps_min:
                self.add_error("reps_max", _("The top of the range is below its bottom."))
        if (
            not self.errors
            and reps_min is None
            and not cleaned.get("duration_s")
            and not (cleaned.get("distance_m"))
        ):
            self.add_error("reps_min", _("Give reps, seconds or metres."))
        load_type, value = cleaned.get("load_type"), cleaned.get("load_value")
        if load_type == LoadType.BODYWEIGHT:
            if value is not None:
                self.add_error("load_value", _("Bodyweight takes no load value."))
        elif load_type in LOAD_RANGES:
            low, high, message = LOAD_RANGES[LoadType(load_type)]
            if value is None:
                self.add_error("load_value", _("Give the load."))
            elif not low <= value <= high:
                self.add_error("load_value", message)
        cap = cleaned.get("reps_cap")
        if cap is not None and reps_min is not None and cap < reps_min:
            self.add_error("reps_cap", _("The cap is below the reps."))
        return cleaned


class ExerciseChoiceForm(forms.Form):
    """One exercise from ``exercises``: anything else (another coach's draft, a retired
    one, not an id at all) gets the same answer."""

    exercise = ModelChoiceField(
        queryset=Exercise.objects.none(),
        error_messages={
            "required": _("Choose an exercise from the list."),
            "invalid_choice": _("Choose an exercise from the list."),
        },
    )

    def __init__(self, *args, exercises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = exercises


class MoveToSessionForm(forms.Form):
    """Where a prescription goes: a session of the same block, or nowhere (up/down)."""

    session = ModelChoiceField(
        queryset=Session.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose a session of this block.")},
    )

    def __init__(self, *args, block, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(week__block=block).select_related(
            "week"
        )
