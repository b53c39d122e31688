from django import forms
from django.utils.translation import gettext_lazy as _

from programs import units
from programs.models import BodyArea
from programs.schedule.run_forms import DistanceField, DurationField


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
