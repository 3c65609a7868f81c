"""Every write to a document goes through here: checked, atomic and recorded in history.
Stored files are written through Django's storage API (a local folder or an object
store) and removed only once the database change has committed."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from clientela.accounts.models import Account
from clientela.audit.services import record_create, record_delete, record_update, snapshot
from clientela.core.access import require
from clientela.core.exceptions import StaleVersionError
from clientela.users.models import User

from . import filetypes
from .models import Document

EDITABLE_FIELDS = frozenset({"category", "description"})


class DuplicateDocumentError(ValidationError):
    """The same content (SHA-256) is already in this account; carries the first copy."""

    def __init__(self, existing: Document) -> None:
        super().__init__(
            _("This file is already in this account as “%(name)s”.")
            % {"name": existing.original_name},
            code="duplicate",
        )
        self.existing = existing


def too_large_error(size: int | None = None) -> ValidationError:
    limit = filesizeformat(settings.DOCUMENT_MAX_BYTES)
    if size is None:
        message = _("The file is larger than the %(limit)s limit.") % {"limit": limit}
    else:
        message = _("The file is %(size)s; the limit is %(limit)s.") % {
            "size": filesizeformat(size),
            "limit": limit,
        }
    return ValidationError(message, code="too_large")


def _sha256(upload: Any) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _existing(account: Account, sha256: str) -> Document | None:
    return Document.objects.filter(account=account, sha256=sha256).first()


@transaction.atomic
def document_create(
    *,
    user: User,
    account: Account,
    upload: Any,
    category: str = Document.Category.OTHER,
    description: str = "",
) -> Document:
    """Check, store and record one uploaded file; ValidationError says why it was refused
    (DuplicateDocumentError when this account already has the same content)."""
    require(user, "documents.add_document", account)
    if upload is None:
        raise ValidationError(_("Choose a file."), code="required")
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        raise too_large_error(upload.size)
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    detected = filetypes.detect(upload)
    sha256 = _sha256(upload)
    existing = _existing(account, sha256)
    if existing is not None:
        raise DuplicateDocumentError(existing)
    name = filetypes.name_for_type(filetypes.clean_original_name(upload.name), detected.mime)
    document = Document(
        account=account,
        original_name=name,
        category=category,
        description=(description or "").strip(),
        size=upload.size,
        content_type=detected.content_type,
        sha256=sha256,
        created_by=user,
        updated_by=user,
    )
    # Everything but the file is valid before anything is written to storage.
    document.full_clean(exclude=["file"], validate_constraints=False)
    upload.seek(0)
    # The name given here is ignored: document_path picks a random one.
    document.file.save("upload", upload, save=False)
    stored = document.file.name
    try:
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            # Someone uploaded the same file to this account a moment ago.
            existing = _existing(account, sha256)
            if existing is not None:
                raise DuplicateDocumentError(existing) from None
            raise
        record_create(user=user, instance=document, account_id=account.pk)
    except BaseException:
        # Nothing in the database points at the stored file: do not leave it behind.
        document.file.storage.delete(stored)
        raise
    return document


@transaction.atomic
def document_update(
    *, user: User, document: Document, data: dict[str, Any], version: int
) -> Document:
    """Change the category or description if nobody saved since `version`."""
    locked = (
        Document.objects.select_for_update(of=("self",))
        .select_related("account")
        .get(pk=document.pk)
    )
    require(user, "documents.change_document", locked.account)
    if locked.version != version:
        raise StaleVersionError(current=locked)
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = snapshot(locked)
    for field, value in data.items():
        setattr(locked, field, value.strip() if isinstance(value, str) else value)
    locked.full_clean(exclude=["file"], validate_constraints=False)
    locked.version += 1
    locked.updated_by = user
    locked.save()
    record_update(user=user, instance=locked, before=before, account_id=locked.account_id)
    return locked


@transaction.atomic
def document_delete(*, user: User, document: Document) -> None:
    """Delete the record now and the stored file once that has committed: a rolled-back
    delete keeps both."""
    locked = (
        Document.objects.select_for_update(of=("self",))
        .select_related("account")
        .get(pk=document.pk)
    )
    require(user, "documents.delete_document", locked.account)
    storage, name = locked.file.storage, locked.file.name
    record_delete(user=user, instance=locked, account_id=locked.account_id)
    locked.delete()
    transaction.on_commit(lambda: storage.delete(name))
