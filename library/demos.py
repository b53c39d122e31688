"""An exercise's demonstration: a short video or an image a curator uploads, or a link.

An upload's type is read from its first bytes, never from its name or the browser's word
for it, and the stored file is named by that type, so it is served as what it is."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.utils.text import slugify
from django.utils.translation import gettext as _

MB = 1024 * 1024
UPLOAD_DIR = "library/demos"
# Enough to tell every accepted type apart (WebM names its doctype within its header).
SNIFF_BYTES = 64


class DemoKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"


class DemoError(StrEnum):
    """Stable codes of the ValidationErrors a demonstration raises."""

    EMPTY = "demo_empty"
    UNSUPPORTED = "demo_unsupported"
    TOO_LARGE = "demo_too_large"
    NAME_MISMATCH = "demo_name_mismatch"
    NOT_HTTPS = "demo_url_not_https"


@dataclass(frozen=True)
class DemoType:
    label: str
    kind: DemoKind
    content_type: str
    extension: str
    max_bytes: int


JPEG = DemoType("JPEG image", DemoKind.IMAGE, "image/jpeg", ".jpg", 5 * MB)
PNG = DemoType("PNG image", DemoKind.IMAGE, "image/png", ".png", 5 * MB)
WEBP = DemoType("WebP image", DemoKind.IMAGE, "image/webp", ".webp", 5 * MB)
MP4 = DemoType("MP4 video", DemoKind.VIDEO, "video/mp4", ".mp4", 25 * MB)
WEBM = DemoType("WebM video", DemoKind.VIDEO, "video/webm", ".webm", 25 * MB)
DEMO_TYPES = (JPEG, PNG, WEBP, MP4, WEBM)
ACCEPT = ",".join(demo_type.content_type for demo_type in DEMO_TYPES)
_BY_EXTENSION = {demo_type.extension: demo_type for demo_type in DEMO_TYPES}

# ISO base media files start with an "ftyp" box naming a brand. These brands are MP4
# video; others in the same container are not (HEIC/AVIF images, QuickTime .mov).
_MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso3",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"mmp4",
    b"dash",
    b"MSNV",
}


def sniff(head: bytes) -> DemoType | None:
    """The accepted type the first bytes of a file announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and head[8:12] in _MP4_BRANDS:
        return MP4
    # Matroska's EBML header, whose DocType element (id 42 82) says "webm", not "matroska".
    doctype = head.find(b"\x42\x82")
    if (
        head.startswith(b"\x1a\x45\xdf\xa3")
        and doctype > 0
        and b"webm" in head[doctype : doctype + 12]
    ):
        return WEBM
    return None


def type_of_name(name: str) -> DemoType | None:
    """The type a stored demonstration has (its name was given from its bytes)."""
    return _BY_EXTENSION.get(PurePosixPath(name).suffix.lower())


def _read_head(file: File) -> bytes:
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    return head


def check_upload(file: File) -> DemoType:
    """The type of an uploaded demonstration, or a ValidationError that says what is
    accepted. The size is checked after the type, so the limit quoted is that type's."""
    if not file.size:
        raise ValidationError(_("The file is empty."), code=DemoError.EMPTY)
    demo_type = sniff(_read_head(file))
    if demo_type is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a JPEG, PNG or WebP image, nor an MP4 or WebM video "
                "(the file's contents were checked, not its name)."
            ),
            code=DemoError.UNSUPPORTED,
            params={"name": PurePosixPath(file.name or "").name},
        )
    if file.size > demo_type.max_bytes:
        raise ValidationError(
            _("This %(type)s is %(size)s MB: too large. The limit is %(limit)s MB."),
            code=DemoError.TOO_LARGE,
            params={
                "type": demo_type.label,
                # Rounded up, so a file just past the limit never reads as at it.
                "size": f"{math.ceil(file.size * 10 / MB) / 10:.1f}",
                "limit": demo_type.max_bytes // MB,
            },
        )
    return demo_type


def validate_demo_file(value) -> None:
    """The model's check, for every write path that calls full_clean: a new upload must be
    an accepted type, named by that type. A file already stored is not read again."""
    if not value or getattr(value, "_committed", True):
        return
    demo_type = check_upload(value)
    if type_of_name(value.name) != demo_type:
        raise ValidationError(
            _("The file's name must end in %(extension)s, as it is a %(type)s."),
            code=DemoError.NAME_MISMATCH,
            params={"extension": demo_type.extension, "type": demo_type.label},
        )


def name_upload(file: File, demo_type: DemoType) -> None:
    """Give an accepted upload the extension of its real type before it is stored."""
    stem = slugify(PurePosixPath(file.name or "").stem)[:40] or "demo"
    file.name = f"{stem}{demo_type.extension}"


def demo_upload_to(instance, filename: str) -> str:
    # A random part: a replaced demonstration gets a new address, so no cache shows the old.
    stem = slugify(instance.slug or instance.name)[:60] or "exercise"
    return f"{UPLOAD_DIR}/{stem}-{secrets.token_hex(4)}{PurePosixPath(filename).suffix.lower()}"


def validate_https_url(value: str) -> None:
    """Links are https only. Another scheme the URL validator would let through (http,
    ftp) gets this message; anything else is left to the URL validator's own."""
    scheme = urlsplit(value).scheme.lower()
    if scheme != "https" and scheme in URLValidator.schemes:
        raise ValidationError(
            _("Use a secure link, starting with https://."), code=DemoError.NOT_HTTPS
        )


def link_host(url: str) -> str:
    """The site a link goes to, as people know it: "youtube.com"."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.").removeprefix("m.")
