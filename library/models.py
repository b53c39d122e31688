from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from library.demos import (
    DemoType,
    demo_upload_to,
    link_host,
    type_of_name,
    validate_demo_file,
    validate_https_url,
)
from library.querysets import ExerciseQuerySet
from library.text import normalize


def clean_aliases(aliases: Iterable[object], *, name: str = "") -> list[str]:
    """Aliases as stored: spaces collapsed, without blanks, repeats (ignoring case and
    accents) or the exercise's own name. The one rule for forms, the admin, files and
    merges."""
    seen = {normalize(name)} if name else set()
    clean = []
    for text in aliases:
        alias = " ".join(str(text).split())
        key = normalize(alias)
        if key and key not in seen:
            seen.add(key)
            clean.append(alias)
    return clean


class Pattern(models.TextChoices):
    SQUAT = "squat", _("Squat")
    HINGE = "hinge", _("Hinge")
    LUNGE = "lunge", _("Lunge / split")
    STEP_UP = "step_up", _("Step-up")
    CALF_ANKLE = "calf_ankle", _("Calf / ankle")
    HIP_GLUTE = "hip_glute", _("Hip / glute isolation")
    PLYOMETRIC = "plyometric", _("Plyometric")
    CORE = "core", _("Core")
    BALANCE = "balance", _("Balance / proprioception")
    MOBILITY = "mobility", _("Mobility")
    PUSH = "push", _("Upper-body push")
    PULL = "pull", _("Upper-body pull")
    CARRY = "carry", _("Carry")
    OTHER = "other", _("Other")


class LoadClass(models.TextChoices):
    """What the conflict engine reasons on (DOMAIN.md)."""

    HEAVY_LOWER = "heavy_lower", _("Heavy lower body")
    PLYOMETRIC = "plyometric", _("Plyometric")
    LIGHT_LOWER = "light_lower", _("Light lower body")
    CORE = "core", _("Core")
    UPPER = "upper", _("Upper body")
    MOBILITY = "mobility", _("Mobility")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Source(models.TextChoices):
    BUILTIN = "builtin", _("Built-in library")
    IMPORT = "import", _("Imported file")
    CURATOR = "curator", _("Added by a curator")
    COACH = "coach", _("Proposed by a coach")


class Muscle(models.Model):
    """Reference vocabulary (slugs are fixed by the file format; labels are ours)."""

    slug = models.SlugField(unique=True)
    label = models.CharField(max_length=60)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


class Equipment(models.Model):
    slug = models.SlugField(unique=True)
    label = models.CharField(max_length=60)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "label"]
        verbose_name_plural = "equipment"

    def __str__(self) -> str:
        return self.label


class Exercise(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    aliases = models.JSONField(
        _("aliases"), default=list, blank=True, help_text=_("Other names people search by.")
    )
    pattern = models.CharField(_("movement pattern"), max_length=20, choices=Pattern.choices)
    load_class = models.CharField(_("load class"), max_length=20, choices=LoadClass.choices)
    muscles = models.ManyToManyField(Muscle, through="ExerciseMuscle", related_name="exercises")
    equipment = models.ManyToManyField(Equipment, related_name="exercises", blank=True)
    unilateral = models.BooleanField(_("single-leg / single-arm"), default=False)
    foot_contacts_per_rep = models.PositiveSmallIntegerField(
        _("foot contacts per rep"), default=0, help_text=_("Plyometrics: landings per rep.")
    )
    cues = models.TextField(_("cues"), blank=True, help_text=_("One cue per line."))
    faults = models.TextField(_("common faults"), blank=True, help_text=_("One per line."))
    demo_url = models.URLField(
        _("demo link"),
        blank=True,
        validators=[validate_https_url],
        help_text=_("An https:// link, e.g. a YouTube or Vimeo video. Shown as a link."),
    )
    demo_file = models.FileField(
        _("demonstration file"),
        upload_to=demo_upload_to,
        max_length=200,
        blank=True,
        validators=[validate_demo_file],
        help_text=_("A JPEG, PNG or WebP image up to 5 MB, or an MP4 or WebM video up to 25 MB."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    easier = models.ForeignKey(
        "self",
        verbose_name=_("easier variant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="harder",
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CURATOR)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_exercises",
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    # Checksum of the built-in data last written to this row: when the row no longer
    # matches it, a curator has edited it and the loader leaves it alone.
    builtin_checksum = models.CharField(max_length=64, blank=True, editable=False)
    # Normalized name and aliases, for search that ignores case and accents on any database.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="exercise_name_ci_unique",
                violation_error_message=_("An exercise with this name already exists."),
            ),
            models.CheckConstraint(
                condition=~models.Q(easier=models.F("pk")),
                name="exercise_not_easier_than_itself",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="exercise_not_merged_into_itself",
            ),
            models.CheckConstraint(
                condition=models.Q(foot_contacts_per_rep__lte=20),
                name="exercise_foot_contacts_sane",
            ),
        ]
        indexes = [models.Index(fields=["status", "load_class"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # An index of the name and aliases, not business logic: kept here so that every
        # write path (admin, import, proposals) keeps search correct.
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        return "\n".join(normalize(term) for term in [self.name, *self.aliases] if term)

    @property
    def pattern_label(self) -> str:
        # Cheaper than get_pattern_display(), which hashes every choice; lists show many.
        return Pattern(self.pattern).label

    @property
    def load_class_label(self) -> str:
        return LoadClass(self.load_class).label

    @property
    def secondary_muscle_roles(self) -> list["ExerciseMuscle"]:
        """From the prefetched roles (with_details), so no query of its own."""
        return [role for role in self.muscle_roles.all() if not role.primary]

    @property
    def demo_type(self) -> DemoType | None:
        """The stored demonstration's type (image or video), from its name."""
        return type_of_name(self.demo_file.name) if self.demo_file else None

    @property
    def demo_link_host(self) -> str:
        return link_host(self.demo_url) if self.demo_url else ""

    @property
    def cue_list(self) -> list[str]:
        return [line.strip() for line in self.cues.splitlines() if line.strip()]

    @property
    def fault_list(self) -> list[str]:
        return [line.strip() for line in self.faults.splitlines() if line.strip()]


class ExerciseMuscle(models.Model):
    """A muscle an exercise works, as a primary or a secondary mover (never both)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="muscle_roles")
    muscle = models.ForeignKey(Muscle, on_delete=models.PROTECT, related_name="exercise_roles")
    primary = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exercise", "muscle"], name="exercisemuscle_once"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise}: {self.muscle} ({'primary' if self.primary else 'secondary'})"
