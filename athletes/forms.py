import logging
from typing import override

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
    PasswordResetForm,
    SetPasswordMixin,
)
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from athletes import throttle
from athletes.models import AthleteGroup, User
from athletes.tasks import password_reset_email_send
from config.formfields import ModelChoiceField
from config.textfiles import TextFileField, decode_text_file

logger = logging.getLogger(__name__)


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with email and password, refusing after repeated failures."""

    throttled = False

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That email and password do not match. Passwords are case-sensitive."),
        "throttled": _(
            "Too many failed sign-in attempts. Wait %(minutes)s minute(s) and try again, "
            "or reset your password."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email")
        # AuthenticationForm sets max_length after the field is built, so nothing checks
        # it: a 10,000-character "email" went on to the throttle's 300-character key.
        self.fields["username"].validators.append(MaxLengthValidator(User.email.field.max_length))
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True, "inputmode": "email"}
        )

    def clean(self):
        email = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request) if self.request else "unknown"
        wait = throttle.seconds_until_allowed(email=email, address=address)
        if wait:
            self.throttled = True
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": max(1, -(-wait // 60))},
            )
        # The attempt is counted already; a success is taken back by the view, on a valid
        # form only: a post with an empty password passes clean() without a check and must
        # not clear the account's count.
        try:
            return super().clean()
        except ValidationError:
            throttle.record_failure(email=email, address=address)
            raise


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, its email sent by the background worker.

    The task gets the account's id and the site, never the token: the worker makes a fresh
    one when it sends, so no token waits on the queue (a database table, or Redis)."""

    @override
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # Straight onto the queue: the request writes nothing the task must wait for.
        try:
            password_reset_email_send.enqueue(
                user_id=context["user"].pk,
                domain=context["domain"],
                site_name=context["site_name"],
                protocol=context["protocol"],
                subject_template_name=subject_template_name,
                email_template_name=email_template_name,
                html_email_template_name=html_email_template_name,
                from_email=from_email,
            )
        except Exception:
            # The page says the same whether or not an account exists, so a queue that
            # cannot take the email (Redis unreachable) is logged, not shown.
            logger.exception(
                "Password reset for user %s: its email could not be queued.", context["user"].pk
            )


class SignupRole(models.TextChoices):
    """Who signs up: a coach of runners, or a runner who coaches themselves (their own
    coach, with the coach's screens and the athlete's)."""

    COACH = "coach", _("I coach runners")
    SELF_COACHED = "self", _("I'm a runner coaching myself")


class CoachSignupForm(BaseUserCreationForm):
    role = forms.ChoiceField(
        label=_("You are"),
        choices=SignupRole.choices,
        initial=SignupRole.COACH,
        widget=forms.RadioSelect,
        # A form posted without the choice (an older page) signs up a coach, as it did.
        required=False,
    )
    field_order = ("role", "name", "email", "password1", "password2")

    class Meta:
        model = User
        fields = ("name", "email")
        labels = {"name": _("Your name"), "email": _("Email")}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's form autofocuses the email too; a page has one autofocus: the name.
        self.fields["email"].widget.attrs.pop("autofocus", None)

    def clean_role(self) -> str:
        return self.cleaned_data["role"] or SignupRole.COACH

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"].strip()).lower()
        if User.objects.by_email(email).exists():
            raise ValidationError(
                _("An account with this email already exists. Sign in instead."),
                code="duplicate_email",
            )
        return email


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Athlete's email"))
    name = forms.CharField(label=_("Athlete's name (optional)"), max_length=150, required=False)
    group = ModelChoiceField(
        label=_("Group (optional)"), queryset=AthleteGroup.objects.none(), required=False
    )

    def __init__(self, *args, coach: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = AthleteGroup.objects.filter(coach=coach)

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"].strip()).lower()


class AcceptInvitationForm(SetPasswordMixin, forms.Form):
    """An invited athlete names themselves and picks a password."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Choose a password"), label2=_("Password again")
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["name"].widget.attrs.update({"autocomplete": "name", "autofocus": True})

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        candidate = User(email=self.email, name=cleaned.get("name", ""))
        self.validate_password_for_user(candidate)
        return cleaned


class AccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("name", "time_zone", "weight_unit", "distance_unit")


LIST_MAX_BYTES = 1024 * 1024


class InvitationListForm(forms.Form):
    """Several athletes at once: pasted lines, or a CSV file, each with a group."""

    text = forms.CharField(
        label=_("Emails, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "“ana@example.com”, “Ana Ruiz, ana@example.com” or "
            "“Ana Ruiz, ana@example.com, Marathon squad” (the group is made if new)."
        ),
    )
    file = TextFileField(
        max_bytes=LIST_MAX_BYTES,
        label=_("…or a CSV file with columns email, name, group"),
        required=False,
    )
    group = ModelChoiceField(
        label=_("Group for lines without one"), queryset=AthleteGroup.objects.none(), required=False
    )

    def __init__(self, *args, coach: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = AthleteGroup.objects.filter(coach=coach)

    def clean(self):
        data = super().clean()
        text = data.get("text") or ""
        if data.get("file"):
            try:
                text += "\n" + decode_text_file(
                    data["file"].read(), max_bytes=LIST_MAX_BYTES, error=forms.ValidationError
                )
            except forms.ValidationError as error:
                self.add_error("file", error)
        if not self.errors and not text.strip():
            raise forms.ValidationError(_("Paste some emails or choose a CSV file."))
        data["list"] = text
        return data


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=80)
