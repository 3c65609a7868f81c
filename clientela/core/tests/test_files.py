"""Files stored in a transaction follow it: removed when it rolls back (the service's own
transaction, or any outer one), kept when it commits. Runs on the filesystem and, with
CLIENTELA_TEST_STORAGE=s3, against moto's S3 server."""

import io

import pytest
from django.core.files.storage import default_storage
from django.db import connection, transaction
from PIL import Image

from clientela.accounts import services as account_services
from clientela.accounts.models import Account
from clientela.core.backends.rollback import on_rollback
from clientela.core.tests.object_store import S3_MODE, stored_names
from clientela.documents import services as document_services
from clientela.documents.models import Document
from clientela.documents.tests.factories import pdf_upload


class Boom(Exception):
    pass


def logo_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 120, 200)).save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_a_document_stored_in_an_outer_transaction_that_rolls_back_is_removed(user, account):
    with pytest.raises(Boom), transaction.atomic():
        saved = document_services.document_create(user=user, account=account, upload=pdf_upload())
        assert stored_names() == [saved.record.file.name]
        raise Boom
    assert stored_names() == []
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_a_document_stored_in_an_outer_transaction_that_commits_is_kept(user, account):
    with transaction.atomic():
        saved = document_services.document_create(user=user, account=account, upload=pdf_upload())
    assert stored_names() == [saved.record.file.name]
    with saved.record.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")


@pytest.mark.django_db
def test_a_refused_duplicate_leaves_only_the_first_copy(user, account):
    first = document_services.document_create(user=user, account=account, upload=pdf_upload())
    with pytest.raises(document_services.DuplicateDocumentError):
        document_services.document_create(user=user, account=account, upload=pdf_upload())
    assert stored_names() == [first.record.file.name]


@pytest.mark.django_db
def test_a_logo_replaced_in_a_transaction_that_rolls_back_keeps_the_old_images(
    user, account, django_capture_on_commit_callbacks
):
    first = account_services.account_set_logo(user=user, account=account, upload=logo_upload())
    old = sorted([first.record.logo.name, first.record.logo_thumb.name])
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        account_services.account_set_logo(user=user, account=first.record, upload=logo_upload())
        assert len(stored_names()) == 4
        raise Boom
    assert callbacks == []  # the old images' removal was rolled back with the change
    assert stored_names() == old
    reloaded = Account.objects.get(pk=account.pk)
    assert sorted([reloaded.logo.name, reloaded.logo_thumb.name]) == old


@pytest.mark.django_db
def test_a_logo_replaced_and_committed_removes_the_old_images(
    user, account, django_capture_on_commit_callbacks
):
    first = account_services.account_set_logo(user=user, account=account, upload=logo_upload())
    with django_capture_on_commit_callbacks(execute=True):
        second = account_services.account_set_logo(
            user=user, account=first.record, upload=logo_upload()
        )
    assert stored_names() == sorted([second.record.logo.name, second.record.logo_thumb.name])


@pytest.mark.django_db
def test_a_hook_runs_for_its_own_savepoint_only(db):
    ran: list[str] = []
    with transaction.atomic():
        on_rollback(lambda: ran.append("outer"))
        with pytest.raises(Boom), transaction.atomic():
            on_rollback(lambda: ran.append("inner"))
            raise Boom
        assert ran == ["inner"]
    assert ran == ["inner"]  # the outer block (inside the test's transaction) committed


@pytest.mark.django_db(transaction=True)
def test_the_outermost_rollback_runs_every_hook_and_a_commit_forgets_them():
    ran: list[str] = []
    with pytest.raises(Boom), transaction.atomic():
        on_rollback(lambda: ran.append("first"))
        with transaction.atomic():
            on_rollback(lambda: ran.append("nested"))
        raise Boom
    assert ran == ["first", "nested"]
    with transaction.atomic():
        on_rollback(lambda: ran.append("committed"))
    assert ran == ["first", "nested"]
    assert connection.run_on_rollback == []


@pytest.mark.django_db(transaction=True)
def test_a_failing_hook_is_logged_and_does_not_hide_the_error(caplog):
    def broken() -> None:
        raise OSError("store unreachable")

    with pytest.raises(Boom), transaction.atomic():
        on_rollback(broken)
        raise Boom
    assert "on_rollback hook" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_nothing_is_registered():
    on_rollback(lambda: pytest.fail("must not run"))
    assert connection.run_on_rollback == []


@pytest.mark.skipif(not S3_MODE, reason="the object store's own rules")
@pytest.mark.django_db
def test_objects_are_private_and_never_get_a_url(user, account, s3_bucket):
    saved = document_services.document_create(user=user, account=account, upload=pdf_upload())
    from clientela.core.storage import PrivateS3Storage

    assert isinstance(default_storage, PrivateS3Storage)
    acl = default_storage.connection.meta.client.get_object_acl(
        Bucket=s3_bucket, Key=saved.record.file.name
    )
    granted_to = {grant["Grantee"].get("URI", "") for grant in acl["Grants"]}
    assert not any("AllUsers" in uri or "AuthenticatedUsers" in uri for uri in granted_to)
    with pytest.raises(NotImplementedError):
        saved.record.file.url  # noqa: B018
