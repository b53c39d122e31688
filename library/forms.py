from django import forms
from django.utils.translation import gettext_lazy as _

from config.formfields import ModelMultipleChoiceField
from library.demos import ACCEPT, check_upload, name_upload
from library.models import Equipment, Exercise, LoadClass, Muscle, Pattern, clean_aliases

ANY = [("", _("Any"))]


class DemoFileField(forms.FileField):
    """An uploaded demonstration: its type read from its bytes, its size within that type's
    limit, and its name given the real type's extension before it is stored."""

    widget = forms.ClearableFileInput(attrs={"accept": ACCEPT})

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is not None:
            name_upload(upload, check_upload(upload))
        return upload


CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class ExerciseFilterForm(forms.Form):
    """The library's search box and filters; every field is optional."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    muscle = forms.ChoiceField(label=_("Muscle"), required=False)
    pattern = forms.ChoiceField(label=_("Pattern"), required=False, choices=ANY + Pattern.choices)
    equipment = forms.ChoiceField(label=_("Equipment"), required=False)
    load_class = forms.ChoiceField(label=_("Load"), required=False, choices=ANY + LoadClass.choices)
    unilateral = forms.TypedChoiceField(
        label=_("Legs"),
        required=False,
        choices=[("", _("Any")), ("1", _("Single-leg / arm")), ("0", _("Both"))],
        coerce=lambda value: value == "1",
        empty_value=None,
    )

    def __init__(self, *args, muscles=None, equipment=None, **kwargs):
        super().__init__(*args, **kwargs)
        muscles = muscles if muscles is not None else Muscle.objects.all()
        equipment = equipment if equipment is not None else Equipment.objects.all()
        self.fields["muscle"].choices = ANY + [(m.slug, m.label) for m in muscles]
        self.fields["equipment"].choices = ANY + [(e.slug, e.label) for e in equipment]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "muscle": data.get("muscle", ""),
            "pattern": data.get("pattern", ""),
            "equipment": data.get("equipment", ""),
            "load_class": data.get("load_class", ""),
            "unilateral": data.get("unilateral"),
        }


class ExerciseProposalForm(forms.ModelForm):
    """A coach proposes an exercise the library lacks. Its template groups the fields in
    fieldsets (the exercise; muscles; equipment; coaching), the 55 checkboxes in columns."""

    aliases_text = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, e.g. RDL."),
    )
    primary_muscles = ModelMultipleChoiceField(
        label=_("Primary muscles"),
        queryset=Muscle.objects.all(),
        to_field_name="slug",
        widget=CHECKBOXES,
    )
    secondary_muscles = ModelMultipleChoiceField(
        label=_("Secondary muscles"),
        queryset=Muscle.objects.all(),
        to_field_name="slug",
        widget=CHECKBOXES,
        required=False,
    )
    equipment = ModelMultipleChoiceField(
        label=_("Equipment"),
        queryset=Equipment.objects.all(),
        to_field_name="slug",
        widget=CHECKBOXES,
    )

    class Meta:
        model = Exercise
        fields = (
            "name",
            "pattern",
            "load_class",
            "unilateral",
            "foot_contacts_per_rep",
            "cues",
            "faults",
            "demo_url",
            "easier",
        )
        widgets = {
            "cues": forms.Textarea(attrs={"rows": 3}),
            "faults": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["easier"].queryset = Exercise.objects.pickable_by(user).order_by("name")
        self.fields["easier"].label = _("Easier variant (optional)")

    def clean_aliases_text(self) -> list[str]:
        return clean_aliases(self.cleaned_data["aliases_text"].splitlines())

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("primary_muscles") or []) & set(
            cleaned.get("secondary_muscles") or []
        )
        if both:
            self.add_error(
                "secondary_muscles",
                _("%(muscles)s cannot be both primary and secondary.")
                % {"muscles": ", ".join(m.label for m in both)},
            )
        if cleaned.get("load_class") != LoadClass.PLYOMETRIC and cleaned.get(
            "foot_contacts_per_rep"
        ):
            self.add_error(
                "foot_contacts_per_rep", _("Only plyometric exercises count foot contacts.")
            )
        return cleaned
