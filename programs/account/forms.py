from django import forms
from django.utils.translation import gettext_lazy as _

from athletes.models import User


class AccountDeleteForm(forms.Form):
    """Deleting an account asks for its password again: a phone left signed in on a
    bench should not be enough to erase someone's training history."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("That is not your password. Nothing was deleted."), code="wrong_password"
            )
        return password
