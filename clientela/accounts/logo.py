"""Logo images (SPEC §6): PNG, JPEG or WebP only, at most LOGO_MAX_BYTES, decoded by
Pillow (never trusted by name), re-encoded without metadata at 512 px and 64 px.

Memory (issue 14): a few KB of PNG can declare 40 million pixels, and decoding them
took a worker from 100 to 600 MB. The header's size is checked before any pixel is
decoded; a JPEG is decoded already reduced (`Image.draft`: 1/2 to 1/8 of its size) so
a camera photo stays small; formats that cannot be decoded reduced (PNG, WebP) get a
much lower ceiling; and the image is shrunk before it is turned and converted."""

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
# Pixel ceilings read from the header, before decoding. A JPEG is decoded at 1/8 of its
# size or less when it is large (a 24-megapixel photo becomes 3 megapixels); PNG and
# WebP are decoded whole, so 2048 x 2048 is their limit (16 MB as RGBA).
MAX_PIXELS = 25_000_000
MAX_FULL_DECODE_PIXELS = 2048 * 2048


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
            limit = MAX_PIXELS if image_format == "JPEG" else MAX_FULL_DECODE_PIXELS
            if width * height > limit:
                raise _error(
                    _("The image has too many pixels: at most %(limit)s megapixels.")
                    % {"limit": f"{limit / 1_000_000:.0f}"}
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload, formats=[image_format]) as image:
            upright = _reduced(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _error(_("The file is not a valid PNG, JPEG or WebP image.")) from None
    return LogoImages(large=_encode(upright, LARGE_SIZE), thumb=_encode(upright, THUMB_SIZE))


def _reduced(image: Image.Image) -> Image.Image:
    """The image decoded at no more than about LARGE_SIZE, upright, in RGBA."""
    if image.format == "JPEG":
        # Decode at 1/2, 1/4 or 1/8 scale, the smallest still at least LARGE_SIZE.
        image.draft("RGB", (LARGE_SIZE, LARGE_SIZE))
    image.load()
    if image.mode not in {"RGB", "RGBA", "L", "LA"}:
        # Palette and 1-bit images cannot be resampled smoothly; at most 2048 x 2048 here.
        image = image.convert("RGBA")
    # thumbnail() first reduces by whole factors (cheap), then resamples.
    image.thumbnail((LARGE_SIZE, LARGE_SIZE), Image.Resampling.LANCZOS)
    return ImageOps.exif_transpose(image).convert("RGBA")


def _encode(image: Image.Image, size: int) -> ContentFile:
    copy = image.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    out = BytesIO()
    # A fresh encode carries no EXIF, GPS or ICC metadata from the upload.
    copy.save(out, format="WEBP", quality=85, method=4)
    return ContentFile(out.getvalue())
