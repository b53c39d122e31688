"""Get started, for a runner who coaches themselves: a built-in template becomes their own
block on their own calendar in one click (next Monday, on the template's days), or the
season planner plans their season. The same copy and assignment as any coach's, so the
same flags follow."""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from athletes.models import AthleteProfile, User
from athletes.permissions import get_self_coached_athlete
from config.formfields import ModelChoiceField
from config.roles import coach_required
from programs.coaching.services import template_start
from programs.models import Block
from programs.schedule.forms import WEEKDAY_CHOICES, IsoDateInput
from programs.schedule.services import (
    assignments_overlapping,
    block_last_day,
    plan_dates,
    suggested_weekdays,
)
from programs.units import local_today

DAY_NAMES = dict(WEEKDAY_CHOICES)


def builtin_templates(user: User):
    """The built-in templates, with their structure (for the days and the dates)."""
    return (
        Block.objects.visible_to(user)
        .filter(is_template=True)
        .exclude(builtin_key="")
        .with_structure()
        .order_by("name", "pk")
    )


def next_monday(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=7 - today.weekday())


class TemplateStartForm(forms.Form):
    template = ModelChoiceField(queryset=Block.objects.none(), widget=forms.HiddenInput)
    start = forms.DateField(
        label=_("Start date"), widget=IsoDateInput(attrs={"class": "form-control"})
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Strength days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Pick your strength days.")},
    )

    def __init__(self, *args, user: User, athlete: AthleteProfile, today: datetime.date, **kw):
        super().__init__(*args, **kw)
        self.athlete = athlete
        self.today = today
        self.fields["template"].queryset = builtin_templates(user)
        self.fields["template"].error_messages["invalid_choice"] = _(
            "That template is not available: pick one below."
        )

    def clean_start(self) -> datetime.date:
        start = self.cleaned_data["start"]
        if start < self.today:
            raise ValidationError(_("Start today or later."), code="start_too_early")
        if start > self.today + datetime.timedelta(days=730):
            raise ValidationError(_("Start within two years."), code="start_too_late")
        return start

    def clean(self):
        data = super().clean()
        template, start, weekdays = data.get("template"), data.get("start"), data.get("weekdays")
        if template is None or start is None or not weekdays:
            return data
        try:
            plan_dates(block=template, start=start, weekdays=weekdays)
        except ValidationError as error:
            self.add_error("weekdays", error)
            return data
        last = block_last_day(block=template, start=start)
        if assignments_overlapping(athletes=[self.athlete], first=start, last=last).exists():
            self.add_error(
                "start",
                ValidationError(
                    _(
                        "You already have a block with sessions on these dates: start this "
                        "one after it ends."
                    ),
                    code="overlap",
                ),
            )
        return data


@dataclass
class TemplateCard:
    block: Block
    weeks: int
    per_week: int
    start: datetime.date
    days: list[str]
    form: TemplateStartForm


def _cards(
    templates: list[Block], *, posted: TemplateStartForm | None, form_kwargs: dict
) -> list[TemplateCard]:
    """One card per template, each with its own form (ids made unique by ``auto_id``);
    the posted template's card keeps the posted form and its errors."""
    posted_pk = posted.data.get("template") if posted is not None else None
    start = next_monday(form_kwargs["today"])
    cards = []
    for block in templates:
        weeks = list(block.weeks.all())
        days = suggested_weekdays(block)
        form = (
            posted
            if posted is not None and posted_pk == str(block.pk)
            else TemplateStartForm(
                initial={"template": block.pk, "start": start, "weekdays": days}, **form_kwargs
            )
        )
        form.auto_id = f"start-{block.pk}-%s"
        cards.append(
            TemplateCard(
                block=block,
                weeks=len(weeks),
                per_week=max((len(w.sessions.all()) for w in weeks), default=0),
                start=start,
                days=[DAY_NAMES[str(d)] for d in days],
                form=form,
            )
        )
    return cards


@require_http_methods(["GET", "POST"])
@coach_required
def get_started(request: HttpRequest) -> HttpResponse:
    athlete = get_self_coached_athlete(request.user)
    form_kwargs = {"user": request.user, "athlete": athlete, "today": local_today(request.user)}
    posted = None
    if request.method == "POST":
        posted = TemplateStartForm(request.POST, **form_kwargs)
        if posted.is_valid():
            data = posted.cleaned_data
            try:
                assignment = template_start(
                    template=data["template"],
                    athlete=athlete,
                    start=data["start"],
                    weekdays=data["weekdays"],
                )
            except ValidationError as error:
                posted.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"“{assignment.block_name}” starts {date_format(data['start'], 'D j M')}: "
                    "its sessions are on your calendar, checked against your runs.",
                )
                return redirect("athlete_home")
    templates = list(builtin_templates(request.user))
    cards = _cards(templates, posted=posted, form_kwargs=form_kwargs)
    # A post naming no template shown here (gone, or made up) is answered above the cards.
    lost = posted is not None and not any(card.form is posted for card in cards)
    return render(
        request,
        "programs/get_started.html",
        {"athlete": athlete, "cards": cards, "lost": posted if lost else None},
    )
