"""What an uploaded file really is (SPEC §6): decided from its content with real parsers,
never from its name or the browser's Content-Type, and checked against an allow-list.

- PDF: `%PDF-` at the start and `%%EOF` near the end.
- PNG, JPEG, WebP, GIF: opened and verified by Pillow, within a pixel limit.
- ZIP containers (by zipfile, starting with a local header): DOCX/XLSX/PPTX by
  `[Content_Types].xml` and their part folders, ODT/ODS by the `mimetype` entry, else a
  plain ZIP; every one checked against decompression bombs by its measured (never its
  declared) expansion and against members with paths outside their folder, and Office
  files with macros refused.
- Text and CSV: UTF-8 or Windows-1252 without control bytes, and nothing anywhere in it
  that looks like HTML, SVG, XML or script (a browser that sniffs could run it).

Everything else (SVG, HTML, executables, unknown binary) is refused.
"""

from __future__ import annotations

import codecs
import copy
import csv
import io
import re
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ZIP = "application/zip"
TEXT = "text/plain"
CSV = "text/csv"

IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}

# Extensions a download may keep for each type; the first is the one given otherwise.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg", "jpe", "jfif"),
    "image/webp": ("webp",),
    "image/gif": ("gif",),
    DOCX: ("docx",),
    XLSX: ("xlsx",),
    PPTX: ("pptx",),
    ODT: ("odt",),
    ODS: ("ods",),
    ZIP: ("zip",),
    TEXT: ("txt", "text", "log", "md", "csv", "tsv"),
    CSV: ("csv", "tsv", "txt"),
}

# Short names for the list's "Type" column.
LABELS = {
    PDF: "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/webp": "WebP",
    "image/gif": "GIF",
    DOCX: "Word",
    XLSX: "Excel",
    PPTX: "PowerPoint",
    ODT: "ODT",
    ODS: "ODS",
    ZIP: "ZIP",
    TEXT: "TXT",
    CSV: "CSV",
}

# What the file picker offers; the server decides anyway.
ACCEPT = (
    ".pdf,.png,.jpg,.jpeg,.webp,.gif,.docx,.xlsx,.pptx,.odt,.ods,.txt,.csv,.zip,"
    "application/pdf,image/png,image/jpeg,image/webp,image/gif,text/plain,text/csv,"
    "application/zip"
)

PDF_TAIL = 1024
TEXT_HEAD = 1024
# Characters kept between chunks when looking for markup: longer than any tag it finds.
MARKUP_OVERLAP = 64
MAX_ZIP_ENTRIES = 10_000
MAX_NESTED_ARCHIVES = 20
# Small members read to tell Office and OpenDocument files apart.
SMALL_MEMBER_BYTES = 256 * 1024
READ_CHUNK = 1024 * 1024
# More than zipfile decompresses beyond what is asked of it (its MIN_READ_SIZE).
READ_AHEAD = 64 * 1024

# Byte values no text file has: C0 controls but tab, newline, form feed, carriage return
# and the old DOS end-of-file mark, plus DEL.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f\x7f]")
# Markup a sniffing browser would render or run.
_MARKUP = re.compile(
    r"<\s*[!?/]?\s*(?:doctype|html|head|body|script|svg|iframe|frame|frameset|object|embed"
    r"|applet|img|image|meta|style|link|base|form|input|math|template|xml|xsl|entity)\b",
    re.IGNORECASE,
)
_EXTENSION = re.compile(r"^[A-Za-z0-9]{1,8}$")
# Characters that do not belong in a file name: control and format characters (among
# them the right-to-left override that disguises "fdp.exe" as "exe.pdf").
_BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}

FALLBACK_NAME = "documento"
MAX_NAME_LENGTH = 255


@dataclass(frozen=True)
class DetectedType:
    mime: str
    charset: str = ""

    @property
    def content_type(self) -> str:
        return f"{self.mime}; charset={self.charset}" if self.charset else self.mime


