import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.audit.models import HistoryEntry
from clientela.core.exceptions import StaleVersionError
from clientela.core.tests.object_store import stored_names
from clientela.documents import services
from clientela.documents.models import Document

from .factories import (
    HTML_BYTES,
    XSS_NAME,
    DocumentFactory,
    pdf_bytes,
    pdf_upload,
    polyglot_png_html,
    upload,
)

STORED_NAME = re.compile(r"^documents/[0-9a-f]{2}/[0-9a-f]{32}$")


@pytest.fixture
def seller(db):
    return UserFactory(role="sales")


@pytest.fixture
def account(seller):
    return AccountFactory(salesperson=seller)


def create(user, account, file, **kwargs):
    return services.document_create(user=user, account=account, upload=file, **kwargs).record


# ── Upload ────────────────────────────────────────────────────────────────────────────────


def test_upload_stores_the_file_under_a_random_name_and_keeps_the_original_name(
    seller, account, media
):
    document = create(
        seller,
        account,
        pdf_upload("Contrato 2025.pdf"),
        category="contract",
        description=" Firmado ",
    )
    assert STORED_NAME.match(document.file.name)
    assert stored_names() == [document.file.name]
    assert document.original_name == "Contrato 2025.pdf"
    assert document.category == "contract"
    assert document.description == "Firmado"
    assert document.content_type == "application/pdf"
    assert document.size == len(pdf_bytes())
    assert len(document.sha256) == 64
    assert document.created_by == seller
    with document.file.open("rb") as stored:
        assert stored.read() == pdf_bytes()


@pytest.mark.parametrize(
    "name",
    [
        "../../../../tmp/escape.pdf",
        "..\\..\\escape.pdf",
        "/etc/cron.d/evil.pdf",
        "con\x00trato.pdf",
    ],
)
def test_names_never_reach_the_storage_path(seller, account, media, name):
    document = create(seller, account, pdf_upload(name))
    assert STORED_NAME.match(document.file.name)
    assert stored_names() == [document.file.name]
    assert "/" not in document.original_name and "\\" not in document.original_name
    assert "\x00" not in document.original_name


def test_a_300_character_name_is_capped_keeping_its_extension(seller, account):
    document = create(seller, account, pdf_upload("x" * 300 + ".pdf"))
    assert len(document.original_name) == 255
    assert document.original_name.endswith(".pdf")


def test_an_xss_name_is_stored_as_text(seller, account):
    document = create(seller, account, pdf_upload(XSS_NAME))
    assert document.original_name == XSS_NAME


def test_content_decides_the_type_not_the_name(seller, account):
    document = create(seller, account, upload("foto.html", polyglot_png_html(), "text/html"))
    assert document.content_type == "image/png"
    assert document.original_name == "foto.png"


def test_refused_content_stores_nothing(seller, account, media):
    with pytest.raises(ValidationError) as caught:
        create(seller, account, upload("factura.pdf", HTML_BYTES, "application/pdf"))
    assert caught.value.code == "markup"
    assert stored_names() == []
    assert not Document.objects.exists()


def test_oversized_file_is_refused(settings, seller, account, media):
    settings.DOCUMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as caught:
        create(seller, account, pdf_upload())
    assert caught.value.code == "too_large"
    assert stored_names() == []


def test_empty_file_is_refused(seller, account):
    with pytest.raises(ValidationError) as caught:
        create(seller, account, upload("vacio.pdf", b""))
    assert caught.value.code == "empty"


def test_upload_is_recorded_in_the_account_history(seller, account):
    document = create(seller, account, pdf_upload("Contrato.pdf"), category="legal")
    entry = HistoryEntry.objects.get(object_id=str(document.pk))
    assert entry.action == "create"
    assert entry.account_id == account.pk
    assert entry.user == seller
    assert entry.object_repr == "Contrato.pdf"
    assert entry.changes["category"] == [None, "legal"]


# ── Duplicates ────────────────────────────────────────────────────────────────────────────


def test_same_file_twice_in_one_account_is_refused_with_the_first_copy(seller, account, media):
    first = create(seller, account, pdf_upload("original.pdf"))
    with pytest.raises(services.DuplicateDocumentError) as caught:
        create(seller, account, pdf_upload("copia con otro nombre.pdf"))
    assert caught.value.existing == first
    assert "original.pdf" in caught.value.messages[0]
    assert stored_names() == [first.file.name]


def test_same_file_in_another_account_is_accepted(seller, account):
    create(seller, account, pdf_upload())
    other = AccountFactory(salesperson=seller)
    create(seller, other, pdf_upload())
    assert Document.objects.count() == 2


