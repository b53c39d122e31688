import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from athletes.models import AthleteGroup, AthleteProfile
from config.formfields import ModelChoiceField, ModelMultipleChoiceField
from config.textfiles import TextFileField
from library.models import Exercise
from programs import units
from programs.blockfile.reading import MAX_FILE_BYTES
from programs.loads import unit_to_kg
from programs.models import BodyArea, ConflictSettings, LoadType, Phase, Prescription, Session
from programs.schedule.run_forms import DistanceField, DurationField

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


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    day = forms.TypedChoiceField(
        label=_("Day"), choices=DAYS, coerce=int, empty_value=None, required=False
    )


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


WEEKDAY_CHOICES = [(str(n), label) for n, label in DAYS[1:]]


class AssignForm(forms.Form):
    """Which athletes get a block, from when, on which strength days."""

    athletes = ModelMultipleChoiceField(
        label=_("Athletes"),
        queryset=AthleteProfile.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    group = ModelChoiceField(
        label=_("…or all of a group"), queryset=AthleteGroup.objects.none(), required=False
    )
    start = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Strength days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pick the athletes' strength days.")},
    )

    def __init__(self, *args, coach, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
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
        return data

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
    date = forms.DateField(label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}))


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
    tested_on = forms.DateField(
        label=_("Tested on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

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


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ConflictSettingsForm(forms.ModelForm):
    class Meta:
        model = ConflictSettings
        fields = (
            "heavy_before_long_days",
            "heavy_before_key_days",
            "min_days_between",
            "max_per_week",
            "min_per_week",
            "taper_warning_days",
            "taper_critical_days",
            "spike_ratio",
            "max_loading_weeks",
        )

    def clean(self):
        data = super().clean()
        if not self.errors:
            candidate = ConflictSettings(**{name: data[name] for name in self.Meta.fields})
            for name, message in candidate.thresholds().errors().items():
                self.add_error(name, message)
        return data


class FinishForm(forms.Form):
    """The end of a session: how hard it was, notes, and pain if there was some."""

    rpe = forms.TypedChoiceField(
        label=_("How hard was it? (RPE)"),
        choices=[("", "—"), *[(str(n), str(n)) for n in range(1, 11)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False)
    pain_area = forms.ChoiceField(
        label=_("Pain? Where"), choices=[("", _("No pain")), *BodyArea.choices], required=False
    )
    pain_score = forms.IntegerField(
        label=_("How bad (0–10)"), min_value=0, max_value=10, required=False
    )
    pain_note = forms.CharField(label=_("About the pain"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("pain_area") and data.get("pain_score") is None:
            self.add_error("pain_score", _("Say how bad it is, 0 to 10."))
        return data


class RunDoneForm(forms.Form):
    """The day's run as it was actually run (both optional: "done as planned")."""

    def __init__(self, *args, unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["distance"] = DistanceField(
            unit=unit, label=_("Distance (%(unit)s)") % {"unit": unit}, required=False
        )
        self.fields["duration"] = DurationField(label=_("Time"), required=False)

    def clean(self):
        data = super().clean()
        distance = data.get("distance")
        data["distance_m"] = None if distance is None else units.to_metres(distance, self.unit)
        data["duration_s"] = data.get("duration")
        return data


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
