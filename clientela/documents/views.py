from functools import partial
from typing import Any

from django.conf import settings
from django.contrib import messages
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
from clientela.core.access import require
from clientela.core.forms import form_page
from clientela.core.htmx import wants_fragment
from clientela.core.pages import can, confirm_delete
from clientela.users.auth import current_user

from . import filetypes, services
from .forms import DocumentForm, DocumentUploadForm
from .models import Document
from .panels import PANEL_TEMPLATE, panel_context, upload_results
from .responses import file_response
from .selectors import document_get_for_user
from .uploads import (
    MAX_FILES_PER_UPLOAD,
    SizeLimitUploadHandler,
    declared_length,
    max_body_bytes,
)


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
    return f"{account.get_absolute_url()}#{anchor}"


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
    user = current_user(request)
    account = account_get_for_user(user, code)
    if request.method == "GET":
        if wants_fragment(request):
            return _render_panel(request, account)
        page = request.GET.get("documents_page", "")
        query = f"?documents_page={page}" if page.isdigit() else ""
        return redirect(f"{account.get_absolute_url()}{query}#panel-documents")
    require(user, "add", Document, account=account)
    if declared_length(request) > max_body_bytes():
        # Far beyond what the allowed files can weigh: answer before reading any of it.
        message = _("The upload is too large: at most %(count)s files of %(limit)s each.") % {
            "count": MAX_FILES_PER_UPLOAD,
            "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES),
        }
        if wants_fragment(request):
            return _render_panel(request, account, refusal=message, status=413)
        messages.error(request, message)
        return redirect(_profile_url(account))
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
    valid = form.is_valid()
    upload = services.documents_upload(
        user=current_user(request),
        account=account,
        uploads=form.cleaned_data["files"] if valid else [],
        category=form.cleaned_data["category"] if valid else Document.Category.OTHER,
        description=form.cleaned_data["description"] if valid else "",
        oversized=limiter.oversized,
    )
    if wants_fragment(request):
        fresh = DocumentUploadForm() if valid else form
        status = 200 if upload.created or not (upload.refused or form.errors) else 422
        return _render_panel(request, account, form=fresh, upload=upload, status=status)
    # Without JavaScript: flash every file's outcome and go back to the profile.
    for errors in form.errors.values():
        for text in errors:
            messages.error(request, str(text))
    for result in upload_results(upload):
        _flash(request, result)
    return redirect(_profile_url(account))


def _flash(request: HttpRequest, result: dict[str, Any]) -> None:
    if result.get("ok"):
        messages.success(request, format_html("{}: {}", result["name"], result["message"]))
    elif result.get("existing") is not None:
        messages.error(
            request,
            format_html(
                '{}: {} <a href="{}">{}</a>',
                result["name"],
                result["message"],
                reverse("document_detail", args=[result["existing"].pk]),
                _("See the existing copy"),
            ),
        )
    else:
        messages.error(request, format_html("{}: {}", result["name"], result["message"]))


# ── One document ──────────────────────────────────────────────────────────────────────────


@require_GET
def document_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    document = document_get_for_user(user, pk)
    ctx = {
        "document": document,
        "account": document.account,
        "type_label": filetypes.LABELS.get(document.content_type.split(";")[0], ""),
        **can(user, document, "download", "change", "delete"),
    }
    return render(request, "documents/document_detail.html", ctx)


@require_GET
def document_download_view(request: HttpRequest, pk: int) -> FileResponse:
    document = document_get_for_user(current_user(request), pk, action="download")
    return file_response(document)


@require_GET
def document_preview_view(request: HttpRequest, pk: int) -> FileResponse:
    """Images and PDF inline, in a sandbox: even a crafted file runs no script."""
    document = document_get_for_user(current_user(request), pk, action="download")
    if not document.previewable:
        raise Http404("preview")
    return file_response(document, inline=True)


@require_http_methods(["GET", "POST"])
def document_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    document = document_get_for_user(user, pk, action="change")
    form = DocumentForm(request.POST or None, instance=document)
    save = partial(services.document_update, user=user, document=document)
    ctx = {"document": document, "account": document.account}
    template = "documents/document_form.html"
    return form_page(request, form, save, template, ctx, success=lambda _doc: _("Document saved."))


@require_http_methods(["GET", "POST"])
def document_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    document = document_get_for_user(user, pk, action="delete")
    account = document.account
    gone = _("Document “%(name)s” deleted.") % {"name": document.original_name}
    remove = partial(services.document_delete, user=user, document=document)
    ctx = {"document": document, "account": account}
    page = "documents/document_confirm_delete.html"
    return confirm_delete(request, remove, page, ctx, gone, _profile_url(account))
