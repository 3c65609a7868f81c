"""Logo images (SPEC §6): PNG, JPEG or WebP only, at most LOGO_MAX_BYTES, decoded by
Pillow (never trusted by name), re-encoded without metadata at 512 px and 64 px."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP"}
LARGE_SIZE = 512
THUMB_SIZE = 64
# Pixel ceiling for a 5 MB logo: refuse decompression bombs before decoding them.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class LogoImages:
    large: ContentFile
    thumb: ContentFile


def _error(message: str) -> ValidationError:
    return ValidationError({"logo": ValidationError(message, code="invalid")})


def process_logo(upload: Any) -> LogoImages:
    if upload is None:
        raise _error(_("Choose an image file."))
    if upload.size > settings.LOGO_MAX_BYTES:
        raise _error(
            _("The image is %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.LOGO_MAX_BYTES),
            }
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in ALLOWED_FORMATS:
                raise _error(_("Only PNG, JPEG or WebP images are accepted."))
            if width * height > MAX_PIXELS:
                raise _error(_("The image has too many pixels."))
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            upright = ImageOps.exif_transpose(image).convert("RGBA")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _error(_("The file is not a valid PNG, JPEG or WebP image.")) from None
    return LogoImages(large=_encode(upright, LARGE_SIZE), thumb=_encode(upright, THUMB_SIZE))


def _encode(image: Image.Image, size: int) -> ContentFile:
    copy = image.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    out = BytesIO()
    # A fresh encode carries no EXIF, GPS or ICC metadata from the upload.
    copy.save(out, format="WEBP", quality=85, method=4)
    return ContentFile(out.getvalue())
