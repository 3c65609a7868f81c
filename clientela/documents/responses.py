"""The only way to a stored file, for the pages and the API alike: sent with the type
found in its content, under its original name, in a sandbox that runs nothing."""

from typing import Any

from django.http import FileResponse, Http404

from .models import Document

# The browser must take the declared type (nosniff), run nothing (a sandbox without any
# allowance) and not hand the bytes to another site.
SAFE_FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    ),
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "private, no-store",
}


def _open(document: Document) -> Any:
    try:
        return document.file.open("rb")
    except OSError:
        raise Http404("file") from None


def file_response(document: Document, *, inline: bool = False) -> FileResponse:
    """The document's file as an attachment (RFC 6266/5987 name encoded by Django), or
    inline for a preview. The caller has checked the user may download it."""
    response = FileResponse(
        _open(document),
        as_attachment=not inline,
        filename=document.original_name,
        content_type=document.content_type,
    )
    for header, value in SAFE_FILE_HEADERS.items():
        response[header] = value
    return response
