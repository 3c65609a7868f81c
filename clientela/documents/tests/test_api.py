"""/api/v1/ for an account's documents: the same checks, refusals and headers as the
Documentos panel and the HTML download."""

from urllib.parse import quote

import pytest
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test import Client

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.api.services import api_token_create
from clientela.audit.models import HistoryEntry
from clientela.core.tests.object_store import stored_names
from clientela.documents.models import Document
from clientela.documents.uploads import MAX_FILES_PER_UPLOAD

from .factories import HTML_BYTES, DocumentFactory, pdf_bytes, pdf_upload, upload

pytestmark = pytest.mark.django_db


def api_client(role="manager", user=None):
    user = user or UserFactory(role=role)
    _record, token = api_token_create(user=user, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.user = user
    return client


def documents_url(account):
    return f"/api/v1/accounts/{account.code}/documents"


def post_files(client, to, files, **fields):
    return client.post(documents_url(to), {"files": files, **fields})


def patch(client, pk, data, **headers):
    return client.patch(
        f"/api/v1/documents/{pk}", data=data, content_type="application/json", **headers
    )


@pytest.fixture
def seller():
    return UserFactory(role="sales")


@pytest.fixture
def account(seller):
    return AccountFactory(salesperson=seller)


# ── Upload ────────────────────────────────────────────────────────────────────────────────


def test_upload_a_pdf_through_the_service(seller, account, media):
    client = api_client(user=seller)
    response = post_files(
        client,
        account,
        [pdf_upload("Contrato firmado.pdf")],
        category="legal",
        description=" 2026 ",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["refused"] == []
    [created] = data["created"]
    document = Document.objects.get()
    assert created == {
        "id": document.pk,
        "account": account.code,
        "original_name": "Contrato firmado.pdf",
        "category": "legal",
        "description": "2026",
        "size": len(pdf_bytes()),
        "content_type": "application/pdf",
        "sha256": document.sha256,
        "uploaded_by": seller.username,
        "uploaded_at": created["uploaded_at"],
        "updated_at": created["updated_at"],
        "version": 1,
    }
    assert stored_names() == [document.file.name]
    assert HistoryEntry.objects.get().action == "create"


def test_a_batch_saves_the_good_files_and_names_each_refused_one(seller, account):
    response = post_files(
        api_client(user=seller),
        account,
        [pdf_upload("bueno.pdf"), upload("factura.pdf", HTML_BYTES, "application/pdf")],
    )
    assert response.status_code == 201
    data = response.json()
    assert [d["original_name"] for d in data["created"]] == ["bueno.pdf"]
    [refused] = data["refused"]
    assert refused["name"] == "factura.pdf"
    assert refused["errors"] == ["No se aceptan archivos HTML, SVG, XML ni scripts."]
    assert refused["existing_id"] is None


def test_html_renamed_pdf_alone_is_a_422_and_stores_nothing(seller, account, media):
    response = post_files(
        api_client(user=seller), account, [upload("factura.pdf", HTML_BYTES, "application/pdf")]
    )
    assert response.status_code == 422
    data = response.json()
    assert data["refused"][0]["name"] == "factura.pdf"
    assert data["errors"]["files"][0].startswith("factura.pdf: ")
    assert not Document.objects.exists()
    assert stored_names() == []


def test_a_duplicate_is_refused_with_the_existing_document(seller, account):
    client = api_client(user=seller)
    first = post_files(client, account, [pdf_upload("original.pdf")]).json()["created"][0]
    response = post_files(client, account, [pdf_upload("copia.pdf")])
    assert response.status_code == 422
    [refused] = response.json()["refused"]
    assert refused["name"] == "copia.pdf"
    assert refused["existing_id"] == first["id"]
    assert "original.pdf" in refused["errors"][0]
    # Beside a new file the batch is a 201 that still points at the first copy.
    response = post_files(client, account, [pdf_upload("copia.pdf"), pdf_upload(text="Otro")])
    assert response.status_code == 201
    assert response.json()["refused"][0]["existing_id"] == first["id"]
    assert Document.objects.count() == 2


@pytest.fixture
def received(monkeypatch):
    """File name -> bytes that reached Django's own upload handlers (memory or disk)."""
    seen = {}
    for handler_class in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler_class.receive_data_chunk

        def spy(self, raw_data, start, original=original):
            seen[self.file_name] = seen.get(self.file_name, 0) + len(raw_data)
            return original(self, raw_data, start)

        monkeypatch.setattr(handler_class, "receive_data_chunk", spy)
    return seen


def big_pdf():
    return upload("escaneo enorme.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n")


def test_an_oversized_file_is_cut_off_while_streaming(settings, seller, account, received):
    settings.DOCUMENT_MAX_BYTES = 64 * 1024
    response = post_files(api_client(user=seller), account, [big_pdf(), pdf_upload("pequeño.pdf")])
    assert response.status_code == 201
    data = response.json()
    assert [d["original_name"] for d in data["created"]] == ["pequeño.pdf"]
    assert data["refused"][0]["name"] == "escaneo enorme.pdf"
    assert "64" in data["refused"][0]["errors"][0]
    assert received["escaneo enorme.pdf"] <= settings.DOCUMENT_MAX_BYTES
    assert received["pequeño.pdf"] == len(pdf_bytes())


def test_only_oversized_files_are_reported_as_such_not_as_missing(settings, seller, account):
    settings.DOCUMENT_MAX_BYTES = 1024
    response = post_files(api_client(user=seller), account, [upload("grande.pdf", b"%PDF-" * 999)])
    assert response.status_code == 422
    assert response.json()["refused"][0]["name"] == "grande.pdf"
    assert not Document.objects.exists()


def test_a_request_declaring_more_than_the_limit_is_refused_unread(settings, seller, account):
    settings.DOCUMENT_MAX_BYTES = 1024
    response = api_client(user=seller).generic(
        "POST",
        documents_url(account),
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(MAX_FILES_PER_UPLOAD * 1024 + 2 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert str(MAX_FILES_PER_UPLOAD) in response.json()["detail"]
    assert not Document.objects.exists()


@pytest.mark.parametrize("session", [False, True])
def test_a_body_that_is_not_multipart_is_a_400_in_the_api_format(seller, account, session):
    if session:  # the session's CSRF check is what reads the body first
        client = Client(enforce_csrf_checks=True)
        client.force_login(seller)
        page = client.get(f"/accounts/{account.code}/")
        headers = {
            "HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value,
            "HTTP_REFERER": page.wsgi_request.build_absolute_uri(),  # checked over HTTPS
        }
    else:
        client, headers = api_client(user=seller), {}
    response = client.generic(
        "POST",
        documents_url(account),
        b"--x\r\nbroken",
        content_type="multipart/form-data; boundary=",
        **headers,
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Document.objects.exists()


def test_more_files_than_django_parses_is_a_413(settings, seller, account):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = [pdf_upload(f"{n}.pdf", text=f"Contrato {n}") for n in range(3)]
    response = post_files(api_client(user=seller), account, files)
    assert response.status_code == 413
    assert not Document.objects.exists()


def test_no_file_is_a_422_naming_the_field(seller, account):
    response = api_client(user=seller).post(documents_url(account), {"category": "legal"})
    assert response.status_code == 422
    assert "files" in response.json()["errors"]


def test_too_many_files_at_once_are_refused(seller, account):
    files = [pdf_upload(f"{n}.pdf", text=f"Contrato {n}") for n in range(MAX_FILES_PER_UPLOAD + 1)]
    response = post_files(api_client(user=seller), account, files)
    assert response.status_code == 422
    assert "files" in response.json()["errors"]
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("account", "C-999999"),
        ("sha256", "0" * 64),
        ("size", "1"),
        ("content_type", "text/html"),
        ("original_name", "otro.exe"),
        ("uploaded_by", "admin"),
        ("version", "7"),
        ("x", "1"),
    ],
)
def test_unknown_and_system_form_fields_are_refused(seller, account, field, value):
    response = post_files(api_client(user=seller), account, [pdf_upload()], **{field: value})
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Document.objects.exists()


def test_files_under_another_field_name_are_refused(seller, account):
    response = api_client(user=seller).post(
        documents_url(account), {"files": [pdf_upload()], "file": pdf_upload("otro.pdf")}
    )
    assert response.status_code == 422
    assert "file" in response.json()["errors"]
    assert not Document.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("category", "secret"), ("description", "x" * 501)])
def test_invalid_form_values_are_422(seller, account, field, value):
    response = post_files(api_client(user=seller), account, [pdf_upload()], **{field: value})
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Document.objects.exists()


def test_a_browser_session_upload_needs_the_csrf_token(seller, account):
    client = Client(enforce_csrf_checks=True)
    client.force_login(seller)
    response = post_files(client, account, [pdf_upload()])
    assert response.status_code == 403
    assert not Document.objects.exists()
    page = client.get(f"/accounts/{account.code}/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        documents_url(account),
        {"files": [pdf_upload()]},
        HTTP_X_CSRFTOKEN=token,
        HTTP_REFERER=page.wsgi_request.build_absolute_uri(),  # checked over HTTPS
    )
    assert response.status_code == 201
    assert Document.objects.count() == 1


def test_the_size_limit_is_in_place_before_the_sessions_csrf_check_reads_the_body(
    settings, seller, account, received
):
    settings.DOCUMENT_MAX_BYTES = 64 * 1024
    client = Client(enforce_csrf_checks=True)
    client.force_login(seller)
    page = client.get(f"/accounts/{account.code}/")  # sets the CSRF cookie
    response = client.post(
        documents_url(account),
        {"files": [big_pdf()]},
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
        HTTP_REFERER=page.wsgi_request.build_absolute_uri(),  # checked over HTTPS
    )
    assert response.status_code == 422
    assert response.json()["refused"][0]["name"] == "escaneo enorme.pdf"
    assert received["escaneo enorme.pdf"] <= settings.DOCUMENT_MAX_BYTES


# ── List ──────────────────────────────────────────────────────────────────────────────────


def test_list_filters_searches_orders_and_pages(account):
    DocumentFactory(account=account, original_name="Acta Núñez.pdf", category="legal", size=30)
    DocumentFactory(account=account, original_name="Balance.pdf", category="tax", size=10)
    DocumentFactory(
        account=account, original_name="Contrato.pdf", description="Peña y asociados", size=20
    )
    DocumentFactory()  # another account's
    client = api_client()
    data = client.get(documents_url(account)).json()
    assert data["count"] == 3
    assert [d["original_name"] for d in data["items"]] == [
        "Contrato.pdf",
        "Balance.pdf",
        "Acta Núñez.pdf",
    ]
    assert client.get(documents_url(account), {"category": "tax"}).json()["count"] == 1
    found = client.get(documents_url(account), {"q": "nunez"}).json()["items"]
    assert [d["original_name"] for d in found] == ["Acta Núñez.pdf"]
    found = client.get(documents_url(account), {"q": "PENA"}).json()["items"]
    assert [d["original_name"] for d in found] == ["Contrato.pdf"]
    by_size = client.get(documents_url(account), {"ordering": "-size"}).json()["items"]
    assert [d["size"] for d in by_size] == [30, 20, 10]
    by_name = client.get(documents_url(account), {"ordering": "original_name"}).json()["items"]
    assert by_name[0]["original_name"] == "Acta Núñez.pdf"
    page = client.get(documents_url(account), {"page_size": 2, "page": 2}).json()
    assert page["count"] == 3 and len(page["items"]) == 1


@pytest.mark.parametrize(
    "ordering", ["original_name;DROP TABLE documents_document", "(select 1)", "file", "sha256"]
)
def test_ordering_outside_the_allow_list_is_a_422(account, ordering):
    response = api_client().get(documents_url(account), {"ordering": ordering})
    assert response.status_code == 422
    assert "ordering" in response.json()["errors"]


@pytest.mark.parametrize(("name", "value"), [("category", "secret"), ("page_size", "201")])
def test_bad_list_filters_are_a_422(account, name, value):
    response = api_client().get(documents_url(account), {name: value})
    assert response.status_code == 422
    assert name in response.json()["errors"]


def test_list_query_count_does_not_grow_with_page_size(account, django_assert_max_num_queries):
    client = api_client()
    DocumentFactory.create_batch(2, account=account)
    with django_assert_max_num_queries(10) as few:
        client.get(documents_url(account))
    DocumentFactory.create_batch(20, account=account)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(documents_url(account), {"page_size": 200}).json()["items"]) == 22