def test_a_concurrent_duplicate_is_caught_by_the_constraint_and_its_file_removed(
    seller, account, media, monkeypatch
):
    first = create(seller, account, pdf_upload("primero.pdf"))
    # As if another request saved the same file between our check and our insert.
    real = services._existing
    calls = iter([None])
    monkeypatch.setattr(services, "_existing", lambda a, s: next(calls, real(a, s)))
    with pytest.raises(services.DuplicateDocumentError) as caught:
        create(seller, account, pdf_upload("segundo.pdf"))
    assert caught.value.existing == first
    assert stored_names() == [first.file.name]


# ── Permissions ───────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("role", ["support", "viewer"])
def test_read_only_roles_cannot_upload(role, account, media):
    with pytest.raises(PermissionDenied):
        create(UserFactory(role=role), account, pdf_upload())
    assert stored_names() == []


def test_salesperson_cannot_upload_to_another_salespersons_account(account, media):
    with pytest.raises(PermissionDenied):
        create(UserFactory(role="sales"), account, pdf_upload())
    assert stored_names() == []


# ── Edit ──────────────────────────────────────────────────────────────────────────────────


def test_update_changes_category_and_description_and_records_them(seller, account):
    document = create(seller, account, pdf_upload(), category="other")
    updated = services.document_update(
        user=seller,
        document=document,
        data={"category": "tax", "description": "Declaración 2024"},
        version=1,
    ).record
    assert (updated.category, updated.description, updated.version) == (
        "tax",
        "Declaración 2024",
        2,
    )
    entry = HistoryEntry.objects.get(object_id=str(document.pk), action="update")
    assert entry.changes == {
        "category": ["other", "tax"],
        "description": [None, "Declaración 2024"],
    }


def test_update_with_a_stale_version_is_refused(seller, account):
    document = create(seller, account, pdf_upload())
    services.document_update(user=seller, document=document, data={"category": "tax"}, version=1)
    with pytest.raises(StaleVersionError):
        services.document_update(
            user=seller, document=document, data={"category": "legal"}, version=1
        )


def test_update_cannot_touch_the_file_or_its_name(seller, account):
    document = create(seller, account, pdf_upload())
    with pytest.raises(ValueError):
        services.document_update(
            user=seller, document=document, data={"original_name": "otro.exe"}, version=1
        )


def test_support_cannot_edit(account):
    document = DocumentFactory(account=account)
    with pytest.raises(PermissionDenied):
        services.document_update(
            user=UserFactory(role="support"), document=document, data={"category": "tax"}, version=1
        )


# ── Delete ────────────────────────────────────────────────────────────────────────────────


def test_delete_removes_the_file_only_after_commit(
    seller, account, media, django_capture_on_commit_callbacks
):
    document = create(seller, account, pdf_upload())
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.document_delete(user=seller, document=document)
    assert not Document.objects.filter(pk=document.pk).exists()
    assert default_storage.exists(name)  # not yet: the transaction has not committed
    assert len(callbacks) == 1
    callbacks[0]()
    assert not default_storage.exists(name)
    assert stored_names() == []


def test_a_rolled_back_delete_keeps_the_record_and_the_file(
    seller, account, django_capture_on_commit_callbacks
):
    document = create(seller, account, pdf_upload())
    name = document.file.name
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.document_delete(user=seller, document=document)
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == []
    assert Document.objects.filter(pk=document.pk).exists()
    assert default_storage.exists(name)


def test_delete_is_recorded_in_the_account_history(seller, account):
    document = create(seller, account, pdf_upload("Acta.pdf"))
    services.document_delete(user=seller, document=document)
    entry = HistoryEntry.objects.get(object_id=str(document.pk), action="delete")
    assert entry.account_id == account.pk
    assert entry.object_repr == "Acta.pdf"


@pytest.mark.parametrize("role", ["support", "viewer"])
def test_read_only_roles_cannot_delete(role, account, media):
    document = DocumentFactory(account=account)
    with pytest.raises(PermissionDenied):
        services.document_delete(user=UserFactory(role=role), document=document)
    assert Document.objects.filter(pk=document.pk).exists()
    assert default_storage.exists(document.file.name)


def test_an_account_with_documents_cannot_be_deleted(account):
    from clientela.accounts.services import account_delete

    DocumentFactory(account=account)
    with pytest.raises(ValidationError):
        account_delete(user=UserFactory(role="admin"), account=account)
