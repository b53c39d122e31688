from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import ConflictSettings


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
            "b_taper_warning_days",
            "b_taper_critical_days",
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
