"""An exercise's demonstration: a file a curator uploads in the admin (its type read from
its bytes), or an https link; shown on the exercise's page."""

from html.parser import HTMLParser
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from library.models import Exercise
from programs.demo import curators_group
from tests.factories import ExerciseFactory
from tests.library.test_admin import _change_form_data
from tests.library.test_proposals import PROPOSAL

CHANGELIST = "/admin/library/exercise/"
MB = 1024 * 1024

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 100
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 100
WEBM = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04"
    b"\x42\xf3\x81\x08\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02" + b"\x00" * 100
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def curator_client(curator):
    curator.groups.add(curators_group())
    client = Client()
    client.force_login(curator)
    return client


def _response_ok(response):
    """The admin answers a saved form with a redirect to its list, not to the login page."""
    assert (response.status_code, response["Location"]) == (302, CHANGELIST)


@pytest.fixture
def squat(db):
    return ExerciseFactory(name="Goblet squat", primary=["quadriceps"])


def _upload(client, exercise: Exercise, name: str, content: bytes, **changes):
    return client.post(
        f"{CHANGELIST}{exercise.pk}/change/",
        _change_form_data(
            exercise, demo_file=SimpleUploadedFile(name, content, "image/png"), **changes
        ),
    )


def _stored_files(media_root) -> list[str]:
    demos = media_root / "library" / "demos"
    return sorted(path.name for path in demos.iterdir()) if demos.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "extension", "tag"),
    [
        ("form.jpg", JPEG, ".jpg", "<img"),
        ("form.png", PNG, ".png", "<img"),
        ("form.webp", WEBP, ".webp", "<img"),
        ("form.mp4", MP4, ".mp4", "<video"),
        ("form.webm", WEBM, ".webm", "<video"),
        # Named by what the bytes are, not by what the name says.
        ("holiday.png", JPEG, ".jpg", "<img"),
        ("clip", MP4, ".mp4", "<video"),
    ],
)
def test_a_curator_uploads_a_demonstration_shown_on_the_exercise_page(
    curator_client, coach_client, squat, media_root, name, content, extension, tag
):
    response = _upload(curator_client, squat, name, content)

    _response_ok(response)
    squat.refresh_from_db()
    assert squat.demo_file.name.startswith("library/demos/goblet-squat-")
    assert squat.demo_file.name.endswith(extension)
    assert default_storage.open(squat.demo_file.name).read() == content
    page = coach_client.get(f"/library/{squat.slug}/").content.decode()
    assert f'{tag} src="/media/{squat.demo_file.name}"' in page
    assert "Demonstration of Goblet squat" in page


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.png", b"Just some notes, renamed to look like an image.\n" * 20),
        ("clip.mp4", b"<html><script>alert(1)</script></html>"),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("anim.png", b"GIF89a" + b"\x00" * 100),
        ("photo.jpg", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 50),
        ("clip.mp4", b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 50),
        ("clip.webm", b"\x1a\x45\xdf\xa3\x9f\x42\x82\x88matroska" + b"\x00" * 50),
    ],
)
def test_a_file_that_is_not_an_accepted_image_or_video_is_refused(
    curator_client, squat, media_root, name, content
):
    response = _upload(curator_client, squat, name, content)

    assert response.status_code == 200
    assert (
        f"“{name}” is not a JPEG, PNG or WebP image, nor an MP4 or WebM video "
        "(the file&#x27;s contents were checked, not its name)."
    ) in response.content.decode()
    squat.refresh_from_db()
    assert not squat.demo_file
    assert _stored_files(media_root) == []


@pytest.mark.parametrize(
    ("header", "limit_mb", "message"),
    [
        (PNG, 5, "This PNG image is 5.1 MB: too large. The limit is 5 MB."),
        (MP4, 25, "This MP4 video is 25.1 MB: too large. The limit is 25 MB."),
    ],
)
def test_a_file_past_its_types_limit_is_refused(
    curator_client, squat, media_root, header, limit_mb, message
):
    content = header + b"\x00" * (limit_mb * MB + 1 - len(header))

    response = _upload(curator_client, squat, "big.bin", content)

    assert response.status_code == 200
    assert message in response.content.decode()
    squat.refresh_from_db()
    assert not squat.demo_file
    assert _stored_files(media_root) == []


def test_a_file_at_its_limit_is_accepted(curator_client, squat):
    response = _upload(curator_client, squat, "big.png", PNG + b"\x00" * (5 * MB - len(PNG)))

    _response_ok(response)
    squat.refresh_from_db()
    assert squat.demo_file.size == 5 * MB


