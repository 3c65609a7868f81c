import pytest
from playwright.sync_api import expect

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_salesperson_gets_404_for_another_account_and_manager_sees_history(page):
    ana = UserFactory(username="ana", password="clave-segura-123", role="sales")
    UserFactory(username="gabriela", password="clave-segura-123", role="manager")
    luis = UserFactory(username="luis", role="sales")
    own = AccountFactory(name="Cuenta de Ana", salesperson=ana, city="Santiago")
    other = AccountFactory(name="Cuenta de Luis", salesperson=luis)

    login(page, "ana", "clave-segura-123")
    response = page.goto(f"/accounts/{other.code}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="No encontrado")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Cuenta de Luis")

    # Ana edits her own account; the change shows in the profile's Historial.
    page.goto(f"/accounts/{own.code}/edit/")
    page.fill("#id_city", "Penonomé")
    page.get_by_role("button", name="Guardar").click()
    history = page.locator("#panel-history")
    row = history.locator("tr", has_text="Ciudad")
    expect(row).to_contain_text("Santiago")
    expect(row).to_contain_text("Penonomé")

    # Leave the profile first: a panel it still loads by htmx, answered after the
    # cookies are cleared, would set a CSRF cookie the login form's token does not match.
    page.goto("about:blank")
    page.context.clear_cookies()
    login(page, "gabriela", "clave-segura-123")
    response = page.goto(f"/accounts/{other.code}/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", name="Cuenta de Luis")).to_be_visible()
