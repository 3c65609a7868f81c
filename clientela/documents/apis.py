"""/api/v1/accounts/{code}/documents and /api/v1/documents/{id}: an account's files
through the same services, selectors, checks and headers as the HTML views.

The router is mounted at the API's root, beside the accounts router: ninja's `{code}`
does not match "/", so /accounts/{code} never shadows /accounts/{code}/documents."""

from collections.abc import Callable
from datetime import datetime
from enum import Enum
from functools import wraps
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from ninja import Field, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.params.functions import File

from clientela.accounts.selectors import account_get_for_user
from clientela.api.auth import api_user
from clientela.api.pagination import PageQuery, paginate
from clientela.api.payloads import service_data
from clientela.api.schemas import (
    ERRORS,
    ConflictOut,
    ErrorOut,
    InputSchema,
    Page,
    choice_field,
)
from clientela.api.versioning import patch_fields, set_etag, tagged
from clientela.core.access import require

from . import filetypes, services
from .models import Document
from .responses import file_response
from .selectors import SORTS, DocumentFilters, document_get_for_user, document_list_for_account
from .uploads import MAX_FILES_PER_UPLOAD, SizeLimitUploadHandler, declared_length, max_body_bytes

router = Router(tags=["documents"])

DocumentOrdering = Enum(  # type: ignore[misc]
    "DocumentOrdering", {f"{p}{key}": f"{p}{key}" for key in SORTS for p in ("", "-")}, type=str
)

# The field of SPEC §11's upload form; any other file field is refused.
FILES_FIELD = "files"


class DocumentOut(Schema):
    id: int = Field(..., examples=[42])
    account: str = Field(
        ..., alias="account.code", examples=["C-000001"], description="Account code"
    )
    original_name: str = Field(..., examples=["Contrato firmado.pdf"])
    category: Document.Category = choice_field(Document.Category)
    description: str = Field(..., examples=["Contrato de servicio 2026"])
    size: int = Field(..., examples=[48213], description="Bytes")
    content_type: str = Field(
        ..., examples=["application/pdf"], description="Detected from the content"
    )
    sha256: str = Field(
        ..., examples=["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"]
    )
    uploaded_by: str | None = Field(
        None, alias="created_by.username", examples=["ana.gomez"], description="Username"
    )
    uploaded_at: datetime = Field(..., alias="created_at")
    updated_at: datetime
    version: int = Field(..., examples=[1])


class UploadFields(InputSchema):
    """The form fields beside `files`: one category and description for every file."""

    category: Document.Category = choice_field(Document.Category, Document.Category.OTHER)
    description: str = Field("", max_length=500, examples=["Contrato de servicio 2026"])


class RefusedFileOut(Schema):
    name: str = Field(..., examples=["factura.pdf"])
    errors: list[str] = Field(..., examples=[["This type of file is not accepted."]])
    existing_id: int | None = Field(
        None, examples=[42], description="For a duplicate: the document already holding it"
    )


class UploadOut(Schema):
    created: list[DocumentOut]
    refused: list[RefusedFileOut]


class UploadRefusedOut(ErrorOut):
    """422: nothing was saved; `refused` says why for each file (empty when the request
    itself was invalid)."""

    refused: list[RefusedFileOut] = Field(default_factory=list)


class DocumentPatch(InputSchema):
    """Category and description; the file itself never changes. Send the version you
    read (or If-Match)."""

    version: int | None = Field(None, ge=1, examples=[1])
    category: Document.Category | None = None
    description: str | None = Field(None, max_length=500)


class DocumentQuery(PageQuery):
    q: str = Field("", max_length=200, description="Search the file name and description")
    category: Document.Category | None = None
    ordering: DocumentOrdering | None = Field(
        None, description="A column, `-` for descending; default: newest first"
    )


def _too_large() -> JsonResponse:
    message = _("The upload is too large: at most %(count)s files of %(limit)s each.") % {
        "count": MAX_FILES_PER_UPLOAD,
        "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES),
    }
    return JsonResponse({"detail": message}, status=413)


