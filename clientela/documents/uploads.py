"""The size limit, enforced while the request body streams in (SPEC §6).

Installed first in `request.upload_handlers` by the upload view, before anything reads
request.POST or request.FILES: a file that passes the limit is skipped at the chunk that
crosses it (the rest of it is read and thrown away, never kept in memory or on disk),
and its name is remembered so the page can say which file was refused.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

# Files one upload may carry, and the slack for the form fields and multipart framing
# when the whole request's declared length is checked against the limit.
MAX_FILES_PER_UPLOAD = 20
BODY_MARGIN = 1024 * 1024


def max_body_bytes() -> int:
    return MAX_FILES_PER_UPLOAD * settings.DOCUMENT_MAX_BYTES + BODY_MARGIN


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class SizeLimitUploadHandler(FileUploadHandler):
    """Skips every file larger than `limit` bytes as soon as it passes the limit."""

    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.oversized: list[str] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        # Raised here, after every handler has opened its copy of this file, so Django's
        # clean-up closes this file's copies and not the previous file's.
        if start + len(raw_data) > self.limit:
            self.oversized.append(str(self.file_name or ""))
            raise SkipFile(self.file_name)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler stores the file