class RefusedFile(ValidationError):
    """The content is not on the allow-list, or is unsafe; the message says why."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code=code)


def _not_accepted() -> RefusedFile:
    return RefusedFile(
        _(
            "This type of file is not accepted. Accepted: PDF, images (PNG, JPEG, WebP, GIF), "
            "Word, Excel, PowerPoint, OpenDocument text and spreadsheets, text, CSV and ZIP."
        ),
        "type",
    )


# ── Names ─────────────────────────────────────────────────────────────────────────────────


def clean_original_name(name: str) -> str:
    """A file name safe to show and to offer as a download's name: no folders, no control
    or direction characters, not hidden, at most 255 characters with its extension kept."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if ch.isspace() or unicodedata.category(ch) not in _BAD_CATEGORIES
    )
    name = " ".join(name.split())  # tabs, line breaks and runs of spaces: one space
    name = name.strip(" .")
    if not name:
        name = FALLBACK_NAME
    return _cap(name)


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, extension = name.rpartition(".")
    if dot and stem and _EXTENSION.match(extension) and not extension.isdigit():
        return stem, extension
    return name, ""


def _cap(name: str) -> str:
    if len(name) <= MAX_NAME_LENGTH:
        return name
    stem, extension = _split_extension(name)
    suffix = f".{extension}" if extension else ""
    return stem[: MAX_NAME_LENGTH - len(suffix)].rstrip(" .") + suffix


def name_for_type(name: str, mime: str) -> str:
    """`name` with an extension that matches the detected type: a PNG uploaded as
    `page.html` is offered back as `page.png`, so a saved download never opens as HTML."""
    allowed = EXTENSIONS.get(mime, ())
    stem, extension = _split_extension(name)
    if not allowed or extension.lower() in allowed:
        return name
    return _cap(f"{stem}.{allowed[0]}")


# ── Detection ─────────────────────────────────────────────────────────────────────────────


def detect(upload: Any) -> DetectedType:
    """The allowed type of `upload` (a Django File), or RefusedFile saying why not."""
    stream: IO[bytes] = upload.file if hasattr(upload, "file") else upload
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return _pdf(stream, upload.size)
        image = _image(stream)
        if image is not None:
            return image
        stream.seek(0)
        if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            return _zip(stream, upload.size)
        stream.seek(0)
        return _text(stream)
    finally:
        stream.seek(0)


def _pdf(stream: IO[bytes], size: int) -> DetectedType:
    stream.seek(max(0, size - PDF_TAIL))
    if b"%%EOF" not in stream.read():
        raise RefusedFile(_("The PDF is damaged or incomplete (it has no end marker)."), "pdf")
    return DetectedType(PDF)


def _image(stream: IO[bytes]) -> DetectedType | None:
    """The image type if Pillow recognises an allowed format, None if it is no image."""
    try:
        with warnings.catch_warnings():
            # Pillow warns above MAX_IMAGE_PIXELS and raises above twice that: refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream, formats=list(IMAGE_TYPES)) as image:
                image_format = image.format or ""
                width, height = image.size
                limit = Image.MAX_IMAGE_PIXELS
                if limit is not None and width * height > limit:
                    raise _too_many_pixels()
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except UnidentifiedImageError:
        return None
    except (OSError, SyntaxError, ValueError, EOFError):
        # Pillow knows the format but the data is broken.
        raise RefusedFile(_("The image is damaged and cannot be read."), "image") from None
    return DetectedType(IMAGE_TYPES[image_format])


def _too_many_pixels() -> RefusedFile:
    return RefusedFile(_("The image has too many pixels to be safe to open."), "image_bomb")


def _zip(stream: IO[bytes], size: int) -> DetectedType:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise RefusedFile(_("The archive is damaged and cannot be read."), "zip") from None
    with archive:
        entries = archive.infolist()
        _check_bomb(archive, entries, size)
        names = {entry.filename for entry in entries}
        try:
            return _container_type(archive, names)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
            # RuntimeError: an encrypted member we needed to read.
            raise RefusedFile(_("The archive is damaged and cannot be read."), "zip") from None


