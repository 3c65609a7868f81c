"""Every write to a document goes through here: checked, atomic and recorded in history.
Stored files are written through Django's storage API (a local folder or an object
store) and removed only once the database change has committed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from clientela.accounts.models import Account
from clientela.core import files, writes
from clientela.core.access import require
from clientela.core.exceptions import DuplicateError
from clientela.core.writes import Saved
from clientela.users.models import User

from . import filetypes
from .models import Document

EDITABLE_FIELDS = ("category", "description")


class DuplicateDocumentError(DuplicateError):
    """The same content (SHA-256) is already in this account; carries the first copy."""

    def __init__(self, existing: Document) -> None:
        super().__init__(
            "file",
            _("This file is already in this account as “%(name)s”.")
            % {"name": existing.original_name},
            existing,
        )


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


def _validate(document: Document) -> None:
    # The file is stored after validation: nothing is written for a refused upload. The
    # content's uniqueness is the duplicate check's (it names the first copy), and the
    # database's under a concurrent upload.
    writes.full_validate(document, exclude=["file", "sha256"])


@transaction.atomic
def document_create(
    *,
    user: User,
    account: Account,
    upload: Any,
    category: str = Document.Category.OTHER,
    description: str = "",
) -> Saved[Document]:
    """Check, store and record one uploaded file; ValidationError says why it was refused
    (DuplicateDocumentError when this account already has the same content)."""
    require(user, "add", Document, account=account)
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
    )

    def store_and_save(document: Document) -> None:
        upload.seek(0)
        # The name given here is ignored: document_path picks a random one.
        document.file.save("upload", upload, save=False)
        # Should this transaction or any outer one roll back, nothing points at the file.
        files.remove_on_rollback(document.file.storage, document.file.name)
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            # Someone uploaded the same file to this account a moment ago.
            existing = _existing(account, sha256)
            if existing is not None:
                raise DuplicateDocumentError(existing) from None
            raise

    return writes.create_recorded(document, user=user, validate=_validate, save=store_and_save)


@transaction.atomic
def document_update(
    *, user: User, document: Document, data: dict[str, Any], version: int
) -> Saved[Document]:
    """Change the category or description if nobody saved since `version`."""

    def apply(locked: Document) -> None:
        writes.set_fields(
            locked,
            {k: v.strip() if isinstance(v, str) else v for k, v in data.items()},
            EDITABLE_FIELDS,
        )

    return writes.versioned_update(
        document, user=user, version=version, apply=apply, validate=_validate
    )


@transaction.atomic
def document_delete(*, user: User, document: Document) -> None:
    """Delete the record now and the stored file once that has committed: a rolled-back
    delete keeps both."""
    deleted = writes.delete_recorded(document, user=user)
    files.remove_on_commit(deleted.file.storage, deleted.file.name)


@dataclass(frozen=True)
class Refusal:
    """One file of an upload that was not saved, and why."""

    name: str
    messages: list[str]
    existing: Document | None = None


@dataclass(frozen=True)
class Upload:
    created: list[Document]
    refused: list[Refusal]


def documents_upload(
    *,
    user: User,
    account: Account,
    uploads: list[Any],
    category: str,
    description: str,
    oversized: list[str] = (),  # type: ignore[assignment]
) -> Upload:
    """An upload of several files: each stands alone (its own transaction), the good ones
    are saved and each refusal is named with its reason. `oversized`: names of files cut
    off for their size while the request streamed in."""
    require(user, "add", Document, account=account)
    refused = [
        Refusal(filetypes.clean_original_name(name), too_large_error().messages)
        for name in oversized
    ]
    created: list[Document] = []
    for upload in uploads:
        name = filetypes.clean_original_name(upload.name or "")
        try:
            created.append(
                document_create(
                    user=user,
                    account=account,
                    upload=upload,
                    category=category,
                    description=description,
                ).record
            )
        except DuplicateDocumentError as exc:
            refused.append(Refusal(name, exc.messages, exc.existing))
        except ValidationError as exc:
            refused.append(Refusal(name, exc.messages))
        finally:
            upload.close()
    return Upload(created, refused)
