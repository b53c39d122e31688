"""Curation of the exercise library: staff in the Curators group search, fix, approve,
retire, merge, import and export exercises here. Exercises are never deleted from the
admin by curators: a duplicate is merged, an obsolete exercise is retired."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from config.formfields import ModelChoiceField, ModelMultipleChoiceField, is_valid_id
from config.textfiles import TextFileField
from library.caching import library_changed
from library.forms import DemoFileField
from library.io import MAX_FILE_BYTES, LibraryFileError, export_exercises, import_exercises
from library.models import (
    Equipment,
    Exercise,
    ExerciseMuscle,
    Muscle,
    Source,
    Status,
    clean_aliases,
    normalize,
)
from library.services import demo_file_discard, exercise_merge


class EasierWidget(AutocompleteSelect):
    """The easier-variant picker. Redisplaying a refused form looks up the chosen id to
    label it: an id that is no number ("abc") or past the column ("9" * 20) is simply not
    shown, as Django's plain select would do, rather than sent to the database."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if is_valid_id(v)], attr)


class AliasesField(forms.Field):
    """The aliases list, edited as one alias per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value) -> list[str]:
        return clean_aliases((value or "").splitlines())


class ExerciseAdminForm(forms.ModelForm):
    aliases = AliasesField(
        label=_("Aliases"),
        required=False,
        help_text=_(
            "One alias per line: abbreviations (RDL), other spellings, other languages. "
            "Searching any of them finds this exercise."
        ),
    )
    demo_file = DemoFileField(
        label=_("Demonstration file"),
        required=False,
        help_text=Exercise._meta.get_field("demo_file").help_text,
    )

    class Meta:
        model = Exercise
        fields = [
            "name",
            "slug",
            "aliases",
            "status",
            "pattern",
            "load_class",
            "unilateral",
            "foot_contacts_per_rep",
            "equipment",
            "cues",
            "faults",
            "demo_file",
            "demo_url",
            "easier",
        ]
        widgets = {"equipment": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        name = normalize(cleaned.get("name") or "")
        if "aliases" in cleaned:
            cleaned["aliases"] = [a for a in cleaned["aliases"] if normalize(a) != name]
        if self.instance.merged_into_id and cleaned.get("status") != Status.RETIRED:
            self.add_error(
                "status",
                _("This exercise was merged into “%(keep)s” and stays retired.")
                % {"keep": self.instance.merged_into},
            )
        easier = cleaned.get("easier")
        if easier is not None and self.instance.pk and _is_below(self.instance, easier):
            self.add_error(
                "easier", _("That would make this exercise easier than itself (a loop).")
            )
        return cleaned


def _is_below(exercise: Exercise, easier: Exercise) -> bool:
    """Whether ``exercise`` is ``easier`` itself or one of its easier variants."""
    seen: set[int] = set()
    current: int | None = easier.pk
    while current is not None and current not in seen:
        if current == exercise.pk:
            return True
        seen.add(current)
        current = Exercise.objects.filter(pk=current).values_list("easier_id", flat=True).first()
    return False


class MergeForm(forms.Form):
    keep = ModelChoiceField(
        queryset=Exercise.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label=_("Exercise to keep"),
        help_text=_("The other one is retired and folded into it."),
    )

    def __init__(self, *args, exercises: list[Exercise], **kwargs):
        super().__init__(*args, **kwargs)
        self.exercises = exercises
        self.fields["keep"].queryset = Exercise.objects.filter(pk__in=[e.pk for e in exercises])
        self.fields["keep"].label_from_instance = lambda e: f"{e} ({e.get_status_display()})"
        # The published, older exercise is usually the one that programs already use.
        self.fields["keep"].initial = min(
            exercises, key=lambda e: (e.status != Status.PUBLISHED, e.created_at)
        ).pk

    def other(self, keep: Exercise) -> Exercise:
        return next(e for e in self.exercises if e.pk != keep.pk)


class LibraryUploadForm(forms.Form):
    file = TextFileField(
        max_bytes=MAX_FILE_BYTES,
        label=_("Library file"),
        help_text=_("A .csv or .json file in the library format (the export format)."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show the report, but change nothing"),
        required=False,
        initial=True,
    )


class ProposalFilter(admin.SimpleListFilter):
    title = _("proposed by a coach")
    parameter_name = "proposal"

    def lookups(self, request, model_admin):
        return [
            ("awaiting", _("Awaiting approval")),
            ("all", _("All coach proposals")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset.filter(status=Status.DRAFT, proposed_by__isnull=False)
        if self.value() == "all":
            return queryset.filter(proposed_by__isnull=False)
        return None


class ExerciseMuscleInline(admin.TabularInline):
    model = ExerciseMuscle
    fields = ("muscle", "primary")
    extra = 1
    verbose_name = _("muscle")
    verbose_name_plural = _("muscles (primary movers ticked, secondary unticked)")


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    form = ExerciseAdminForm
    inlines = [ExerciseMuscleInline]
    list_display = ("name", "pattern", "load_class", "status", "proposer", "updated")
    list_select_related = ("proposed_by",)
    list_filter = ("pattern", "load_class", "muscles", "equipment", "status", ProposalFilter)
    # The search itself is Exercise.objects.search (see get_search_results); a non-empty
    # search_fields shows the search box and enables autocomplete.
    search_fields = ("search_text",)
    search_help_text = _("Name or alias, e.g. “rdl”. Accents and case are ignored.")
    autocomplete_fields = ("easier",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("source", "proposed_by", "merged_into", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "slug", "aliases", "status")}),
        (
            _("Classification"),
            {
                "fields": (
                    "pattern",
                    "load_class",
                    "unilateral",
                    "foot_contacts_per_rep",
                    "equipment",
                )
            },
        ),
        (_("Coaching"), {"fields": ("cues", "faults")}),
        (
            _("Demonstration"),
            {
                "fields": ("demo_file", "demo_url"),
                "description": _(
                    "Shown on the exercise's page, on the athlete's Today screen and in the "
                    "block builder. A file's type is read from its contents."
                ),
            },
        ),
        (_("Progression"), {"fields": ("easier",)}),
        (
            _("Provenance"),
            {"fields": ("source", "proposed_by", "merged_into", "created_at", "updated_at")},
        ),
    )
    actions = ("publish", "retire", "merge_selected", "export_csv", "export_json")

    @admin.display(description=_("proposer"), ordering="proposed_by__name")
    def proposer(self, exercise: Exercise):
        return exercise.proposed_by

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated(self, exercise: Exercise):
        return exercise.updated_at

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "easier":
            kwargs["widget"] = EasierWidget(db_field, self.admin_site, using=kwargs.get("using"))
        kwargs["form_class"] = ModelChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["form_class"] = ModelMultipleChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        if not normalize(search_term):
            return queryset, False
        ordering = queryset.query.order_by
        results = queryset.search(search_term)
        if request.GET.get(ORDER_VAR):
            # A column the curator sorted by wins over relevance.
            return results.order_by(*ordering), False
        return results.order_by("rank", "name", "pk"), False

    def has_delete_permission(self, request, obj=None):
        # Exercises are retired, never deleted: programs and logs keep pointing at them.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.source = Source.CURATOR
        replaced = form.initial.get("demo_file") if "demo_file" in form.changed_data else None
        super().save_model(request, obj, form, change)
        if replaced:
            demo_file_discard(name=str(replaced))

    def get_urls(self):
        upload = require_http_methods(["GET", "POST"])(self.upload_view)
        return [
            path(
                "upload/",
                self.admin_site.admin_view(upload),
                name="library_exercise_upload",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("Publish selected exercises"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Exercise]) -> None:
        merged = queryset.filter(merged_into__isnull=False).count()
        count = (
            queryset.filter(merged_into__isnull=True)
            .exclude(status=Status.PUBLISHED)
            .update(status=Status.PUBLISHED, updated_at=timezone.now())
        )
        library_changed()  # update() sends no signal
        self.message_user(
            request,
            ngettext("Published %d exercise.", "Published %d exercises.", count) % count,
            messages.SUCCESS,
        )
        if merged:
            self.message_user(
                request,
                ngettext(
                    "%d merged exercise stays retired.",
                    "%d merged exercises stay retired.",
                    merged,
                )
                % merged,
                messages.WARNING,
            )

    @admin.action(description=_("Retire selected exercises"), permissions=["change"])
    def retire(self, request: HttpRequest, queryset: QuerySet[Exercise]) -> None:
        count = queryset.exclude(status=Status.RETIRED).update(
            status=Status.RETIRED, updated_at=timezone.now()
        )
        library_changed()  # update() sends no signal
        self.message_user(
            request,
            ngettext("Retired %d exercise.", "Retired %d exercises.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Merge the two selected exercises…"), permissions=["change"])
    def merge_selected(self, request: HttpRequest, queryset: QuerySet[Exercise]):
        exercises = list(queryset.select_related("proposed_by").annotate(Count("harder"))[:3])
        if len(exercises) != 2:
            self.message_user(
                request, _("Select exactly two exercises to merge."), messages.WARNING
            )
            return None
        form = MergeForm(request.POST if "post" in request.POST else None, exercises=exercises)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            merge = form.other(keep)
            try:
                keep = exercise_merge(keep=keep, merge=merge)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.log_change(request, keep, _("Merged “%(merge)s” into it.") % {"merge": merge})
                self.log_change(request, merge, _("Merged into “%(keep)s”.") % {"keep": keep})
                self.message_user(
                    request,
                    _("Merged “%(merge)s” into “%(keep)s”.") % {"merge": merge, "keep": keep},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:library_exercise_change", args=[keep.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge duplicate exercises"),
            "opts": self.opts,
            "form": form,
            "exercises": exercises,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/library/exercise/merge_confirmation.html", context)

    @admin.action(description=_("Export selected as CSV"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Exercise]) -> HttpResponse:
        return _download(export_exercises(fmt="csv", queryset=queryset), "csv")

    @admin.action(description=_("Export selected as JSON"), permissions=["view"])
    def export_json(self, request: HttpRequest, queryset: QuerySet[Exercise]) -> HttpResponse:
        return _download(export_exercises(fmt="json", queryset=queryset), "json")

    def upload_view(self, request: HttpRequest) -> TemplateResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        report = None
        if request.method == "POST":
            form = LibraryUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    report = import_exercises(
                        data=upload.read(),
                        filename=upload.name,
                        dry_run=form.cleaned_data["dry_run"],
                        source=Source.IMPORT,
                    )
                except LibraryFileError as error:
                    form.add_error("file", str(error))
        else:
            form = LibraryUploadForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Upload a library file"),
            "opts": self.opts,
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/library/exercise/upload.html", context)


def _download(content: str, fmt: str) -> HttpResponse:
    content_type = {"csv": "text/csv", "json": "application/json"}[fmt]
    filename = f"exercises-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class VocabularyAdmin(admin.ModelAdmin):
    """Muscles and equipment: their slugs are part of the library file format, so they
    come from a migration; curators may reword labels and reorder."""

    list_display = ("label", "slug", "order")
    list_editable = ("order",)
    search_fields = ("label", "slug")

    def get_readonly_fields(self, request, obj=None):
        return ("slug",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Muscle, VocabularyAdmin)
admin.site.register(Equipment, VocabularyAdmin)