def _size_limit_first(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps the upload operation before ninja authenticates (the session's CSRF check
    reads the body) or parses the form: a body far beyond what the allowed files can
    weigh is answered 413 unread, and each file is cut off at the chunk that crosses the
    size limit while it streams in, never buffered whole (see uploads.py).

    A body Django cannot parse is answered here too: ninja leaves those errors to Django,
    whose answer is an HTML page (a traceback under DEBUG), not the API's error format."""

    @wraps(run)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if declared_length(request) > max_body_bytes():
            return _too_large()
        limiter = SizeLimitUploadHandler(request, limit=settings.DOCUMENT_MAX_BYTES)
        # Assigning raises if something already read the body: loud, not a silent bypass.
        request.upload_handlers = [limiter, *request.upload_handlers]
        try:
            return run(request, *args, **kwargs)
        except (RequestDataTooBig, TooManyFilesSent):
            return _too_large()
        except (MultiPartParserError, TooManyFieldsSent):
            return JsonResponse(
                {"detail": _("The request body is not valid multipart/form-data.")}, status=400
            )

    return limited


def _oversized(request: HttpRequest) -> list[str]:
    for handler in request.upload_handlers:
        if isinstance(handler, SizeLimitUploadHandler):
            return handler.oversized
    return []


def _refusal(refusal: services.Refusal) -> dict[str, Any]:
    return {
        "name": refusal.name,
        "errors": refusal.messages,
        "existing_id": refusal.existing.pk if refusal.existing is not None else None,
    }


# ── An account's documents ────────────────────────────────────────────────────────────────


@router.get(
    "/accounts/{code}/documents",
    response={200: Page[DocumentOut], **ERRORS},
    summary="List an account's documents",
)
def list_documents(request: HttpRequest, code: str, filters: Query[DocumentQuery]) -> Any:
    user = api_user(request)
    found = document_list_for_account(
        user=user,
        account=account_get_for_user(user, code),
        filters=DocumentFilters(
            q=filters.q,
            category=filters.category or "",
            sort=filters.ordering.value if filters.ordering else "-uploaded_at",
        ),
    ).select_related("account")
    return paginate(found, filters.page, filters.page_size, user=api_user(request))


@router.post(
    "/accounts/{code}/documents",
    response={201: UploadOut, 413: ErrorOut, **ERRORS, 422: UploadRefusedOut},
    summary="Upload documents to an account",
    description=(
        "multipart/form-data: one or more files in `files` (at most "
        f"{MAX_FILES_PER_UPLOAD}), plus `category` and `description` for all of them. "
        "Each file is checked on its own, as in the Documentos panel: its type is found "
        "from its content (PDF, images, Office and OpenDocument files, text, CSV, ZIP), "
        "size limit, archive bombs, macros, and the same content already in the account. "
        "201 when at least one file was saved (`refused` lists the others and why); 422 "
        "when none was. A duplicate's refusal gives the `existing_id` of the document "
        "that already holds it. 413 when the request is larger than the files allowed "
        "in one upload can weigh; 400 when its body is not valid multipart/form-data."
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "required": [FILES_FIELD],
                        "properties": {
                            FILES_FIELD: {
                                "maxItems": MAX_FILES_PER_UPLOAD,
                                "description": "One or more files",
                            }
                        },
                    }
                }
            }
        }
    },
)
@decorate_view(_size_limit_first)
def upload_documents(
    request: HttpRequest,
    code: str,
    payload: Form[UploadFields],
    # Optional here: the files the size limit cut off are reported as such, not missing.
    files: Annotated[list[UploadedFile], File(None)],
) -> Any:
    user = api_user(request)
    account = account_get_for_user(user, code)
    require(user, "add", Document, account=account)
    # Ninja reads only the fields it declares: anything else (a system column, a typo, a
    # file under another name) is refused rather than silently ignored.
    unknown = [name for name in request.POST if name not in UploadFields.model_fields]
    unknown += [name for name in request.FILES if name != FILES_FIELD]
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in unknown})
    oversized = _oversized(request)
    uploads = list(files or [])
    if not uploads and not oversized:
        raise ValidationError({FILES_FIELD: [_("Choose at least one file.")]})
    if len(uploads) > MAX_FILES_PER_UPLOAD:
        raise ValidationError(
            {
                FILES_FIELD: [
                    _("Upload at most %(count)s files at a time.") % {"count": MAX_FILES_PER_UPLOAD}
                ]
            }
        )
    upload = services.documents_upload(
        user=user,
        account=account,
        uploads=uploads,
        category=payload.category.value,
        description=payload.description,
        oversized=oversized,
    )
    created, refused = upload.created, [_refusal(r) for r in upload.refused]
    if not created:
        errors = [f"{r['name']}: {' '.join(r['errors'])}" for r in refused]
        return Status(
            422,
            {
                "detail": _("No file was saved."),
                "errors": {FILES_FIELD: errors},
                "refused": refused,
            },
        )
    return Status(201, {"created": created, "refused": refused})


# ── One document ──────────────────────────────────────────────────────────────────────────


@router.get("/documents/{id}", response={200: DocumentOut, **ERRORS}, summary="Read a document")
def get_document(request: HttpRequest, id: int, response: HttpResponse) -> Any:
    return tagged(response, document_get_for_user(api_user(request), id))


# Every type an upload may be stored as (filetypes' allow-list), and the generic one.
_FILE_CONTENT = {
    media_type: {"schema": {"type": "string", "format": "binary"}}
    for media_type in ["application/octet-stream", *filetypes.EXTENSIONS]
}


@router.get(
    "/documents/{id}/download",
    response={200: None, **ERRORS},
    summary="Download a document's file",
    description=(
        "The stored file as an attachment under its original name (RFC 6266/5987), with "
        "the type detected from its content, `X-Content-Type-Options: nosniff` and a "
        "sandboxing Content-Security-Policy: the same answer as the HTML download."
    ),
    openapi_extra={"responses": {200: {"description": "The file", "content": _FILE_CONTENT}}},
)
def download_document(request: HttpRequest, id: int) -> Any:
    return file_response(document_get_for_user(api_user(request), id, action="download"))


@router.patch(
    "/documents/{id}",
    response={200: DocumentOut, 409: ConflictOut, **ERRORS},
    summary="Change a document's category or description",
)
def update_document(
    request: HttpRequest,
    id: int,
    payload: DocumentPatch,
    response: HttpResponse,
) -> Any:
    user = api_user(request)
    document = document_get_for_user(user, id, action="change")
    fields, version = patch_fields(request, payload)
    data = service_data(fields, not_null=services.EDITABLE_FIELDS)
    saved = services.document_update(user=user, document=document, data=data, version=version)
    set_etag(response, saved.record.version)
    return document_get_for_user(user, document.pk)


@router.delete("/documents/{id}", response={204: None, **ERRORS}, summary="Delete a document")
def delete_document(request: HttpRequest, id: int) -> Any:
    user = api_user(request)
    services.document_delete(user=user, document=document_get_for_user(user, id, action="delete"))
    return Status(204, None)
