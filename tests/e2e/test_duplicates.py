"""Issue 16 in a browser: create a near-duplicate and see the warning while typing, merge
it from the review queue, then undo the merge from the survivor's history."""

import re

import pytest
from playwright.sync_api import expect

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import CustomerTypeFactory, UserFactory
from clientela.duplicates.tests.helpers import new_account
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_warning_then_merge_from_the_queue_then_undo(page):
    manager = UserFactory(username="gerente", role="manager", password="clave-segura-123")
    CustomerTypeFactory(code="PYME", name="PyME")
    existing = new_account(manager)
    login(page, "gerente", "clave-segura-123")

    # Typing a near-duplicate shows the existing account, with its code and why.
    page.goto("/accounts/new/")
    page.check("input[name=person_kind][value=legal]")
    page.fill("#id_name", "GRUPO RODRIGUEZ, S.A.")
    warning = page.locator(".duplicate-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(existing.code)
    expect(warning).to_contain_text("nombre parecido")
    # The user goes on: it is created all the same.
    page.fill("#id_tax_id", "155124-1-2019")
    page.fill("#id_contact_name", "Begoña Ramírez")
    page.fill("#id_email", "info@gruporodriguez.com.pa")
    page.fill("#id_phone", "223-4567")
    page.select_option("#id_customer_type", label="PyME")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", name="GRUPO RODRIGUEZ, S.A.")).to_be_visible()
    twin = Account.objects.get(name="GRUPO RODRIGUEZ, S.A.")

    # The review queue finds the pair after a scan; merge the new one into the old one.
    page.get_by_role("navigation", name="Módulos").get_by_role("link", name="Duplicados").click()
    page.get_by_role("button", name="Buscar en registros nuevos y modificados").click()
    row = page.locator("tr[data-pair]", has_text=twin.code)
    expect(row).to_contain_text(existing.code)
    row.get_by_role("link", name="Fusionar").click()
    expect(page.locator(".merge-fields")).to_be_visible()
    page.get_by_role("button", name="Fusionar").click()
    expect(page).to_have_url(re.compile(r"/accounts/C-\d+/$"))
    survivor_code = page.url.rstrip("/").rsplit("/", 1)[1]
    merged_code = twin.code if survivor_code == existing.code else existing.code
    assert Account.objects.filter(code=merged_code).count() == 0
    # The old code answers with the survivor.
    page.goto(f"/accounts/{merged_code}/")
    expect(page).to_have_url(re.compile(rf"/accounts/{survivor_code}/$"))

    # Undo from the survivor's history.
    page.get_by_role("link", name=re.compile(r"Fusión n\.º \d+")).first.click()
    page.get_by_role("button", name="Deshacer la fusión").click()
    expect(page).to_have_url(re.compile(rf"/accounts/{merged_code}/$"))
    assert Account.objects.filter(code=merged_code).count() == 1
