from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from clientela.accounts.models import Account
from clientela.accounts.selectors import account_get_for_user
from clientela.core.access import may, require
from clientela.core.exceptions import StaleVersionError
from clientela.core.htmx import wants_fragment
from clientela.core.paging import page_number, panel_page
from clientela.core.requests import current_user, posted_version

from . import filetypes, services
from .forms import DocumentForm, DocumentUploadForm
from .models import Document
from .selectors import document_get_for_user, document_list_for_account
from .uploads import (
    MAX_FILES_PER_UPLOAD,
    SizeLimitUploadHandler,
    declared_length,
    max_body_bytes,
)

PANEL_TEMPLATE = "documents/account_panel.html"
PANEL_PAGE_SIZE = 20
# Downloads and previews: the browser must take the declared type (nosniff), run nothing
# (a sandbox without any allowance) and not hand the bytes to another site.
SAFE_FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    ),
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "private, no-store",
}


@dataclass(frozen=True)
class UploadResult:
    """What happened to one file of an upload, for the panel or a flash message."""

    name: str
    message: str
    document: Document | None = None
    existing: Document | None = None

    @property
    def ok(self) -> bool:
        return self.document is not None


# ── The profile panel ─────────────────────────────────────────────────────────────────────


def panel_context(
    request: HttpRequest,
    account: Account,
    *,
    form: DocumentUploadForm | None = None,
    results: list[UploadResult] | None = None,
) -> dict[str, Any]:
    """The Documentos panel (SPEC §2.4): a page of the account's documents (two queries
    whatever their number), the upload form and the outcome of the last upload."""
    user = request.user
    page = panel_page(
        document_list_for_account(account),
        page_number(request.GET, "documents_page"),
        PANEL_PAGE_SIZE,
    )
    return {
        "page": page,
        "documents": [
            (document, filetypes.LABELS.get(document.content_type.split(";")[0], ""))
            for document in page.object_list
        ],
        "can_upload": may(user, "documents.add_document", account),
        "can_download": may(user, "documents.download_document", account),
        "can_change": may(user, "documents.change_document", account),
        "can_delete": may(user, "documents.delete_document", account),
        "form": form or DocumentUploadForm(),
        "results": results or [],
        "max_bytes": settings.DOCUMENT_MAX_BYTES,
        "max_files": MAX_FILES_PER_UPLOAD,
        "upload_url": reverse("account_documents", args=[account.code]),
    }


def _render_panel(
    request: HttpRequest, account: Account, *, status: int = 200, **extra: Any
) -> HttpResponse:
    panel = {
        "key": "documents",
        "template": PANEL_TEMPLATE,
        **panel_context(request, account, **extra),
    }
    return render(request, PANEL_TEMPLATE, {"panel": panel, "account": account}, status=status)


def _profile_url(account: Account, anchor: str = "panel-documents") -> str:
    return f"{reverse('account_detail', args=[account.code])}#{anchor}"


# ── Upload (POST) and the panel alone (GET) ───────────────────────────────────────────────