def test_an_empty_file_is_refused(curator_client, squat):
    response = _upload(curator_client, squat, "empty.png", b"")

    assert response.status_code == 200
    assert "The submitted file is empty." in response.content.decode()
    squat.refresh_from_db()
    assert not squat.demo_file


def test_a_replaced_or_cleared_demonstration_file_is_deleted(
    curator_client, squat, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(curator_client, squat, "first.png", PNG)
    squat.refresh_from_db()
    first = squat.demo_file.name

    with django_capture_on_commit_callbacks(execute=True):
        _response_ok(_upload(curator_client, squat, "second.mp4", MP4))
    squat.refresh_from_db()
    second = squat.demo_file.name
    assert second.endswith(".mp4")
    assert not default_storage.exists(first)
    assert _stored_files(media_root) == [second.rsplit("/", 1)[1]]

    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(
            f"{CHANGELIST}{squat.pk}/change/", _change_form_data(squat, **{"demo_file-clear": "on"})
        )
    _response_ok(response)
    squat.refresh_from_db()
    assert not squat.demo_file
    assert _stored_files(media_root) == []


def test_an_edit_that_does_not_touch_the_file_keeps_it(curator_client, squat, media_root):
    _upload(curator_client, squat, "form.png", PNG)
    squat.refresh_from_db()
    name = squat.demo_file.name

    response = curator_client.post(
        f"{CHANGELIST}{squat.pk}/change/", _change_form_data(squat, cues="Elbows inside knees")
    )

    _response_ok(response)
    squat.refresh_from_db()
    assert (squat.demo_file.name, squat.cues) == (name, "Elbows inside knees")
    assert default_storage.exists(name)


def test_the_change_form_offers_the_upload_with_its_rules(curator_client, squat):
    page = curator_client.get(f"{CHANGELIST}{squat.pk}/change/").content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert 'accept="image/jpeg,image/png,image/webp,video/mp4,video/webm"' in page
    assert "A JPEG, PNG or WebP image up to 5 MB, or an MP4 or WebM video up to 25 MB." in page


# Links


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://www.youtube.com/watch?v=abc", "Use a secure link, starting with https://."),
        ("ftp://example.com/squat.mp4", "Use a secure link, starting with https://."),
        ("javascript:alert(1)", "Enter a valid URL."),
    ],
)
def test_a_proposal_link_must_be_https(coach_client, db, url, error):
    response = coach_client.post("/library/propose/", {**PROPOSAL, "demo_url": url})

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Exercise.objects.exists()


def test_a_curator_link_must_be_https(curator_client, squat):
    response = curator_client.post(
        f"{CHANGELIST}{squat.pk}/change/",
        _change_form_data(squat, demo_url="http://vimeo.com/123"),
    )

    assert response.status_code == 200
    assert "Use a secure link, starting with https://." in response.content.decode()
    squat.refresh_from_db()
    assert squat.demo_url == ""


def test_an_https_link_is_shown_as_a_plain_link_never_embedded(coach_client, db):
    response = coach_client.post(
        "/library/propose/",
        {**PROPOSAL, "demo_url": "https://www.youtube.com/watch?v=abc"},
        follow=True,
    )

    page = response.content.decode()
    assert (
        '<a href="https://www.youtube.com/watch?v=abc" rel="noopener noreferrer" '
        'target="_blank">Watch a demo on youtube.com'
    ) in page
    assert "<iframe" not in page
    assert "<video" not in page


def test_an_exercise_without_a_demonstration_shows_no_demonstration_section(coach_client, squat):
    page = coach_client.get(f"/library/{squat.slug}/").content.decode()

    assert "Demonstration" not in page


def test_a_file_and_a_link_are_both_shown(curator_client, coach_client, squat):
    _upload(curator_client, squat, "form.webm", WEBM, demo_url="https://vimeo.com/123")

    page = coach_client.get(f"/library/{squat.slug}/").content.decode()

    assert "<video" in page
    assert "Watch a demo on vimeo.com" in page


def test_the_migration_makes_stored_http_links_https(db):
    plain = ExerciseFactory(name="Plain", demo_url="http://example.com/plain")
    secure = ExerciseFactory(name="Secure", demo_url="https://example.com/secure")
    at_limit = ExerciseFactory(name="Long", demo_url="http://example.com/" + "a" * 181)
    none = ExerciseFactory(name="None", demo_url="")

    import_module("library.migrations.0003_demonstrations").links_to_https(django_apps, None)

    assert [Exercise.objects.get(pk=e.pk).demo_url for e in (plain, secure, at_limit, none)] == [
        "https://example.com/plain",
        "https://example.com/secure",
        at_limit.demo_url,
        "",
    ]


