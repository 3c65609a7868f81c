import re

import pytest
from playwright.sync_api import expect

from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory
from clientela.documents.demo import sample_pdf
from clientela.documents.models import Document
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "clave-segura-123"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # The live server runs in this process: it stores into the temporary folder too.
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_salesperson_uploads_a_pdf_from_the_profile_sees_it_listed_and_downloads_it(page):
    seller = UserFactory(username="lucia", first_name="Lucía", password=PASSWORD, role="sales")
    account = AccountFactory(salesperson=seller, customer_type=CustomerTypeFactory())
    pdf = sample_pdf("Contrato de servicios", ["Cliente: Constructora Núñez"])
    name = "Contrato de servicios Año 2025 ñ.pdf"

    login(page, "lucia", PASSWORD)
    page.goto(f"/accounts/{account.code}/")
    panel = page.locator("#panel-documents")
    expect(panel.get_by_role("heading", name=re.compile("Documentos"))).to_be_visible()
    expect(panel).to_contain_text("Todavía no hay documentos.")

    # Record the upload progress the panel reports.
    page.evaluate(
        "window.__progress = [];"
        "document.addEventListener('documents:progress',"
        " e => window.__progress.push(e.detail.percent));"
    )
    panel.locator("input[name=files]").set_input_files(
        [
            {"name": name, "mimeType": "application/pdf", "buffer": pdf},
            {
                "name": "pagina.pdf",
                "mimeType": "application/pdf",
                "buffer": b"<html><script>x</script>",
            },
        ]
    )
    panel.get_by_label("Categoría").select_option(label="Contrato")
    panel.get_by_label("Descripción").fill("Firmado por ambas partes")
    panel.get_by_role("button", name="Subir").click()

    row = panel.locator("tbody tr", has_text=name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Contrato")
    expect(row).to_contain_text("Firmado por ambas partes")
    expect(panel.locator(".document-results")).to_contain_text(f"{name}: Guardado.")
    expect(panel.locator(".document-results")).to_contain_text(
        "pagina.pdf: No se aceptan archivos HTML, SVG, XML ni scripts."
    )
    assert page.evaluate("window.__progress")[-1] == 100
    assert page.url.endswith(f"/accounts/{account.code}/")  # htmx: no page load
    assert Document.objects.get().original_name == name

    with page.expect_download() as download_info:
        row.get_by_role("link", name=name).click()
    download = download_info.value
    assert download.suggested_filename == name
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == pdf

    # The history panel shows the upload (a reload shows the new entry).
    page.reload()
    expect(page.locator("#panel-history")).to_contain_text(name)


def test_an_oversized_file_is_refused_in_the_browser_before_it_is_sent(page, settings):
    settings.DOCUMENT_MAX_BYTES = 10_000
    seller = UserFactory(username="mario", password=PASSWORD, role="sales")
    account = AccountFactory(salesperson=seller, customer_type=CustomerTypeFactory())
    login(page, "mario", PASSWORD)
    page.goto(f"/accounts/{account.code}/")
    panel = page.locator("#panel-documents")
    panel.locator("input[name=files]").set_input_files(
        [{"name": "escaneo.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-" + b"0" * 20_000}]
    )
    panel.get_by_role("button", name="Subir").click()
    expect(panel.locator(".document-client-errors")).to_contain_text(
        "escaneo.pdf: El archivo supera el límite de"
    )
    assert not Document.objects.exists()


def test_deleting_a_document_asks_for_confirmation(page):
    seller = UserFactory(username="rosa", password=PASSWORD, role="sales")
    account = AccountFactory(salesperson=seller, customer_type=CustomerTypeFactory())
    login(page, "rosa", PASSWORD)
    page.goto(f"/accounts/{account.code}/")
    panel = page.locator("#panel-documents")
    panel.locator("input[name=files]").set_input_files(
        [{"name": "acta.pdf", "mimeType": "application/pdf", "buffer": sample_pdf("Acta", [])}]
    )
    panel.get_by_role("button", name="Subir").click()
    panel.locator("tbody tr", has_text="acta.pdf").get_by_role("link", name="Eliminar").click()
    expect(page.get_by_role("heading", name="Eliminar acta.pdf")).to_be_visible()
    page.get_by_role("button", name="Eliminar documento").click()
    expect(page).to_have_url(re.compile(rf"/accounts/{account.code}/"))
    expect(page.locator(".messages")).to_contain_text("Documento «acta.pdf» eliminado.")
    expect(page.locator("#panel-documents")).to_contain_text("Todavía no hay documentos.")
