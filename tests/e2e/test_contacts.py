import re

import pytest
from playwright.sync_api import expect

from clientela.contacts.models import Contact
from clientela.contacts.tests.factories import AccountFactory, ContactFactory, UserFactory
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

# Waits after an htmx request: generous, so a busy CI machine does not fail the test.
SLOW = 15_000


def test_adds_a_contact_in_place_and_finds_it_without_accents(page, screenshot_dir):
    seller = UserFactory(
        username="lucia",
        first_name="Lucía",
        last_name="Peña",
        password="clave-segura-123",
        role="sales",
    )
    account = AccountFactory(name="Constructora del Istmo, S.A.", salesperson=seller)
    ContactFactory(account=account, first_name="Mario", last_name="Mora", is_primary=True)

    login(page, "lucia", "clave-segura-123")
    page.goto(f"/accounts/{account.code}/")
    page.wait_for_load_state()
    profile_url = page.url
    # Survives only as long as the page is not reloaded.
    page.evaluate("window.__sinRecarga = true")
    panel = page.locator("#panel-contacts")
    expect(panel).to_contain_text("Mario Mora")

    panel.get_by_role("link", name="Agregar contacto").click()
    expect(panel.get_by_label("Nombre", exact=True)).to_be_focused(timeout=SLOW)
    panel.get_by_label("Nombre", exact=True).fill("Begoña")
    panel.get_by_label("Cargo").fill("Jefa de Compras")
    panel.get_by_label("Correo electrónico").fill("esto-no-es-correo")
    panel.get_by_label("Celular").fill("6123-4567")
    panel.get_by_role("button", name="Guardar contacto").click()

    # The failed save stays in the panel, keeps what was typed, says what is wrong.
    expect(panel.locator("#contact_last_name_error")).to_be_visible(timeout=SLOW)
    expect(panel.get_by_label("Apellido")).to_be_focused()  # the first wrong field
    expect(panel.locator("#contact_email_error")).to_be_visible()
    expect(panel.get_by_label("Cargo")).to_have_value("Jefa de Compras")
    expect(panel.get_by_label("Nombre", exact=True)).to_have_value("Begoña")
    assert page.url == profile_url
    assert page.evaluate("window.__sinRecarga") is True
    assert Contact.objects.filter(account=account).count() == 1

    panel.get_by_label("Apellido").fill("Ñáñez")
    panel.get_by_label("Correo electrónico").fill("Begona@Istmo.com.pa")
    panel.get_by_label("Contacto principal").check()
    if screenshot_dir:
        page.screenshot(path=str(screenshot_dir / "contact-panel-form.png"), full_page=True)
    panel.get_by_role("button", name="Guardar contacto").click()

    card = panel.locator("li.contact-card", has_text="Begoña Ñáñez")
    expect(card).to_be_visible(timeout=SLOW)
    expect(card).to_contain_text("Principal")
    expect(card).to_contain_text("6123-4567")
    expect(panel.get_by_role("status")).to_contain_text("Begoña Ñáñez")
    # The primary moved: the new one is listed first, the old one lost the badge.
    expect(panel.locator("li.contact-card").first).to_contain_text("Begoña Ñáñez")
    expect(panel.locator("li.contact-card", has_text="Mario Mora")).not_to_contain_text("Principal")
    assert page.url == profile_url
    assert page.evaluate("window.__sinRecarga") is True
    contact = Contact.objects.get(last_name="Ñáñez")
    assert contact.email == "begona@istmo.com.pa" and contact.is_primary

    # Edit in place, too.
    card.get_by_role("link", name="Editar").click()
    # The form opens in her row with the focus on its first field.
    expect(panel.get_by_label("Nombre", exact=True)).to_be_focused(timeout=SLOW)
    expect(panel.get_by_label("Nombre", exact=True)).to_have_value("Begoña")
    panel.get_by_label("Cargo").fill("Gerente de Compras")
    panel.get_by_role("button", name="Guardar", exact=True).click()
    expect(panel.locator("li.contact-card", has_text="Begoña Ñáñez")).to_contain_text(
        "Gerente de Compras", timeout=SLOW
    )
    assert page.evaluate("window.__sinRecarga") is True
    if screenshot_dir:
        page.screenshot(path=str(screenshot_dir / "contact-panel.png"), full_page=True)

    # The directory finds her with a plain-ASCII search, and the URL keeps the search.
    page.get_by_role("navigation", name="Módulos").get_by_role("link", name="Contactos").click()
    expect(page.get_by_role("heading", name="Directorio de contactos")).to_be_visible()
    page.wait_for_load_state()  # htmx has wired the filters
    page.fill("#id_q", "nanez")
    row = page.locator("#results tbody tr", has_text="Ñáñez, Begoña")
    expect(row).to_have_count(1, timeout=SLOW)
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=nanez"))
    expect(row).to_contain_text("Constructora del Istmo, S.A.")
    if screenshot_dir:
        page.screenshot(path=str(screenshot_dir / "contact-directory.png"), full_page=True)
    row.get_by_role("link", name="Ñáñez, Begoña").click()
    expect(page.get_by_role("heading", name="Begoña Ñáñez")).to_be_visible()
    expect(page.locator('[data-field="job_title"] dd')).to_have_text("Gerente de Compras")


def test_letter_bar_and_removal_from_the_panel(page):
    user = UserFactory(username="gabriela", password="clave-segura-123", role="manager")
    account = AccountFactory(name="Farmacia San José", salesperson=user)
    ContactFactory(account=account, first_name="Íñigo", last_name="Ñique")
    ContactFactory(account=account, first_name="Rosa", last_name="Nieto")
    ContactFactory(account=account, first_name="Ana", last_name="Ábrego")
    login(page, "gabriela", "clave-segura-123")

    page.goto("/contacts/")
    expect(page.locator("#results tbody tr")).to_have_count(3)
    page.wait_for_load_state()
    page.get_by_role("navigation", name="Ir a los apellidos que empiezan con").get_by_role(
        "link", name="Ñ", exact=True
    ).click()
    expect(page.locator("#results tbody tr")).to_have_count(1, timeout=SLOW)
    expect(page.locator("#results tbody tr")).to_contain_text("Ñique, Íñigo")
    expect(page).to_have_url(re.compile(r"letter=%C3%91"))
    page.get_by_role("link", name="A", exact=True).click()
    expect(page.locator("#results tbody tr")).to_contain_text("Ábrego, Ana", timeout=SLOW)
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results tbody tr")).to_contain_text("Ábrego, Ana")
    page.go_back()
    expect(page.locator("#results tbody tr")).to_contain_text("Ñique, Íñigo", timeout=SLOW)

    page.goto(f"/accounts/{account.code}/")
    page.wait_for_load_state()
    panel = page.locator("#panel-contacts")
    card = panel.locator("li.contact-card", has_text="Rosa Nieto")
    page.once("dialog", lambda dialog: dialog.accept())
    card.get_by_role("link", name="Eliminar").click()
    expect(panel.locator("li.contact-card", has_text="Rosa Nieto")).to_have_count(0, timeout=SLOW)
    expect(panel.get_by_role("status")).to_contain_text("Rosa Nieto")
    assert not Contact.objects.filter(last_name="Nieto").exists()