def test_unknown_account_is_404(db):
    assert api_client().get("/api/v1/accounts/C-999999/documents").status_code == 404


# ── One document ──────────────────────────────────────────────────────────────────────────


def test_read_a_document_with_its_etag(account):
    document = DocumentFactory(account=account, original_name="Acta.pdf", description="Firmada")
    response = api_client().get(f"/api/v1/documents/{document.pk}")
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    data = response.json()
    assert data["account"] == account.code
    assert data["original_name"] == "Acta.pdf"
    assert data["uploaded_by"] == document.created_by.username


def test_download_answers_with_the_same_headers_as_the_html_download(account):
    name = 'Año "2026" ñ.pdf'
    document = DocumentFactory(account=account, original_name=name)
    manager = UserFactory(role="manager")
    html = Client()
    html.force_login(manager)
    expected = html.get(f"/documents/{document.pk}/download/")
    response = api_client(user=manager).get(f"/api/v1/documents/{document.pk}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes(name)
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    for header in (
        "Content-Disposition",
        "Content-Type",
        "Content-Length",
        "X-Content-Type-Options",
        "Content-Security-Policy",
        "Cross-Origin-Resource-Policy",
        "Cache-Control",
    ):
        assert response[header] == expected[header], header


def test_a_missing_stored_file_is_a_404_not_a_500(account):
    document = DocumentFactory(account=account)
    document.file.storage.delete(document.file.name)
    response = api_client().get(f"/api/v1/documents/{document.pk}/download")
    assert response.status_code == 404


def test_patch_changes_category_and_description_with_a_version(account):
    document = DocumentFactory(account=account, category="contract")
    client = api_client()
    response = patch(client, document.pk, {"category": "tax", "description": "Renta", "version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["category"] == "tax"
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'
    stale = patch(client, document.pk, {"description": "Otra", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert patch(client, document.pk, {"description": "X"}, HTTP_IF_MATCH='"1"').status_code == 409
    response = patch(client, document.pk, {"description": "Final"}, HTTP_IF_MATCH='"2"')
    assert response.status_code == 200
    document.refresh_from_db()
    assert (document.category, document.description, document.version) == ("tax", "Final", 3)
    assert HistoryEntry.objects.filter(action="update").count() == 2


def test_patch_without_a_version_is_refused(account):
    document = DocumentFactory(account=account)
    response = patch(api_client(), document.pk, {"description": "X"})
    assert response.status_code == 422
    assert "version" in response.json()["errors"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("original_name", "otro.exe"),
        ("sha256", "0" * 64),
        ("account", "C-000002"),
        ("content_type", "text/html"),
        ("category", None),
        ("category", "secret"),
        ("description", "x" * 501),
    ],
)
def test_patch_refuses_system_fields_and_bad_values(account, field, value):
    document = DocumentFactory(account=account, original_name="Acta.pdf", category="legal")
    response = patch(api_client(), document.pk, {field: value, "version": 1})
    assert response.status_code == 422
    assert field in response.json()["errors"]
    document.refresh_from_db()
    assert (document.original_name, document.category, document.version) == ("Acta.pdf", "legal", 1)


def test_delete_removes_the_record_and_then_the_file(
    account, media, django_capture_on_commit_callbacks
):
    document = DocumentFactory(account=account)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client().delete(f"/api/v1/documents/{document.pk}")
    assert response.status_code == 204
    assert not Document.objects.exists()
    assert stored_names() == []
    assert HistoryEntry.objects.get().action == "delete"


def test_without_credentials_the_answer_is_401(account):
    document = DocumentFactory(account=account)
    client = Client()
    assert client.get(documents_url(account)).status_code == 401
    assert client.get(f"/api/v1/documents/{document.pk}/download").status_code == 401
    assert post_files(client, account, [pdf_upload()]).status_code == 401
    assert Document.objects.count() == 1


# ── Roles ─────────────────────────────────────────────────────────────────────────────────


def test_a_salesperson_gets_404_for_another_salespersons_documents(account, media):
    document = DocumentFactory(account=account, description="Intacta")
    files_before = stored_names()
    client = api_client("sales")
    pk = document.pk
    assert client.get(documents_url(account)).status_code == 404
    assert post_files(client, account, [pdf_upload("nuevo.pdf", text="Nuevo")]).status_code == 404
    assert client.get(f"/api/v1/documents/{pk}").status_code == 404
    assert client.get(f"/api/v1/documents/{pk}/download").status_code == 404
    assert patch(client, pk, {"description": "Cambio", "version": 1}).status_code == 404
    assert client.delete(f"/api/v1/documents/{pk}").status_code == 404
    assert list(Document.objects.values_list("pk", "description", "version")) == [
        (pk, "Intacta", 1)
    ]
    assert stored_names() == files_before
    assert not HistoryEntry.objects.exists()


def test_a_salesperson_works_their_own_accounts_documents(seller, account):
    document = DocumentFactory(account=account)
    client = api_client(user=seller)
    assert client.get(documents_url(account)).json()["count"] == 1
    assert client.get(f"/api/v1/documents/{document.pk}/download").status_code == 200
    assert patch(client, document.pk, {"description": "Mía", "version": 1}).status_code == 200
    assert client.delete(f"/api/v1/documents/{document.pk}").status_code == 204


@pytest.mark.parametrize("role", ["support", "viewer"])
def test_read_only_roles_download_but_get_403_for_writes_and_change_nothing(role, account, media):
    document = DocumentFactory(account=account, description="Intacta")
    files_before = stored_names()
    client = api_client(role)
    pk = document.pk
    assert client.get(documents_url(account)).json()["count"] == 1
    assert client.get(f"/api/v1/documents/{pk}").status_code == 200
    assert client.get(f"/api/v1/documents/{pk}/download").status_code == 200
    response = post_files(client, account, [pdf_upload("nuevo.pdf", text="Nuevo")])
    assert response.status_code == 403
    assert patch(client, pk, {"description": "Cambio", "version": 1}).status_code == 403
    assert client.delete(f"/api/v1/documents/{pk}").status_code == 403
    assert list(Document.objects.values_list("pk", "description", "version")) == [
        (pk, "Intacta", 1)
    ]
    assert stored_names() == files_before
    assert not HistoryEntry.objects.exists()


def test_the_openapi_document_describes_the_upload_and_the_download():
    schema = api_client().get("/api/v1/openapi.json").json()
    upload_op = schema["paths"]["/api/v1/accounts/{code}/documents"]["post"]
    body = upload_op["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert body["required"] == ["files"]
    assert body["properties"]["files"]["items"]["format"] == "binary"
    assert {"201", "413", "422"} <= set(upload_op["responses"])
    download = schema["paths"]["/api/v1/documents/{id}/download"]["get"]["responses"]["200"]
    assert download["content"]["application/octet-stream"]["schema"]["format"] == "binary"
