from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from athletes import services, throttle
from athletes.forms import (
    AcceptInvitationForm,
    AccountForm,
    CoachSignupForm,
    EmailAuthenticationForm,
    GroupForm,
    InvitationForm,
    InvitationListForm,
    SignupRole,
)
from athletes.models import AthleteGroup, AthleteProfile, Invitation, User
from athletes.permissions import (
    get_active_link_for_coach,
    get_group_for_coach,
    get_invitation_for_coach,
)
from config.formfields import valid_ids
from config.roles import coach_required

INVALID_INVITATION_STATUS = {"unknown": 404, "used": 410, "revoked": 410, "expired": 410}


class ThrottledLoginView(LoginView):
    """Django's sign-in, answering 429 while the account or address is throttled."""

    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        throttle.record_success(
            email=form.cleaned_data["username"], address=throttle.client_address(self.request)
        )
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response


@require_http_methods(["GET", "POST"])
@login_not_required
def signup(request: HttpRequest) -> HttpResponse:
    """A coach, or a runner who coaches themselves, creates an account. Athletes with a
    coach join through their coach's invitation."""
    if request.user.is_authenticated:
        return redirect("home")
    # ?role=self preselects the runner's choice, for links that speak to runners.
    initial = {"role": request.GET["role"]} if request.GET.get("role") in SignupRole else {}
    form = CoachSignupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        self_coached = data["role"] == SignupRole.SELF_COACHED
        create = services.self_coached_signup if self_coached else services.coach_signup
        user = create(email=data["email"], name=data["name"], password=data["password1"])
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        if self_coached:
            messages.success(request, f"Welcome, {user.get_short_name()}. Pick your first block.")
            return redirect("get_started")
        messages.success(request, f"Welcome, {user.get_short_name()}. Invite your first athlete.")
        return redirect("coach_home")
    return render(request, "athletes/signup.html", {"form": form})


def _site_url(request: HttpRequest) -> str:
    """Where links in emails point: this site, as the request reached it."""
    return request.build_absolute_uri("/")


def _pending_invitations(request: HttpRequest) -> list[Invitation]:
    """The coach's invitations still waiting; one whose email failed carries its link
    again (``share_link``) for the coach to pass on."""
    invitations = list(
        Invitation.objects.for_coach(request.user)
        .pending()
        .select_related("group")
        .order_by("-created_at")
    )
    for invitation in invitations:
        invitation.share_link = (
            invitation.link(site_url=_site_url(request))
            if invitation.email_failed_at and not invitation.is_expired
            else None
        )
    return invitations


def _invitations_context(request: HttpRequest, **forms) -> dict:
    coach = request.user
    return {
        "form": forms.get("form") or InvitationForm(coach=coach),
        "list_form": forms.get("list_form") or InvitationListForm(coach=coach),
        "invitations": _pending_invitations(request),
        "groups": AthleteGroup.objects.filter(coach=coach),
        **{k: v for k, v in forms.items() if k not in {"form", "list_form"}},
    }


