import re
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.audit.models import HistoryEntry
from clientela.documents import services
from clientela.documents.models import Document
from clientela.documents.uploads import MAX_FILES_PER_UPLOAD

from .factories import (
    HTML_BYTES,
    SVG_BYTES,
    XSS_NAME,
    DocumentFactory,
    image_bytes,
    pdf_bytes,
    pdf_upload,
    polyglot_png_html,
    upload,
    zip_bomb_bytes,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def seller(db):
    return UserFactory(role="sales", first_name="Lucía", last_name="Peña")


@pytest.fixture
def account(seller):
    return AccountFactory(salesperson=seller)


@pytest.fixture
def client_for(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def documents_url(account):
    return reverse("account_documents", args=[account.code])


def panel_html(response) -> str:
    return response.content.decode()


def post_files(client, account, files, *, htmx=True, category="contract", description=""):
    data = {"files": files, "category": category, "description": description}
    return client.post(documents_url(account), data, **(HTMX if htmx else {}))


# ── Upload: the batch, each file on its own ───────────────────────────────────────────────


def test_batch_saves_the_good_files_and_names_each_refused_one_with_its_reason(
    client_for, seller, account
):
    client = client_for(seller)
    response = post_files(
        client,
        account,
        [
            pdf_upload("Contrato firmado.pdf"),
            upload("factura.pdf", HTML_BYTES, "application/pdf"),
            upload("logo.svg", SVG_BYTES, "image/svg+xml"),
            upload("fotos.zip", zip_bomb_bytes(2 * 1024 * 1024), "application/zip"),
            upload("Planilla.png", image_bytes("PNG"), "image/png"),
        ],
        description="Recibidos por correo",
    )
    assert response.status_code == 200
    html = panel_html(response)
    assert sorted(Document.objects.values_list("original_name", flat=True)) == [
        "Contrato firmado.pdf",
        "Planilla.png",
    ]
    assert set(Document.objects.values_list("category", "description")) == {
        ("contract", "Recibidos por correo")
    }
    # Each refusal names the file and the reason, in Spanish.
    assert re.search(r"factura\.pdf</strong>: No se aceptan archivos HTML, SVG, XML", html)
    assert re.search(r"logo\.svg</strong>: No se aceptan archivos HTML, SVG, XML", html)
    assert re.search(r"fotos\.zip</strong>: El archivo comprimido se expande", html)
    assert re.search(r"Contrato firmado\.pdf</strong>: Guardado", html)
    # The panel lists the saved files.
    assert 'id="panel-documents"' in html
    assert html.count('<tr id="document-') == 2


def test_a_batch_where_every_file_is_refused_answers_422_with_the_reasons(
    client_for, seller, account
):
    response = post_files(
        client_for(seller), account, [upload("factura.pdf", HTML_BYTES, "application/pdf")]
    )
    assert response.status_code == 422
    assert "factura.pdf" in panel_html(response)
    assert not Document.objects.exists()


def test_no_file_chosen_is_a_form_error(client_for, seller, account):
    response = post_files(client_for(seller), account, [])
    assert response.status_code == 422
    assert 'id="id_document_files_error"' in panel_html(response)
    assert "Seleccione al menos un archivo." in panel_html(response)


def test_unknown_category_is_a_form_error_and_nothing_is_saved(client_for, seller, account):
    response = post_files(client_for(seller), account, [pdf_upload()], category="secreto")
    assert response.status_code == 422
    assert 'id="id_document_category_error"' in panel_html(response)
    assert not Document.objects.exists()


def test_too_many_files_at_once_are_refused(client_for, seller, account):
    files = [pdf_upload(f"c{n}.pdf", text=f"Contrato {n}") for n in range(MAX_FILES_PER_UPLOAD + 1)]
    response = post_files(client_for(seller), account, files)
    assert response.status_code == 422
    assert not Document.objects.exists()


def test_without_javascript_the_upload_redirects_to_the_profile_with_messages(
    client_for, seller, account
):
    client = client_for(seller)
    response = post_files(
        client,
        account,
        [pdf_upload("bueno.pdf"), upload("malo.pdf", HTML_BYTES)],
        htmx=False,
    )
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{account.code}/#panel-documents"
    page = client.get(response["Location"]).content.decode()
    assert "bueno.pdf: Guardado." in page
    assert "malo.pdf: No se aceptan archivos HTML" in page
    assert 'id="panel-documents"' in page


def test_duplicate_is_refused_with_a_link_to_the_first_copy(client_for, seller, account):
    client = client_for(seller)
    post_files(client, account, [pdf_upload("original.pdf")])
    first = Document.objects.get()
    response = post_files(client, account, [pdf_upload("otra vez.pdf")])
    html = panel_html(response)
    assert response.status_code == 422
    assert "otra vez.pdf</strong>: Este archivo ya está en esta cuenta como «original.pdf»" in html
    assert f'href="/documents/{first.pk}/"' in html
    assert Document.objects.count() == 1


def test_the_same_file_twice_in_one_batch_is_saved_once(client_for, seller, account):
    response = post_files(client_for(seller), account, [pdf_upload("a.pdf"), pdf_upload("b.pdf")])
    html = panel_html(response)
    assert response.status_code == 200
    assert list(Document.objects.values_list("original_name", flat=True)) == ["a.pdf"]
    assert "b.pdf</strong>: Este archivo ya está en esta cuenta como «a.pdf»" in html


def test_duplicate_without_javascript_flashes_the_link(client_for, seller, account):
    client = client_for(seller)
    first = services.document_create(user=seller, account=account, upload=pdf_upload()).record
    response = post_files(client, account, [pdf_upload("copia.pdf")], htmx=False)
    page = client.get(response["Location"]).content.decode()
    assert f'<a href="/documents/{first.pk}/">Ver la copia existente</a>' in page


def test_the_panel_shows_the_upload_form_only_to_those_who_may_upload(client, account):
    DocumentFactory(account=account)
    client.force_login(account.salesperson)
    assert 'name="files"' in client.get(f"/accounts/{account.code}/").content.decode()
    client.force_login(UserFactory(role="viewer"))
    html = client.get(f"/accounts/{account.code}/").content.decode()
    assert 'name="files"' not in html
    assert "/download/" in html


def test_the_form_gives_the_script_unformatted_limits(client_for, seller, account, settings):
    settings.DOCUMENT_MAX_BYTES = 26_214_400
    html = client_for(seller).get(f"/accounts/{account.code}/").content.decode()
    assert 'data-max-bytes="26214400"' in html
    assert f'data-max-files="{MAX_FILES_PER_UPLOAD}"' in html


# ── The size limit, while the body streams in ────────────────────────────────────────────


def test_an_oversized_file_is_skipped_while_streaming_and_named(
    settings, client_for, seller, account, monkeypatch
):
    settings.DOCUMENT_MAX_BYTES = 64 * 1024
    # Count what reaches Django's own handlers: the oversized file must stop at the limit.
    received = {}  # file name -> bytes that reached them
    for handler_class in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler_class.receive_data_chunk

        def spy(self, raw_data, start, original=original):
            received[self.file_name] = received.get(self.file_name, 0) + len(raw_data)
            return original(self, raw_data, start)

        monkeypatch.setattr(handler_class, "receive_data_chunk", spy)
    big = upload("escaneo enorme.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n")
    response = post_files(client_for(seller), account, [big, pdf_upload("pequeño.pdf")])
    html = panel_html(response)
    assert response.status_code == 200
    assert re.search(r"escaneo enorme\.pdf</strong>: El archivo supera el límite de 64", html)
    assert list(Document.objects.values_list("original_name", flat=True)) == ["pequeño.pdf"]
    assert received["escaneo enorme.pdf"] <= settings.DOCUMENT_MAX_BYTES
    assert received["pequeño.pdf"] == len(pdf_bytes())


def test_only_oversized_files_is_not_mistaken_for_no_file(settings, client_for, seller, account):
    settings.DOCUMENT_MAX_BYTES = 1024
    response = post_files(client_for(seller), account, [upload("grande.pdf", b"%PDF-" * 1000)])
    html = panel_html(response)
    assert response.status_code == 422
    assert "grande.pdf</strong>: El archivo supera el límite" in html
    assert "Seleccione al menos un archivo." not in html


def test_a_request_declaring_more_than_the_limit_is_refused_before_reading(
    settings, client_for, seller, account
):
    settings.DOCUMENT_MAX_BYTES = 1024
    client = client_for(seller)
    # The declared length is what counts; the body is never read.
    response = client.generic(
        "POST",
        documents_url(account),
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(MAX_FILES_PER_UPLOAD * 1024 + 2 * 1024 * 1024),
        **HTMX,
    )
    assert response.status_code == 413
    html = panel_html(response)
    assert f"La carga es demasiado grande: como máximo {MAX_FILES_PER_UPLOAD} archivos" in html
    assert "</strong>: La carga" not in html  # about the whole upload, not one file
    assert not Document.objects.exists()


def test_the_upload_checks_the_csrf_token(seller, account):
    client = Client(enforce_csrf_checks=True)
    client.force_login(seller)
    response = client.post(documents_url(account), {"files": [pdf_upload()], "category": "legal"})
    assert response.status_code == 403
    assert not Document.objects.exists()
    page = client.get(f"/accounts/{account.code}/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        documents_url(account),
        {"files": [pdf_upload()], "category": "legal"},
        HTTP_X_CSRFTOKEN=token,
        # As a browser sends it: over HTTPS Django also checks where the post came from.
        HTTP_REFERER=page.wsgi_request.build_absolute_uri(),
        **HTMX,
    )
    assert response.status_code == 200
    assert Document.objects.count() == 1


@pytest.mark.urls("clientela.documents.tests.spec_urls")
def test_upload_at_the_spec_path(client_for, seller, account):
    """SPEC §11: POST /accounts/<code>/documents/ once config/urls.py mounts account_urls."""
    assert documents_url(account) == f"/accounts/{account.code}/documents/"
    response = client_for(seller).post(
        f"/accounts/{account.code}/documents/",
        {"files": [pdf_upload("a.pdf"), pdf_upload("b.pdf", text="otro")], "category": "tax"},
    )
    assert response.status_code == 302
    assert Document.objects.filter(account=account, category="tax").count() == 2


# ── The panel ─────────────────────────────────────────────────────────────────────────────


def test_panel_lists_newest_first_and_pages(client_for, seller, account):
    for n in range(23):
        DocumentFactory(account=account, original_name=f"Doc {n:02d}.pdf")
    client = client_for(seller)
    html = client.get(documents_url(account), **HTMX).content.decode()
    assert html.index("Doc 22.pdf") < html.index("Doc 21.pdf")
    assert "Doc 02.pdf" not in html
    assert "Página 1 de 2" in html
    second = client.get(documents_url(account) + "?documents_page=2", **HTMX).content.decode()
    assert "Doc 02.pdf" in second and "Doc 22.pdf" not in second


def test_panel_without_htmx_goes_to_the_profile(client_for, seller, account):
    response = client_for(seller).get(documents_url(account) + "?documents_page=2")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{account.code}/?documents_page=2#panel-documents"


def test_panel_query_count_does_not_grow_with_documents(
    client_for, seller, account, django_assert_max_num_queries
):
    client = client_for(seller)
    DocumentFactory(account=account)
    with CaptureQueriesContext(connection) as few:
        client.get(documents_url(account), **HTMX)
    for _n in range(15):
        DocumentFactory(account=account, created_by=UserFactory())
    with django_assert_max_num_queries(len(few)):
        response = client.get(documents_url(account), **HTMX)
    assert response.content.decode().count('<tr id="document-') == 16


def test_profile_query_count_with_the_panel_does_not_grow(
    client_for, seller, account, django_assert_max_num_queries
):
    client = client_for(seller)
    DocumentFactory(account=account)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/accounts/{account.code}/")
    for _n in range(10):
        DocumentFactory(account=account, created_by=UserFactory())
    with django_assert_max_num_queries(len(few)):
        client.get(f"/accounts/{account.code}/")


def test_file_names_are_escaped_everywhere(client_for, seller, account):
    document = services.document_create(
        user=seller, account=account, upload=pdf_upload(XSS_NAME), category="legal"
    ).record
    client = client_for(seller)
    escaped = "&lt;img src=x onerror=alert(1)&gt;.pdf"
    pages = [
        client.get(f"/accounts/{account.code}/").content.decode(),  # panel and history
        client.get(documents_url(account), **HTMX).content.decode(),
        client.get(f"/documents/{document.pk}/").content.decode(),
        client.get(f"/documents/{document.pk}/edit/").content.decode(),
        client.get(f"/documents/{document.pk}/delete/").content.decode(),
        panel_html(post_files(client, account, [pdf_upload(XSS_NAME)])),  # duplicate message
    ]
    for html in pages:
        assert "<img src=x" not in html
        assert escaped in html


# ── Download and preview ──────────────────────────────────────────────────────────────────


def test_download_is_an_attachment_with_the_original_name_and_detected_type(
    client_for, seller, account
):
    name = 'Contrato "Año" ñ.pdf'
    document = services.document_create(
        user=seller, account=account, upload=pdf_upload(name)
    ).record
    response = client_for(seller).get(f"/documents/{document.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    assert "%22A%C3%B1o%22%20%C3%B1.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "no-store" in response["Cache-Control"]


def test_ascii_names_with_quotes_are_escaped_in_the_header(client_for, seller, account):
    document = services.document_create(
        user=seller, account=account, upload=pdf_upload('Acta "final".pdf')
    ).record
    response = client_for(seller).get(f"/documents/{document.pk}/download/")
    assert response["Content-Disposition"] == 'attachment; filename="Acta \\"final\\".pdf"'


def test_text_downloads_declare_their_charset(client_for, seller, account):
    document = services.document_create(
        user=seller, account=account, upload=upload("notas.txt", "Año nuevo\n".encode("cp1252"))
    ).record
    response = client_for(seller).get(f"/documents/{document.pk}/download/")
    assert response["Content-Type"] == "text/plain; charset=windows-1252"


def test_the_polyglot_is_served_as_an_image_that_cannot_run(client_for, seller, account):
    document = services.document_create(
        user=seller, account=account, upload=upload("pagina.html", polyglot_png_html())
    ).record
    client = client_for(seller)
    for url in (f"/documents/{document.pk}/download/", f"/documents/{document.pk}/preview/"):
        response = client.get(url)
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"].split(";")[0] == "sandbox"
        assert "pagina.png" in response["Content-Disposition"]
    assert client.get(f"/documents/{document.pk}/download/")["Content-Disposition"].startswith(
        "attachment"
    )


def test_preview_is_inline_and_sandboxed_for_images_and_pdf_only(client_for, seller, account):
    client = client_for(seller)
    pdf = services.document_create(user=seller, account=account, upload=pdf_upload()).record
    text = services.document_create(
        user=seller, account=account, upload=upload("notas.txt", b"hola\n")
    ).record
    response = client.get(f"/documents/{pdf.pk}/preview/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/documents/{text.pk}/preview/").status_code == 404


def test_download_of_a_file_missing_from_storage_is_404(client_for, seller, account):
    document = DocumentFactory(account=account)
    default_storage.delete(document.file.name)
    assert client_for(seller).get(f"/documents/{document.pk}/download/").status_code == 404


def test_media_is_not_served_from_a_public_url(client_for, seller, account, settings):
    document = DocumentFactory(account=account)
    client = client_for(seller)
    assert client.get(f"{settings.MEDIA_URL}{document.file.name}").status_code == 404
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_sales_user_gets_404_for_another_accounts_document(client_for, account):
    document = DocumentFactory(account=account)
    client = client_for(UserFactory(role="sales"))
    for suffix in ("", "download/", "preview/", "edit/", "delete/"):
        assert client.get(f"/documents/{document.pk}/{suffix}").status_code == 404


# ── Detail, edit, delete ──────────────────────────────────────────────────────────────────


def test_detail_page_shows_the_document(client_for, seller, account):
    document = services.document_create(
        user=seller, account=account, upload=pdf_upload("Poder notarial.pdf"), category="legal"
    ).record
    html = client_for(seller).get(f"/documents/{document.pk}/").content.decode()
    assert "Poder notarial.pdf" in html
    assert "Legal" in html
    assert document.sha256 in html
    assert "Lucía Peña" in html


def test_edit_changes_category_and_description(client_for, seller, account):
    document = services.document_create(user=seller, account=account, upload=pdf_upload()).record
    response = client_for(seller).post(
        f"/documents/{document.pk}/edit/",
        {"category": "tax", "description": "Declaración jurada", "version": "1"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.category, document.description) == ("tax", "Declaración jurada")


def test_edit_with_a_stale_version_keeps_what_was_typed(client_for, seller, account):
    document = services.document_create(user=seller, account=account, upload=pdf_upload()).record
    services.document_update(user=seller, document=document, data={"category": "legal"}, version=1)
    response = client_for(seller).post(
        f"/documents/{document.pk}/edit/",
        {"category": "tax", "description": "Mi cambio", "version": "1"},
    )
    assert response.status_code == 422
    assert "Mi cambio" in response.content.decode()
    document.refresh_from_db()
    assert document.category == "legal"


def test_delete_asks_for_confirmation_first(client_for, seller, account):
    document = DocumentFactory(account=account)
    client = client_for(seller)
    response = client.get(f"/documents/{document.pk}/delete/")
    assert response.status_code == 200
    assert "Eliminar documento" in response.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()


def test_delete_removes_the_document_and_after_commit_its_file(
    client_for, seller, account, django_capture_on_commit_callbacks
):
    document = DocumentFactory(account=account)
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(seller).post(f"/documents/{document.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{account.code}/#panel-documents"
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not default_storage.exists(name)
    assert HistoryEntry.objects.filter(object_id=str(document.pk), action="delete").exists()