# The propose form and its 55 checkboxes


class _Fieldsets(HTMLParser):
    """For each checkbox, the legends of the fieldsets around it, outermost first."""

    def __init__(self):
        super().__init__()
        self.stack: list[list[str]] = []
        self.in_legend = False
        self.checkboxes: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "fieldset":
            self.stack.append([])
        elif tag == "legend":
            self.in_legend = True
        elif tag == "input" and attrs.get("type") == "checkbox" and "value" in attrs:
            legends = ["".join(parts).strip() for parts in self.stack]
            self.checkboxes[f"{attrs['name']}={attrs['value']}"] = legends

    def handle_endtag(self, tag):
        if tag == "fieldset":
            self.stack.pop()
        elif tag == "legend":
            self.in_legend = False

    def handle_data(self, data):
        if self.in_legend and self.stack:
            self.stack[-1].append(data)


def test_the_propose_form_groups_its_checkboxes_under_legends(coach_client):
    response = coach_client.get("/library/propose/")

    parser = _Fieldsets()
    parser.feed(response.content.decode())
    groups = {
        name: {tuple(legends) for key, legends in parser.checkboxes.items() if key.startswith(name)}
        for name in ("primary_muscles", "secondary_muscles", "equipment")
    }
    assert groups == {
        "primary_muscles": {("Muscles", "Primary muscles*")},
        "secondary_muscles": {("Muscles", "Secondary muscles")},
        "equipment": {("Equipment*",)},
    }
    assert len(parser.checkboxes) == 55
    assert response.content.decode().count('class="choice-columns"') == 3


def test_the_propose_form_shows_a_groups_error_inside_its_fieldset(coach_client, db):
    response = coach_client.post(
        "/library/propose/", {**PROPOSAL, "primary_muscles": [], "equipment": []}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        '<fieldset class="mb-4" id="id_primary_muscles" '
        'aria-describedby="id_primary_muscles_error">'
    ) in page
    assert '<div class="invalid-feedback d-block" id="id_equipment_error">' in page
    # What was ticked stays ticked.
    assert 'name="secondary_muscles" value="hip_abductors" class="form-check-input"' in page
    assert 'value="hip_abductors" class="form-check-input" id="id_secondary_muscles_7" checked' in (
        page
    )


def test_the_exercise_page_names_primary_and_secondary_muscles_in_words(coach_client, db):
    ExerciseFactory(name="Split squat", primary=["quadriceps"], secondary=["glutes"])
    ExerciseFactory(name="Calf raise", primary=["calves"])

    split = coach_client.get("/library/split-squat/").content.decode()
    calf = coach_client.get("/library/calf-raise/").content.decode()

    assert (
        '<dt class="col-sm-3">Secondary muscles</dt>\n  <dd class="col-sm-9">'
        '<span class="badge text-bg-light border me-1">Glutes</span></dd>'
    ) in split
    assert '<dt class="col-sm-3">Secondary muscles</dt>\n  <dd class="col-sm-9">None</dd>' in calf


class TestServingTheFile:
    """/media/<name> serves a demonstration to whoever may open its exercise: in production
    too, where WhiteNoise serves only the static files."""

    def test_the_file_is_served_with_its_type_and_kept_long(self, squat, athlete_client):
        squat.demo_file.save("form.png", SimpleUploadedFile("form.png", PNG))

        response = athlete_client.get(squat.demo_file.url)

        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == squat.demo_file.open("rb").read()
        assert "immutable" in response["Cache-Control"]

    def test_nothing_else_under_media_is_served(self, squat, athlete_client, media_root):
        squat.demo_file.save("form.png", SimpleUploadedFile("form.png", PNG))
        (media_root / "secret.txt").write_text("not a demonstration")

        assert athlete_client.get("/media/secret.txt").status_code == 404
        assert athlete_client.get("/media/../config/settings.py").status_code == 404
        assert athlete_client.get("/media/library/demos/gone.png").status_code == 404

    def test_a_file_gone_from_storage_is_404_not_500(self, squat, athlete_client):
        squat.demo_file.save("form.png", SimpleUploadedFile("form.png", PNG))
        default_storage.delete(squat.demo_file.name)

        assert athlete_client.get(squat.demo_file.url).status_code == 404

    def test_signed_out_people_are_sent_to_sign_in(self, squat, client):
        squat.demo_file.save("form.png", SimpleUploadedFile("form.png", PNG))

        response = client.get(squat.demo_file.url)

        assert response.status_code == 302
