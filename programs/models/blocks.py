"""Blocks: periodized weeks of sessions of prescriptions, and the dose they share with an
athlete's dated copy."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.querysets import BlockQuerySet

TEMPO_VALIDATOR = RegexValidator(
    r"^[0-9X](-[0-9X]){2,3}$",
    _("Write tempo as seconds down-pause-up(-pause), e.g. 3-1-1 or 2-0-X-0."),
)


# Bounds on work, not rules of training (two sessions a day, a long circuit); the builder
# and the block file format hold the same ones, so every block exports and imports back.
MAX_SESSIONS_PER_WEEK = 14
MAX_PRESCRIPTIONS_PER_SESSION = 50


class Phase(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    STRENGTH = "strength", _("Strength")
    POWER = "power", _("Power")
    MAINTENANCE = "maintenance", _("Maintenance")
    DELOAD = "deload", _("Deload")
    TAPER = "taper", _("Taper")
    # The easy week after a race, which the season planner lays (docs/season-planner.md).
    RECOVERY = "recovery", _("Recovery")


class LoadType(models.TextChoices):
    BODYWEIGHT = "bodyweight", _("Bodyweight")
    KG = "kg", _("kg")
    PERCENT_1RM = "pct_1rm", _("% 1RM")
    RPE = "rpe", _("RPE")
    RIR = "rir", _("RIR")


class Progression(models.TextChoices):
    HOLD = "hold", _("Hold")
    ADD_LOAD = "add_load", _("Add load each week")
    DOUBLE = "double", _("Add reps to the cap, then load")


class Block(models.Model):
    """A periodized strength plan: numbered weeks, each in a phase, each with sessions."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="blocks",
        help_text=_("Empty for the built-in templates."),
    )
    name = models.CharField(_("name"), max_length=120)
    goal = models.CharField(_("goal"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_template = models.BooleanField(_("template"), default=False)
    is_shared = models.BooleanField(
        _("shared with other coaches"), default=False, help_text=_("Others can copy it.")
    )
    builtin_key = models.SlugField(max_length=60, blank=True, editable=False)
    created_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    deload_every = models.PositiveSmallIntegerField(
        _("deload every N weeks"), null=True, blank=True
    )
    deload_fraction = models.DecimalField(
        _("deload volume cut"), max_digits=3, decimal_places=2, default=0.5
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                name="block_name_unique_per_owner",
                violation_error_message=_("You already have a block with this name."),
            ),
            models.UniqueConstraint(
                fields=["builtin_key"],
                condition=~Q(builtin_key=""),
                name="block_builtin_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | (~Q(builtin_key="") & Q(is_template=True)),
                name="block_owned_or_builtin_template",
            ),
            models.CheckConstraint(
                condition=Q(deload_every__isnull=True) | Q(deload_every__gte=2),
                name="block_deload_every_at_least_2",
            ),
            models.CheckConstraint(
                condition=Q(deload_fraction__gte=0.1) & Q(deload_fraction__lte=0.9),
                name="block_deload_fraction_10_to_90",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return bool(self.builtin_key)


class Week(models.Model):
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="weeks")
    number = models.PositiveSmallIntegerField()
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.FOUNDATION)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["block", "number"], name="week_number_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=52), name="week_number_1_to_52"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.block} · week {self.number}"

    @property
    def phase_label(self) -> str:
        """``get_phase_display()`` at a fraction of its cost: Django's translates every
        choice to look one up (70 µs here), and the builder shows a phase per week."""
        return str(_PHASE_LABELS.get(self.phase, self.phase))


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Mon")
    TUESDAY = 2, _("Tue")
    WEDNESDAY = 3, _("Wed")
    THURSDAY = 4, _("Thu")
    FRIDAY = 5, _("Fri")
    SATURDAY = 6, _("Sat")
    SUNDAY = 7, _("Sun")


# Value → lazy label: translated when shown, in the language of the request.
_PHASE_LABELS = dict(Phase.choices)
_DAY_LABELS = dict(Weekday.choices)


class Session(models.Model):
    """A training session in a week: on a day slot (1 = Monday … 7 = Sunday) or labelled
    A/B/C when the athlete's strength days are chosen at assignment."""

    week = models.ForeignKey(Week, on_delete=models.CASCADE, related_name="sessions")
    order = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField(choices=Weekday.choices, null=True, blank=True)
    label = models.CharField(max_length=10, blank=True)
    title = models.CharField(max_length=100, blank=True)
    # The time of day it is planned for, copied to each athlete's dated session.
    start_time = models.TimeField(_("planned time"), null=True, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["week", "order"], name="session_order_unique"),
            models.CheckConstraint(
                condition=Q(day__isnull=True) | (Q(day__gte=1) & Q(day__lte=7)),
                name="session_day_1_to_7",
            ),
        ]

    def __str__(self) -> str:
        return session_name(self.title, self.label, self.order)

    @property
    def day_label(self) -> str:
        """``get_day_display()`` as ``Week.phase_label`` is the phase's: a grid cell per
        session, and the editor's move menus, show one each."""
        return day_label(self.day)


def session_name(title: str, label: str, order: int) -> str:
    """A session's name from its fields (its ``str()``; the builder's grid reads values)."""
    return title or label or f"Session {order}"


