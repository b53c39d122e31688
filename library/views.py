import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from config import pagecache
from config.roles import coach_required
from library import services
from library.caching import library_version
from library.forms import ExerciseFilterForm, ExerciseProposalForm
from library.models import Equipment, Exercise, Muscle
from library.permissions import get_demo_for_user, get_exercise_for_user

PAGE_SIZE = 24
PICKER_SIZE = 12


def _search(request: HttpRequest, queryset):
    form = ExerciseFilterForm(
        request.GET, muscles=list(Muscle.objects.all()), equipment=list(Equipment.objects.all())
    )
    form.is_valid()
    queryset = queryset.filtered(**form.filters())
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    queryset = queryset.search(query) if query.strip() else queryset.order_by("name")
    return form, queryset


@require_GET
def exercise_list(request: HttpRequest) -> HttpResponse:
    """Browse and search the library; htmx asks for the results alone as you type.

    Cached by the library's version (``library.caching``), per user (a coach sees their own
    drafts) and query: everyone opens the same few pages of an exercise list that changes
    when a curator publishes."""
    fragment = request.htmx and request.htmx.target == "results"
    template = "library/exercise_list.html#results" if fragment else "library/exercise_list.html"

    def context() -> dict:
        form, queryset = _search(request, Exercise.objects.pickable_by(request.user))
        paginator = Paginator(queryset.with_primary_muscles(), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        return {"form": form, "page": page, "query_string": params.urlencode()}

    key = pagecache.key(
        "library",
        library_version(),
        request.user.pk,
        template,
        hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:16],
    )
    return pagecache.render_cached(request, template, key, context)


@require_GET
def exercise_picker(request: HttpRequest) -> HttpResponse:
    """Results for the exercise picker that other screens embed (the block builder)."""
    _form, queryset = _search(request, Exercise.objects.pickable_by(request.user))
    exercises = list(queryset.select_related("easier")[:PICKER_SIZE])
    return render(request, "library/partials/picker_results.html", {"exercises": exercises})


@require_GET
def demo_file(request: HttpRequest, name: str) -> HttpResponse:
    """An uploaded demonstration, in development and production alike (WhiteNoise serves
    only files known at start-up): only a file that is an exercise's demonstration this
    user may see; anything else under MEDIA_URL is 404. A replaced file gets a new name,
    so the browser may keep it a long time."""
    exercise = get_demo_for_user(request.user, name)
    kind = exercise.demo_type
    try:
        stored = default_storage.open(exercise.demo_file.name, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(stored, content_type=kind.content_type if kind else None)
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


@require_GET
def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = get_exercise_for_user(request.user, slug)
    return render(request, "library/exercise_detail.html", {"exercise": exercise})


@require_http_methods(["GET", "POST"])
@coach_required
def exercise_propose(request: HttpRequest) -> HttpResponse:
    form = ExerciseProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exercise = services.exercise_propose(
                coach=request.user,
                fields={name: data[name] for name in ExerciseProposalForm.Meta.fields},
                aliases=data["aliases_text"],
                primary_muscles=list(data["primary_muscles"]),
                secondary_muscles=list(data["secondary_muscles"]),
                equipment=list(data["equipment"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"{exercise.name} is in your library as a draft: use it in your programs now. "
                "A curator will review it for everyone.",
            )
            return redirect("library:detail", slug=exercise.slug)
    return render(request, "library/exercise_form.html", {"form": form})
