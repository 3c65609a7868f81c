"""The account profile's Documentos panel (SPEC §2.4), registered in DocumentsConfig."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from clientela.accounts.models import Account
from clientela.core.access import may
from clientela.core.paging import page_number, panel_page
from clientela.users.auth import current_user

from . import filetypes
from .forms import DocumentUploadForm
from .models import Document
from .selectors import document_list_for_account
from .services import Upload
from .uploads import MAX_FILES_PER_UPLOAD

PANEL_TEMPLATE = "documents/account_panel.html"
PANEL_PAGE_SIZE = 20


def panel_context(
    request: HttpRequest,
    account: Account,
    *,
    form: DocumentUploadForm | None = None,
    upload: Upload | None = None,
    refusal: str = "",
) -> dict[str, Any]:
    """A page of the account's documents (two queries whatever their number), the upload
    form and the outcome of the last upload (each file's, or `refusal` for the whole)."""
    user = current_user(request)
    page_of_documents = panel_page(
        document_list_for_account(user=user, account=account),
        page_number(request.GET, "documents_page"),
        PANEL_PAGE_SIZE,
    )
    return {
        "page": page_of_documents,
        "documents": [
            (document, filetypes.LABELS.get(document.content_type.split(";")[0], ""))
            for document in page_of_documents.object_list
        ],
        "can_upload": may(user, "add", Document, account=account),
        "can_download": may(user, "download", Document, account=account),
        "can_change": may(user, "change", Document, account=account),
        "can_delete": may(user, "delete", Document, account=account),
        "form": form or DocumentUploadForm(),
        "results": upload_results(upload, refusal),
        "max_bytes": settings.DOCUMENT_MAX_BYTES,
        "max_files": MAX_FILES_PER_UPLOAD,
        "upload_url": reverse("account_documents", args=[account.code]),
    }


def upload_results(upload: Upload | None, refusal: str = "") -> list[dict[str, Any]]:
    """What became of each file, as the panel and the flash messages say it."""
    results: list[dict[str, Any]] = [{"name": "", "message": refusal}] if refusal else []
    if upload is not None:
        results += [
            {"name": doc.original_name, "message": _("Saved."), "ok": True}
            for doc in upload.created
        ]
        results += [
            {"name": r.name, "message": " ".join(r.messages), "existing": r.existing}
            for r in upload.refused
        ]
    return results
