"""Documents in the one search box: found by the words of their file name through the
search index (FTS5 on SQLite, the trigram index on PostgreSQL), scoped by the gate."""

import random
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.core.demo import DemoDensity
from clientela.dashboard.search import search_everything
from clientela.documents.demo import seed_documents
from clientela.documents.models import Document
from clientela.documents.selectors import document_search
from clientela.documents.services import document_update

from .factories import DocumentFactory

pytestmark = pytest.mark.django_db


def documents_found(user, query):
    groups = {group.key: group for group in search_everything(user, query)}
    return groups["documents"].items if "documents" in groups else []


@pytest.mark.parametrize("query", ["arrendamiento", "Panamá", "panama", "PANAMÁ arrend"])
def test_document_found_by_a_word_of_its_file_name_accented_or_not(query):
    document = DocumentFactory(original_name="Contrato de arrendamiento Panamá.pdf")
    DocumentFactory(original_name="Factura 2026-001.pdf")

    assert documents_found(UserFactory(role="manager"), query) == [document]


def test_document_not_found_by_a_user_who_may_not_see_its_account():
    owner = UserFactory(role="sales")
    document = DocumentFactory(
        account=AccountFactory(salesperson=owner), original_name="Escritura Colón.pdf"
    )

    assert documents_found(owner, "colon") == [document]
    assert documents_found(UserFactory(role="sales"), "colon") == []


def test_search_page_lists_a_document_only_for_whom_may_see_it(client):
    owner = UserFactory(role="sales")
    DocumentFactory(account=AccountFactory(salesperson=owner), original_name="Póliza Chiriquí.pdf")

    client.force_login(UserFactory(role="sales"))
    assert "Póliza Chiriquí.pdf" not in client.get(reverse("search"), {"q": "chiriqui"}).text
    client.force_login(owner)
    assert "Póliza Chiriquí.pdf" in client.get(reverse("search"), {"q": "chiriqui"}).text


def test_document_search_uses_the_search_index():
    DocumentFactory(original_name="Contrato de arrendamiento.pdf")

    with CaptureQueriesContext(connection) as captured:
        assert document_search(UserFactory(role="manager"), "arrendamiento").count() == 1

    sql = captured.captured_queries[-1]["sql"]
    if connection.vendor == "sqlite":
        assert "documents_document_fts MATCH" in sql
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'document_search_trgm'"
            )
            assert "gin_trgm_ops" in cursor.fetchone()[0]


def test_changed_description_is_found_by_its_new_words_only():
    document = DocumentFactory(original_name="Anexo.pdf", description="Borrador inicial")
    manager = UserFactory(role="manager")

    document_update(
        user=manager,
        document=document,
        data={"description": "Versión firmada"},
        version=document.version,
    )

    assert list(document_search(manager, "firmada")) == [document]
    assert list(document_search(manager, "borrador")) == []


def test_documents_written_by_the_bulk_path_are_found(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    AccountFactory.create_batch(3)
    with transaction.atomic():
        made = seed_documents(Account.objects.all(), random.Random(7), DemoDensity(documents=1.0))
    assert made
    sample = Document.objects.order_by("pk").first()
    word = max(sample.search_text.split(), key=len)

    assert sample in document_search(UserFactory(role="manager"), word)


def test_migration_backfills_the_search_text_of_older_rows():
    document = DocumentFactory(original_name="Declaración de renta.pdf")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE documents_document SET search_text = '' WHERE id = %s", [document.pk]
        )
    migration = import_module("clientela.documents.migrations.0002_search_index")

    # backfill reads only the editor's connection (the SQLite editor cannot open here).
    migration.backfill(apps, SimpleNamespace(connection=connection))

    document.refresh_from_db()
    assert document.search_text == "declaracion de renta.pdf"
    assert list(document_search(UserFactory(role="manager"), "declaracion")) == [document]


def test_search_page_with_documents_queries_are_few(client, django_assert_max_num_queries):
    manager = UserFactory(role="manager")
    for n in range(8):
        DocumentFactory(original_name=f"Tortuga {n}.pdf")
    client.force_login(manager)

    # The same budget as the search page without documents (dashboard test_search).
    with django_assert_max_num_queries(16):
        response = client.get(reverse("search"), {"q": "tortuga"})

    assert response.status_code == 200
    assert response.text.count("Tortuga ") >= 5