def day_label(day: int | None) -> str:
    return "" if day is None else str(_DAY_LABELS.get(day, day))


def dose_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The rules every dose obeys, named after the concrete table (a block's prescription
    and an athlete's dated copy hold the same ones)."""
    return [
        models.CheckConstraint(
            condition=Q(sets__gte=1) & Q(sets__lte=20), name=f"{prefix}_sets_1_to_20"
        ),
        models.CheckConstraint(
            condition=Q(reps_min__isnull=True) | Q(reps_min__gte=1),
            name=f"{prefix}_reps_positive",
        ),
        models.CheckConstraint(
            condition=Q(reps_max__isnull=True)
            | (Q(reps_min__isnull=False) & Q(reps_max__gte=F("reps_min"))),
            name=f"{prefix}_reps_min_le_max",
        ),
        models.CheckConstraint(
            condition=Q(reps_min__isnull=False)
            | Q(duration_s__isnull=False)
            | Q(distance_m__isnull=False),
            name=f"{prefix}_has_a_dose",
        ),
        models.CheckConstraint(
            condition=Q(load_type=LoadType.BODYWEIGHT, load_value__isnull=True)
            | (~Q(load_type=LoadType.BODYWEIGHT) & Q(load_value__isnull=False)),
            name=f"{prefix}_load_value_iff_not_bodyweight",
        ),
        models.CheckConstraint(
            condition=~Q(load_type=LoadType.RPE) | (Q(load_value__gte=1) & Q(load_value__lte=10)),
            name=f"{prefix}_rpe_1_to_10",
        ),
        models.CheckConstraint(
            condition=~Q(load_type=LoadType.PERCENT_1RM)
            | (Q(load_value__gte=1) & Q(load_value__lte=110)),
            name=f"{prefix}_pct_1rm_1_to_110",
        ),
        models.CheckConstraint(
            condition=~Q(load_type=LoadType.RIR) | (Q(load_value__gte=0) & Q(load_value__lte=10)),
            name=f"{prefix}_rir_0_to_10",
        ),
        models.CheckConstraint(
            condition=~Q(load_type=LoadType.KG) | (Q(load_value__gt=0) & Q(load_value__lte=500)),
            name=f"{prefix}_kg_0_to_500",
        ),
    ]


class Dose(models.Model):
    """One exercise's dose: sets of reps (or a time, or a distance) at a load."""

    order = models.PositiveSmallIntegerField()
    superset = models.CharField(_("superset"), max_length=2, blank=True)
    sets = models.PositiveSmallIntegerField(_("sets"))
    reps_min = models.PositiveSmallIntegerField(_("reps"), null=True, blank=True)
    reps_max = models.PositiveSmallIntegerField(_("up to reps"), null=True, blank=True)
    duration_s = models.PositiveIntegerField(_("seconds"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("metres"), null=True, blank=True)
    per_side = models.BooleanField(_("per side"), default=False)
    load_type = models.CharField(
        _("load"), max_length=10, choices=LoadType.choices, default=LoadType.BODYWEIGHT
    )
    load_value = models.DecimalField(
        _("load value"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    tempo = models.CharField(_("tempo"), max_length=12, blank=True, validators=[TEMPO_VALIDATOR])
    rest_s = models.PositiveSmallIntegerField(_("rest (s)"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["order"]

    @property
    def reps_text(self) -> str:
        if self.reps_min is not None:
            if self.reps_max and self.reps_max != self.reps_min:
                return f"{self.reps_min}–{self.reps_max}"
            return str(self.reps_min)
        if self.duration_s is not None:
            return f"{self.duration_s} s"
        return f"{self.distance_m} m"

    @property
    def load_text(self) -> str:
        value = self.load_value
        text = "" if value is None else f"{value.normalize():f}"
        return {
            LoadType.BODYWEIGHT: "",
            LoadType.KG: f"{text} kg",
            LoadType.PERCENT_1RM: f"{text}% 1RM",
            LoadType.RPE: f"RPE {text}",
            LoadType.RIR: f"RIR {text}",
        }[LoadType(self.load_type)]

    @property
    def amount_text(self) -> str:
        """ "3×8–10 per side": the sets and reps, without the load."""
        return f"{self.sets}×{self.reps_text}{' per side' if self.per_side else ''}"

    @property
    def dose_text(self) -> str:
        """ "3×5 @ 80% 1RM", as written in the plan (programs.dose resolves it for an
        athlete)."""
        return f"{self.amount_text} @ {self.load_text}" if self.load_text else self.amount_text


class Prescription(Dose):
    """One exercise in a block's session, with its dose and how it progresses week to week."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="prescriptions")
    exercise = models.ForeignKey(
        "library.Exercise", on_delete=models.PROTECT, related_name="prescriptions"
    )
    progression = models.CharField(
        _("progression"), max_length=10, choices=Progression.choices, default=Progression.HOLD
    )
    load_step = models.DecimalField(
        _("load step"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    reps_cap = models.PositiveSmallIntegerField(_("reps cap"), null=True, blank=True)

    class Meta(Dose.Meta):
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="prescription_order_unique"),
            *dose_constraints("prescription"),
            models.CheckConstraint(
                condition=Q(reps_cap__isnull=True) | Q(reps_cap__gte=F("reps_min")),
                name="prescription_reps_cap_above_reps",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} {self.dose_text}"
