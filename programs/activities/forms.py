from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from programs.activities.archive import MAX_ARCHIVE_BYTES, is_archive
from programs.activities.parsing import MAX_FILE_BYTES, megabytes

# Django refuses a request with more files than DATA_UPLOAD_MAX_NUMBER_FILES (100): more
# than that come as a zip, which is how the apps export them anyway.
MAX_FILES_PER_UPLOAD = 100
MAX_UPLOAD_BYTES = MAX_ARCHIVE_BYTES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ActivityFilesField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise ValidationError(_("Choose at least one file."), code="required")
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise ValidationError(
                _("At most %(count)s files at once; put more in a .zip."),
                params={"count": MAX_FILES_PER_UPLOAD},
                code="too_many",
            )
        cleaned = [super(ActivityFilesField, self).clean(file) for file in files]
        total = sum(file.size for file in cleaned)
        if total > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The files come to %(size)s; the limit is %(limit)s."),
                params={"size": megabytes(total), "limit": megabytes(MAX_UPLOAD_BYTES)},
                code="too_large",
            )
        return cleaned


class ActivityUploadForm(forms.Form):
    files = ActivityFilesField(
        label=_("Activity files"),
        help_text=_(
            "FIT, GPX or TCX files from a watch or app, or a .zip of them (a Garmin or "
            "Strava export). Up to %(size)s a file."
        )
        % {"size": megabytes(MAX_FILE_BYTES)},
        widget=MultipleFileInput(attrs={"accept": ".fit,.gpx,.tcx,.zip,.gz"}),
    )
    assume_run = forms.BooleanField(
        label=_("These are runs"),
        help_text=_("Most GPX files don't say which sport they record: import them as runs."),
        required=False,
    )

    def uploads(self) -> list[tuple[str, bytes]]:
        """(name, bytes) of each file; a zip's bytes are read whole, as the reader needs."""
        return [(file.name, file.read()) for file in self.cleaned_data["files"]]


def small_single_file(uploads: list[tuple[str, bytes]], *, limit: int) -> bool:
    """One activity file small enough to import while the browser waits."""
    return len(uploads) == 1 and not is_archive(uploads[0][1]) and len(uploads[0][1]) <= limit
