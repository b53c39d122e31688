from django import forms

from athletes.models import User
from programs.models import NotificationSettings

ATHLETE_FIELDS = ("evening_before", "weekly_summary")
COACH_FIELDS = ("coach_digest",)


class NotificationSettingsForm(forms.ModelForm):
    """The e-mails a person may ask for: reminders for an athlete, the digest for a coach
    (both for someone who is both)."""

    class Meta:
        model = NotificationSettings
        fields = ("evening_before", "weekly_summary", "coach_digest")

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = (ATHLETE_FIELDS if user.is_athlete else ()) + (
            COACH_FIELDS if user.is_coach else ()
        )
        for name in list(self.fields):
            if name not in allowed:
                del self.fields[name]
