import re

import pytest
from playwright.sync_api import expect

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import CustomerTypeFactory, UserFactory
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_user_creates_an_account_finds_it_without_accents_and_opens_it(page, screenshot_dir):
    UserFactory(username="lucia", first_name="Lucía", last_name="Peña", password="clave-segura-123")
    CustomerTypeFactory(code="PYME", name="PyME")

    page.goto("/accounts/")
    expect(page).to_have_url(re.compile(r"/login/"))
    login(page, "lucia", "clave-segura-123")

    page.get_by_role("navigation", name="Módulos").get_by_role("link", name="Crear").click()
    expect(page.get_by_role("heading", name="Nueva cuenta")).to_be_visible()
    page.check("input[name=person_kind][value=legal]")
    page.fill("#id_name", "Constructora Núñez y Asociados, S.A.")
    page.fill("#id_tax_id", "155596713-2-2015")
    page.fill("#id_contact_name", "Begoña Ramírez")
    page.fill("#id_email", "esto-no-es-correo")
    page.fill("#id_phone", "223-4567")
    page.select_option("#id_customer_type", label="PyME")
    page.fill("#id_city", "Chitré")
    if screenshot_dir:
        page.screenshot(path=str(screenshot_dir / "account-form.png"), full_page=True)
    page.get_by_role("button", name="Guardar").click()

    # The failed save keeps everything typed and says what is wrong beside the field.
    expect(page.locator("#id_email_error")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Constructora Núñez y Asociados, S.A.")
    expect(page.locator("#id_city")).to_have_value("Chitré")
    assert Account.objects.count() == 0

    page.fill("#id_email", "Ventas@Nunez.com.pa")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", name="Constructora Núñez y Asociados, S.A.")).to_be_visible()
    account = Account.objects.get()
    expect(page.locator(".profile-title")).to_contain_text(account.code)
    expect(page.locator('[data-field="tax_dv"] dd')).to_have_text("59")

    page.get_by_role("navigation", name="Módulos").get_by_role("link", name="Ver").click()
    page.fill("#id_q", "nunez asociados")
    row = page.locator("#results tbody tr", has_text="Constructora Núñez")
    expect(row).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=nunez"))
    row.get_by_role("link", name=account.code).click()
    expect(page).to_have_url(re.compile(rf"/accounts/{account.code}/$"))
    if screenshot_dir:
        page.screenshot(path=str(screenshot_dir / "account-profile.png"), full_page=True)

    # English on request, Spanish by default.
    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("link", name="Edit")).to_be_visible()


def test_list_filters_live_in_the_url_and_back_restores_them(page):
    UserFactory(username="ana", password="clave-segura-123")
    CustomerTypeFactory()
    from clientela.accounts.tests.factories import AccountFactory

    AccountFactory(name="Agroindustrias del Istmo")
    AccountFactory(name="Farmacia San José", status=Account.Status.SUSPENDED)
    login(page, "ana", "clave-segura-123")
    page.goto("/accounts/")
    expect(page.locator("#results tbody tr")).to_have_count(2)
    page.select_option("#id_status", "suspended")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"status=suspended"))
    page.go_back()
    expect(page.locator("#results tbody tr")).to_have_count(2)