def _check_bomb(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], size: int) -> None:
    """Refuse archives that expand far beyond their size, with too many entries, with
    archives nested more than one level, or with members that would be written outside
    the folder they are extracted to.

    The expansion is measured, not read from the sizes the archive declares (issue 14: a
    ZIP declaring 1 KB that expands to 300 MB): every member is decompressed as a stream
    and counted, and the count stops as soon as it passes the limit."""
    if len(entries) > MAX_ZIP_ENTRIES:
        raise RefusedFile(
            _("The archive has more than %(count)s files.") % {"count": f"{MAX_ZIP_ENTRIES:,}"},
            "zip_entries",
        )
    for entry in entries:
        _check_member_name(entry.filename)
    nested = [entry for entry in entries if entry.filename.lower().endswith(".zip")]
    if len(nested) > MAX_NESTED_ARCHIVES:
        raise _nested()
    cap = min(
        settings.DOCUMENT_MAX_UNCOMPRESSED_BYTES,
        settings.DOCUMENT_MAX_COMPRESSION_RATIO * max(size, 1),
    )
    total = 0
    for entry in entries:
        if entry.is_dir():
            continue
        if entry in nested:
            total += _nested_total(archive, entry, cap - total)
        else:
            total += _expanded_size(archive, entry, cap - total)
        if total > cap:
            break
    _check_totals(total, size)


def _check_member_name(name: str) -> None:
    """A member named `../x`, `/etc/x` or `C:\\x` would be written outside the folder
    it is extracted to by a careless tool (zip slip)."""
    path = name.replace("\\", "/")
    if (
        path.startswith("/")
        or re.match(r"^[A-Za-z]:", path)
        or ".." in path.split("/")
        or "\0" in path
    ):
        raise RefusedFile(
            _("The archive contains a file whose path leads outside its folder."), "zip_path"
        )


def _expanded_size(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int) -> int:
    """The real size of a member once decompressed, counted up to just past `budget`.

    zipfile stops reading a member at the size the archive declares, so the member is
    opened with a declared size just past the budget: a lying archive is read for what
    it really holds (a little more than is read: zipfile decompresses ahead of what is
    asked, and its checksum must be checked only when the member really ends). An
    encrypted member cannot be expanded without its password (not here, nor by anyone
    who downloads it without it): its declared size counts."""
    if entry.flag_bits & 0x1:
        return entry.file_size
    budget = max(budget, 0)
    probe = copy.copy(entry)
    probe.file_size = budget + 1 + READ_AHEAD
    total = 0
    try:
        with archive.open(probe) as member:
            while total <= budget:
                chunk = member.read(min(READ_CHUNK, budget + 1 - total))
                if not chunk:
                    break
                total += len(chunk)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error):
        raise RefusedFile(_("The archive is damaged and cannot be read."), "zip") from None
    return total


def _check_totals(total: int, size: int) -> None:
    limit = settings.DOCUMENT_MAX_UNCOMPRESSED_BYTES
    if total > limit:
        raise RefusedFile(
            _("The archive expands to more than the %(limit)s limit.")
            % {"limit": filesizeformat(limit)},
            "zip_bomb",
        )
    ratio = total / max(size, 1)
    if ratio > settings.DOCUMENT_MAX_COMPRESSION_RATIO:
        raise RefusedFile(
            _(
                "The archive is compressed %(ratio)s times, more than the %(limit)s allowed: "
                "it could be a decompression bomb."
            )
            % {"ratio": f"{ratio:,.0f}", "limit": settings.DOCUMENT_MAX_COMPRESSION_RATIO},
            "zip_bomb",
        )


def _nested() -> RefusedFile:
    return RefusedFile(
        _("The archive contains too many archives, or archives nested more than one level."),
        "zip_nested",
    )