@require_http_methods(["GET", "POST"])
@coach_required
def invitations(request: HttpRequest) -> HttpResponse:
    """Invite one athlete; see, resend or withdraw the invitations still waiting."""
    form = InvitationForm(request.POST or None, coach=request.user)
    sent = None
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.invitation_create(
                coach=request.user,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                group=form.cleaned_data["group"],
                site_url=_site_url(request),
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            if not request.htmx:
                _say_sent(request, sent, f"Invitation sent to {sent.invitation.email}.")
                return redirect("invitations")
            form = InvitationForm(coach=request.user)
    context = _invitations_context(
        request,
        form=form,
        link=sent.link if sent else None,
        email_failed=sent is not None and sent.email_failed,
    )
    template = "athletes/invitations.html"
    if request.htmx and request.method == "POST":
        template += "#invite"
    return render(request, template, context)


@require_POST
@coach_required
def invitations_many(request: HttpRequest) -> HttpResponse:
    """Invite a pasted list or a CSV of athletes, each line answered with its link or why
    it was not sent."""
    list_form = InvitationListForm(request.POST, request.FILES, coach=request.user)
    lines = None
    if list_form.is_valid():
        try:
            lines = services.invitations_create_many(
                coach=request.user,
                lines=services.parse_invitation_list(list_form.cleaned_data["list"]),
                default_group=list_form.cleaned_data["group"],
                site_url=_site_url(request),
            )
        except ValidationError as error:
            list_form.add_error(None, error.messages)
    context = _invitations_context(request, list_form=list_form, lines=lines)
    if lines is not None:
        context["sent"] = sum(1 for line in lines if line.link)
        context["unmailed"] = sum(1 for line in lines if line.email_failed)
    return render(request, "athletes/invitations.html", context)


@require_POST
@coach_required
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_invitation_for_coach(request.user, invitation_id)
    try:
        sent = services.invitation_resend(invitation=invitation, site_url=_site_url(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        _say_sent(request, sent, f"Sent again to {sent.invitation.email}, with a new link.")
    return redirect("invitations")


def _say_sent(request: HttpRequest, sent: services.InvitationSent, done: str) -> None:
    """The link, always: with the mail server down it is the only way the athlete gets it."""
    if sent.email_failed:
        messages.warning(
            request,
            f"The invitation is made, but the email to {sent.invitation.email} could not be "
            f"sent. Share this link with them yourself: {sent.link}",
        )
    else:
        messages.success(request, f"{done} Link to share: {sent.link}")


@require_http_methods(["GET", "POST"])
@coach_required
def groups(request: HttpRequest) -> HttpResponse:
    """The coach's groups, and a new one."""
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(coach=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error.messages)
        else:
            messages.success(request, f"Group “{group.name}” made: pick its athletes.")
            return redirect("group_detail", group.pk)
    return render(
        request,
        "athletes/group_list.html",
        {
            "form": form,
            "groups": AthleteGroup.objects.filter(coach=request.user).annotate(
                size=Count("athletes")
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@coach_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    """Rename a group and pick its athletes."""
    group = get_group_for_coach(request.user, group_id)
    athletes = (
        AthleteProfile.objects.coached_by(request.user)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    form = GroupForm(request.POST or None, initial={"name": group.name})
    members = {a.pk for a in group.athletes.all()}
    if request.method == "POST" and form.is_valid():
        chosen = set(valid_ids(request.POST.getlist("athletes")))
        try:
            services.group_update(
                group=group,
                name=form.cleaned_data["name"],
                athletes=[a for a in athletes if a.pk in chosen],
            )
        except ValidationError as error:
            form.add_error("name", error.messages)
        else:
            messages.success(request, f"Saved “{group.name}”.")
            return redirect("groups")
        members = chosen
    return render(
        request,
        "athletes/group_detail.html",
        {"group": group, "form": form, "athletes": athletes, "members": members},
    )


@require_POST
@coach_required
def group_delete(request: HttpRequest, group_id: int) -> HttpResponse:
    group = get_group_for_coach(request.user, group_id)
    services.group_delete(group=group)
    messages.info(request, f"Group “{group.name}” deleted; its athletes stay.")
    return redirect("groups")


@require_POST
@coach_required
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_invitation_for_coach(request.user, invitation_id)
    services.invitation_revoke(invitation=invitation)
    messages.info(request, f"Invitation to {invitation.email} withdrawn.")
    return redirect("invitations")


@require_POST
@coach_required
def coaching_end(request: HttpRequest, athlete_id: int) -> HttpResponse:
    link = get_active_link_for_coach(request.user, athlete_id)
    services.coaching_link_end(link=link)
    messages.info(request, f"You no longer coach {link.athlete.user}. Their history is kept.")
    return redirect("coach_home")


@require_http_methods(["GET", "POST"])
@login_not_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link an invited athlete opens, usually on a phone."""
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationError as error:
        return _invitation_invalid(request, error)

    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            return render(
                request,
                "athletes/invitation_wrong_user.html",
                {"invitation": invitation},
                status=403,
            )
        if request.method == "POST":
            try:
                services.invitation_accept_existing_user(token=token, user=user)
            except services.InvitationError as error:
                return _invitation_invalid(request, error)
            messages.success(request, f"{invitation.coach.name} is now your coach.")
            return redirect("athlete_home")
        return render(request, "athletes/invitation_confirm.html", {"invitation": invitation})

    if User.objects.by_email(invitation.email).exists():
        return render(request, "athletes/invitation_sign_in.html", {"invitation": invitation})

    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"name": invitation.name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept_new_user(
                token=token,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationError as error:
            return _invitation_invalid(request, error)
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(request, f"Welcome to RunStrong. {invitation.coach.name} is your coach.")
        return redirect("athlete_home")
    return render(
        request, "athletes/invitation_accept.html", {"invitation": invitation, "form": form}
    )


def _invitation_invalid(request: HttpRequest, error: services.InvitationError) -> HttpResponse:
    return render(
        request,
        "athletes/invitation_invalid.html",
        {"message": error.message, "code": error.code},
        status=INVALID_INVITATION_STATUS.get(error.code, 400),
    )


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("account")
    return render(request, "athletes/account.html", {"form": form})


@require_POST
def coach_role_add(request: HttpRequest) -> HttpResponse:
    services.coach_role_add(user=request.user)
    messages.success(request, "You can now invite and coach athletes.")
    return redirect("coach_home")
