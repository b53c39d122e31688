"""The coach's screens: the roster (home), and one athlete's page."""

import hashlib

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from athletes.models import AthleteGroup, CoachingLink, Invitation, User
from athletes.permissions import get_athlete_for_coach
from config import pagecache
from config.formfields import ModelChoiceField
from config.roles import coach_required
from programs import caching
from programs.coaching.overview import athlete_overview
from programs.coaching.roster import Sort, roster_entries, roster_page_rows, roster_select
from programs.models import Assignment, Flag

# Athletes on a page of the roster: the reasons, filters and sorts read every athlete
# (each one's row cached until their data changes), but only a page's rows are shown.
ROSTER_PAGE_SIZE = 25


class RosterFilterForm(forms.Form):
    """The roster's GET filters. Kept beside its only view: it validates a query string,
    and a value that does not validate (a group that is gone) just drops that filter."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    group = ModelChoiceField(label=_("Group"), queryset=AthleteGroup.objects.none(), required=False)
    attention = forms.BooleanField(label=_("Needs attention only"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=Sort.choices, required=False)

    def __init__(self, *args, coach: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Another coach's group is not a choice: its id is refused like a made-up one.
        self.fields["group"].queryset = AthleteGroup.objects.filter(coach=coach)

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {
            "search": data.get("q", ""),
            "group": data.get("group"),
            "attention": data.get("attention", False),
            "sort": data.get("sort") or Sort.ATTENTION,
        }


@require_GET
@coach_required
def roster(request: HttpRequest) -> HttpResponse:
    """Every athlete's week, trend, flags, pain and what comes next, a page at a time;
    htmx asks for the table alone when a filter or the page changes. A page past the last
    shows the last, as a link kept from a longer roster expects.

    Kept whole under the squad's version (``programs.caching``) and the query: built
    again when any athlete's data, a group or an invitation changes, and then only the
    changed athletes' rows are read again."""
    coach = request.user
    fragment = bool(request.htmx and request.htmx.target == "roster")

    def context() -> dict:
        form = RosterFilterForm(request.GET, coach=coach)
        filters = form.filters()
        entries = roster_entries(coach)
        shown = roster_select(entries, **filters)
        page = Paginator(shown, ROSTER_PAGE_SIZE).get_page(request.GET.get("page"))
        # The page links keep the filters and the sort.
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "rows": roster_page_rows(coach, page.object_list),
            "page": page,
            "page_query": query.urlencode(),
            "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2),
            "matched": len(shown),
            "total": len(entries),
            "attention_count": sum(1 for entry in entries if entry.attention),
            "sort": filters["sort"],
        }
        if not fragment:
            context["groups"] = form.fields["group"].queryset
            context["invitations"] = list(
                Invitation.objects.for_coach(coach)
                .pending()
                .select_related("group")
                .order_by("-created_at")
            )
            context["pending_invitations"] = len(context["invitations"])
        return context

    key = pagecache.key(
        "roster",
        coach.pk,
        coach.distance_unit,
        caching.squad_version(coach),
        fragment,
        hashlib.sha256(request.get_full_path().encode()).hexdigest()[:16],
        # An invitation expires with no write to move a version on: the page is built
        # again each hour, so "valid until" turns to "expired" within the hour.
        timezone.now().strftime("%Y%m%d%H"),
    )
    template = "programs/roster.html#roster" if fragment else "programs/roster.html"
    response = pagecache.render_cached(request, template, key, context)
    # One URL, two bodies: a cache must not serve the fragment as the page.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@coach_required
def coach_athlete_detail(request: HttpRequest, athlete_id: int) -> HttpResponse:
    """Everything about one athlete on one page: flags first, the races ahead without a
    priority, then this week, recent logs against the plan, pain, 1RMs, progress and the
    blocks they are on."""
    athlete = get_athlete_for_coach(request.user, athlete_id)
    coaches = (
        CoachingLink.objects.active()
        .filter(athlete=athlete)
        .select_related("coach")
        .order_by("started_at")
    )
    assignments = (
        Assignment.objects.filter(athlete=athlete)
        .select_related("block")
        .annotate(session_count=Count("sessions"))
    )
    flags = Flag.objects.for_athlete(athlete).by_urgency()
    return render(
        request,
        "programs/coach_athlete_detail.html",
        {
            "athlete": athlete,
            "links": coaches,
            "assignments": assignments,
            "open_flags": [f for f in flags if not f.acknowledged],
            "acknowledged_flags": [f for f in flags if f.acknowledged],
            "back": request.get_full_path(),
            **athlete_overview(athlete, reader=request.user),
        },
    )