def _nested_total(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int) -> int:
    """The real expanded size of an archive inside the archive (one level allowed): its
    own bytes plus its members', measured like the outer archive's."""
    if entry.flag_bits & 0x1:
        return entry.file_size
    limit = min(settings.DOCUMENT_MAX_BYTES, max(budget, 0))
    probe = copy.copy(entry)
    probe.file_size = limit + 1 + READ_AHEAD  # see _expanded_size
    try:
        with archive.open(probe) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error):
        raise RefusedFile(_("The archive is damaged and cannot be read."), "zip") from None
    if len(data) > limit:
        if limit == settings.DOCUMENT_MAX_BYTES:
            raise _nested()
        return len(data)  # past the outer budget: refused by the caller
    try:
        inner = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return len(data)  # named .zip but not an archive: an ordinary member
    except (OSError, ValueError, EOFError, RuntimeError):
        raise RefusedFile(_("The archive is damaged and cannot be read."), "zip") from None
    with inner:
        inner_entries = inner.infolist()
        if len(inner_entries) > MAX_ZIP_ENTRIES or any(
            inner_entry.filename.lower().endswith(".zip") for inner_entry in inner_entries
        ):
            raise _nested()
        total = len(data)
        for inner_entry in inner_entries:
            _check_member_name(inner_entry.filename)
            if not inner_entry.is_dir():
                total += _expanded_size(inner, inner_entry, budget - total)
            if total > budget:
                break
    return total


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as member:
        return member.read(SMALL_MEMBER_BYTES)


def _container_type(archive: zipfile.ZipFile, names: set[str]) -> DetectedType:
    if "[Content_Types].xml" in names:
        content_types = _read_member(archive, "[Content_Types].xml").lower()
        if b"macroenabled" in content_types or any(
            name.lower().endswith("vbaproject.bin") for name in names
        ):
            raise _macros()
        folders = {name.split("/", 1)[0] for name in names if "/" in name}
        for folder, mime in (("word", DOCX), ("xl", XLSX), ("ppt", PPTX)):
            if folder in folders:
                return DetectedType(mime)
        raise _not_accepted()  # another Office Open XML kind (Visio, XPS…)
    if "mimetype" in names:
        declared = _read_member(archive, "mimetype").strip().decode("ascii", "replace")
        if declared.startswith("application/vnd.oasis.opendocument"):
            if any(name.startswith(("Basic/", "Scripts/")) for name in names):
                raise _macros()
            if declared in {ODT, ODS}:
                return DetectedType(declared)
            raise _not_accepted()  # presentations, drawings… are not on the list
    return DetectedType(ZIP)


def _macros() -> RefusedFile:
    return RefusedFile(_("Office files with macros are not accepted."), "macros")


def _text(stream: IO[bytes]) -> DetectedType:
    """Plain text or CSV in UTF-8 or Windows-1252; anything binary or markup is refused.
    Markup is looked for in the whole file, not only its start (issue 14): a browser that
    sniffs may render a text file whose HTML starts after a kilobyte of padding."""
    if _MARKUP.search(stream.read(TEXT_HEAD).decode("latin-1")):
        raise _markup()
    stream.seek(0)
    charset = "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8")()
    fallback = codecs.getincrementaldecoder("cp1252")()
    sample = ""
    tail = ""  # the end of the previous chunk: a tag cut in two is still found
    while chunk := stream.read(READ_CHUNK):
        if _CONTROL_BYTES.search(chunk):
            raise _not_accepted()
        try:
            text = (decoder if charset == "utf-8" else fallback).decode(chunk)
        except UnicodeDecodeError:
            if charset != "utf-8":
                raise _not_accepted() from None
            # Not UTF-8: start again as Windows-1252 (Excel's CSV on Spanish Windows).
            charset = "windows-1252"
            stream.seek(0)
            sample = tail = ""
            continue
        if _MARKUP.search(tail + text):
            raise _markup()
        tail = text[-MARKUP_OVERLAP:]
        if len(sample) < 8192:
            sample += text
    try:
        (decoder if charset == "utf-8" else fallback).decode(b"", final=True)
    except UnicodeDecodeError:
        raise _not_accepted() from None
    mime = CSV if _looks_like_csv(sample[:8192]) else TEXT
    return DetectedType(mime, charset)


def _markup() -> RefusedFile:
    return RefusedFile(_("HTML, SVG, XML and script files are not accepted."), "markup")


def _looks_like_csv(sample: str) -> bool:
    """Two or more lines that split into the same number (≥ 2) of columns."""
    lines = [line for line in sample.lstrip("\ufeff").splitlines() if line.strip()][:20]
    if len(lines) < 2:
        return False
    if len(lines) == 20 or not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of a sample may be cut short
    if len(lines) < 2:
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|")
    except csv.Error:
        return False
    widths = {len(row) for row in csv.reader(lines, dialect)}
    return len(widths) == 1 and widths.pop() >= 2
