import random

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.core.tests.object_store import stored_names
from clientela.documents import filetypes
from clientela.documents.demo import SHARE_OF_ACCOUNTS, sample_pdf, seed_documents
from clientela.documents.models import Document


@pytest.fixture
def accounts(db):
    seller = UserFactory(role="sales")
    for _n in range(200):
        AccountFactory(salesperson=seller)
    return Account.objects.all()


def test_sample_pdf_is_a_pdf_with_a_correct_cross_reference_table():
    data = sample_pdf("Contrato de prestación", ["Cliente: Núñez (Panamá)"])
    assert filetypes.detect(SimpleUploadedFile("x", data)).mime == "application/pdf"
    start = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[start:].startswith(b"xref")
    offsets = [int(line[:10]) for line in data[start:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(b"%d 0 obj" % number)


def test_seeder_gives_about_one_account_in_ten_a_contract_and_writes_files_on_commit(
    accounts, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = seed_documents(accounts, random.Random(1))
    documents = list(Document.objects.select_related("account"))
    assert created == len(documents)
    with_documents = {document.account_id for document in documents}
    assert 0.04 * 200 <= len(with_documents) <= 0.2 * 200
    assert SHARE_OF_ACCOUNTS == 0.10
    assert stored_names() == []
    assert len(callbacks) == 1
    callbacks[0]()
    for document in documents:
        assert default_storage.exists(document.file.name)
        with document.file.open("rb") as stored:
            data = stored.read()
        detected = filetypes.detect(SimpleUploadedFile(document.original_name, data))
        assert detected.content_type == document.content_type
        assert document.size == len(data)
        assert document.account.code in document.original_name
        assert document.search_text
        assert document.created_by_id == document.account.salesperson_id


def test_seeder_is_deterministic_for_its_random_generator(accounts):
    seed_documents(accounts, random.Random(5))
    first = list(
        Document.objects.order_by("id").values_list("account_id", "original_name", "sha256")
    )
    Document.objects.all().delete()
    seed_documents(accounts, random.Random(5))
    second = list(
        Document.objects.order_by("id").values_list("account_id", "original_name", "sha256")
    )
    assert first == second


def test_seeder_writes_no_file_when_the_seeding_rolls_back(accounts, media):
    # The test's transaction never commits: the callbacks never run.
    seed_documents(accounts, random.Random(1))
    assert Document.objects.exists()
    assert stored_names() == []
