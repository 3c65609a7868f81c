"""A Colombian person and a Mexican company entered as their countries write their ids and
phones (issue 15): the form names the document as the country does while the user picks the
country and the person kind, refuses a wrong check digit naming the document, and the profile
shows the numbers with call and WhatsApp links. Dates are typed day first in an English browser.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory
from clientela.opportunities.models import Opportunity
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_colombian_person_and_a_mexican_company_are_entered_with_their_ids_and_phones(page):
    UserFactory(username="lucia", password="clave-segura-123")
    CustomerTypeFactory(code="CF", name="Consumidor final")
    CustomerTypeFactory(code="CORP", name="Corporativo")
    login(page, "lucia", "clave-segura-123")

    # A Colombian natural person with a 10-digit cédula de ciudadanía.
    page.goto("/accounts/new/")
    tax_label = page.locator("label[for=id_tax_id]")
    expect(tax_label).to_contain_text("Cédula / RUC")
    page.select_option("#id_country", "CO")
    page.check("input[name=person_kind][value=natural]")
    expect(tax_label).to_contain_text("Cédula / NIT")
    expect(page.locator("#field-tax_dv")).to_be_hidden()
    page.fill("#id_name", "Camilo Andrés Restrepo Gaviria")
    page.fill("#id_tax_id", "1020304050")
    page.fill("#id_email", "camilo.restrepo@example.co")
    page.fill("#id_phone", "(601) 234 5678")
    page.fill("#id_mobile", "321 123 4567")
    page.fill("#id_city", "Medellín")
    page.select_option("#id_customer_type", label="Consumidor final")
    page.get_by_role("button", name="Guardar").click()

    expect(page.get_by_role("heading", name="Camilo Andrés Restrepo Gaviria")).to_be_visible()
    person = Account.objects.get(country="CO")
    assert (person.tax_id, person.phone.as_e164, person.mobile.as_e164) == (
        "1.020.304.050",
        "+576012345678",
        "+573211234567",
    )
    tax_row = page.locator('[data-field="tax_id"]')
    expect(tax_row.locator("dt")).to_have_text("Cédula / NIT")
    expect(tax_row.locator("dd")).to_have_text("1.020.304.050")
    mobile = page.locator('[data-field="mobile"] dd')
    expect(mobile.get_by_role("link", name="+57 321 1234567")).to_have_attribute(
        "href", "tel:+57-321-1234567"
    )
    expect(mobile.get_by_role("link", name="WhatsApp")).to_have_attribute(
        "href", "https://wa.me/573211234567"
    )

    # A Mexican company with its RFC: a wrong check digit is refused naming the RFC.
    page.goto("/accounts/new/")
    page.check("input[name=person_kind][value=legal]")
    page.select_option("#id_country", "MX")
    expect(tax_label).to_contain_text("RFC")
    page.fill("#id_name", "Comisión Federal de Electricidad")
    page.fill("#id_tax_id", "CFE370814QI1")
    page.fill("#id_contact_name", "Mariana Hernández")
    page.fill("#id_email", "contacto@cfe.mx")
    page.fill("#id_phone", "55 1234 5678 ext 204")
    page.fill("#id_mobile", "222 123 4567")
    page.select_option("#id_customer_type", label="Corporativo")
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("#id_tax_id_error")).to_have_text(
        "El dígito verificador del RFC no corresponde (debería ser 0)."
    )
    expect(page.locator("#id_phone")).to_have_value("55 1234 5678 ext 204")
    expect(tax_label).to_contain_text("RFC")

    page.fill("#id_tax_id", "CFE 370814 QI0")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", name="Comisión Federal de Electricidad")).to_be_visible()
    company = Account.objects.get(country="MX")
    assert (company.tax_id, str(company.phone.extension)) == ("CFE370814QI0", "204")
    expect(page.locator('[data-field="tax_id"] dt')).to_have_text("RFC")
    phone = page.locator('[data-field="phone"] dd a').first
    expect(phone).to_have_text("+52 55 1234 5678 ext. 204")

    # The list of Mexican accounts names the column as Mexico does.
    page.goto("/accounts/?country=MX")
    expect(page.locator("#results thead")).to_contain_text("RFC")


def test_dates_are_typed_and_shown_day_first_in_an_english_browser(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        seller = UserFactory(username="ana", role="sales", password="clave-segura-123")
        account = AccountFactory(salesperson=seller)
        login(page, "ana", "clave-segura-123")
        page.goto(f"/opportunities/new/?account={account.code}")
        close = page.locator("#id_expected_close_date")
        expect(close).to_have_attribute("placeholder", "dd/mm/aaaa")
        expect(close).to_have_attribute("type", "text")
        page.fill("#id_name", "Suministro de equipos")
        page.fill("#id_amount", "1500")
        close.fill("05/03/2027")
        page.get_by_role("button", name="Guardar").click()
        expect(page).to_have_url(re.compile(r"/opportunities/\d+/$"))
        assert Opportunity.objects.get().expected_close_date == date(2027, 3, 5)
        expect(page.locator('[data-field="expected_close_date"] dd')).to_have_text("05/03/2027")
    finally:
        context.close()