@csrf_exempt  # checked by _upload, once the size limit is installed (see below)
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def account_documents_view(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the panel (htmx paging), or the profile. POST (SPEC §11: field `files`, several
    allowed, plus `category` and `description`): upload, each file on its own.

    The size limit must be in place before anything reads the body, and the CSRF check
    reads it (request.POST): so this view is csrf_exempt and checks the token itself after
    installing the limit, as Django's "Modifying upload handlers on the fly" shows. The
    account and permission checks need no body, so a refused user uploads nothing."""
    account = account_get_for_user(current_user(request), code)
    if request.method == "GET":
        if wants_fragment(request):
            return _render_panel(request, account)
        page = request.GET.get("documents_page", "")
        query = f"?documents_page={page}" if page.isdigit() else ""
        return redirect(f"{reverse('account_detail', args=[account.code])}{query}#panel-documents")
    require(request.user, "documents.add_document", account)
    if declared_length(request) > max_body_bytes():
        # Far beyond what the allowed files can weigh: answer before reading any of it.
        return _refuse_whole_upload(
            request,
            account,
            _("The upload is too large: at most %(count)s files of %(limit)s each.")
            % {"count": MAX_FILES_PER_UPLOAD, "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES)},
            status=413,
        )
    limiter = SizeLimitUploadHandler(request, limit=settings.DOCUMENT_MAX_BYTES)
    # Assigning (not inserting) raises if something already read the body: a loud failure
    # instead of a limit silently not applied.
    request.upload_handlers = [limiter, *request.upload_handlers]
    return _upload(request, account, limiter)


@csrf_protect
def _upload(
    request: HttpRequest, account: Account, limiter: SizeLimitUploadHandler
) -> HttpResponse:
    form = DocumentUploadForm(request.POST, request.FILES, oversized=limiter.oversized)
    results = [
        UploadResult(
            name=filetypes.clean_original_name(name), message=services.too_large_error().messages[0]
        )
        for name in limiter.oversized
    ]
    if form.is_valid():
        for upload in form.cleaned_data["files"]:
            results.append(
                _upload_one(
                    request,
                    account,
                    upload,
                    form.cleaned_data["category"],
                    form.cleaned_data["description"],
                )
            )
    saved = any(result.ok for result in results)
    if wants_fragment(request):
        fresh = DocumentUploadForm() if form.is_valid() else form
        status = 200 if saved or not (results or form.errors) else 422
        return _render_panel(request, account, form=fresh, results=results, status=status)
    # Without JavaScript: flash every file's outcome and go back to the profile.
    for errors in form.errors.values():
        for text in errors:
            messages.error(request, str(text))
    for result in results:
        _flash(request, result)
    return redirect(_profile_url(account))


def _upload_one(
    request: HttpRequest, account: Account, upload: Any, category: str, description: str
) -> UploadResult:
    name = filetypes.clean_original_name(upload.name)
    try:
        document = services.document_create(
            user=current_user(request),
            account=account,
            upload=upload,
            category=category,
            description=description,
        )
    except services.DuplicateDocumentError as exc:
        return UploadResult(name=name, message=exc.messages[0], existing=exc.existing)
    except ValidationError as exc:
        return UploadResult(name=name, message=" ".join(exc.messages))
    finally:
        upload.close()
    return UploadResult(name=document.original_name, message=_("Saved."), document=document)


def _flash(request: HttpRequest, result: UploadResult) -> None:
    if result.ok:
        messages.success(request, format_html("{}: {}", result.name, result.message))
    elif result.existing is not None:
        messages.error(
            request,
            format_html(
                '{}: {} <a href="{}">{}</a>',
                result.name,
                result.message,
                reverse("document_detail", args=[result.existing.pk]),
                _("See the existing copy"),
            ),
        )
    else:
        messages.error(request, format_html("{}: {}", result.name, result.message))


def _refuse_whole_upload(
    request: HttpRequest, account: Account, message: str, *, status: int
) -> HttpResponse:
    if wants_fragment(request):
        return _render_panel(
            request,
            account,
            results=[UploadResult(name="", message=message)],
            status=status,
        )
    messages.error(request, message)
    return redirect(_profile_url(account))


# ── One document ──────────────────────────────────────────────────────────────────────────


@require_GET
def document_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_get_for_user(current_user(request), pk)
    account = document.account
    require(request.user, "documents.view_document", account)
    ctx = {
        "document": document,
        "account": account,
        "type_label": filetypes.LABELS.get(document.content_type.split(";")[0], ""),
        "can_download": may(request.user, "documents.download_document", account),
        "can_change": may(request.user, "documents.change_document", account),
        "can_delete": may(request.user, "documents.delete_document", account),
    }
    return render(request, "documents/document_detail.html", ctx)


def _open(document: Document) -> Any:
    try:
        return document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("file") from None


@require_GET
def document_download_view(request: HttpRequest, pk: int) -> FileResponse:
    """The only way to a stored file: access checked, sent as an attachment under its
    original name (RFC 6266/5987-encoded by Django) with the type found in its content."""
    document = document_get_for_user(current_user(request), pk)
    require(request.user, "documents.download_document", document.account)
    response = FileResponse(
        _open(document),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    for header, value in SAFE_FILE_HEADERS.items():
        response[header] = value
    return response


@require_GET
def document_preview_view(request: HttpRequest, pk: int) -> FileResponse:
    """Images and PDF inline, in a sandbox: even a crafted file runs no script."""
    document = document_get_for_user(current_user(request), pk)
    require(request.user, "documents.download_document", document.account)
    if not document.previewable:
        raise Http404("preview")
    response = FileResponse(
        _open(document),
        as_attachment=False,
        filename=document.original_name,
        content_type=document.content_type,
    )
    for header, value in SAFE_FILE_HEADERS.items():
        response[header] = value
    return response


@require_http_methods(["GET", "POST"])
def document_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_get_for_user(current_user(request), pk)
    require(request.user, "documents.change_document", document.account)
    # The form writes what it parsed onto its instance: a copy keeps the page's header.
    form = DocumentForm(request.POST or None, instance=copy.copy(document))
    ctx: dict[str, Any] = {
        "form": form,
        "document": document,
        "account": document.account,
        "version": document.version,
    }
    if request.method == "POST":
        version = posted_version(request)
        ctx["version"] = version
        if form.is_valid():
            try:
                services.document_update(
                    user=current_user(request),
                    document=document,
                    data={k: form.cleaned_data[k] for k in ("category", "description")},
                    version=version,
                )
            except StaleVersionError as exc:
                ctx["version"] = exc.current.version
                form.add_error(
                    None,
                    _(
                        "%(user)s saved this document after you opened it. Your changes were "
                        "not saved: review them and save again to overwrite."
                    )
                    % {"user": exc.current.updated_by or _("Another user")},
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("Document saved."))
                return redirect("document_detail", pk=document.pk)
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "documents/document_form.html", ctx, status=status)


@require_http_methods(["GET", "POST"])
def document_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_get_for_user(current_user(request), pk)
    account = document.account
    require(request.user, "documents.delete_document", account)
    if request.method == "POST":
        services.document_delete(user=current_user(request), document=document)
        messages.success(
            request, _("Document “%(name)s” deleted.") % {"name": document.original_name}
        )
        return redirect(_profile_url(account))
    return render(
        request,
        "documents/document_confirm_delete.html",
        {"document": document, "account": account},
    )
