from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clientela.activities.models import Activity
from clientela.activities.tests.factories import AccountFactory, UserFactory
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_salesperson_logs_a_call_plans_a_follow_up_and_runs_their_day(page):
    seller = UserFactory(
        username="vero", first_name="Verónica", password="clave-segura-123", role="sales"
    )
    account = AccountFactory(name="Distribuidora Peña, S.A.", salesperson=seller)

    login(page, "vero", "clave-segura-123")
    page.goto(f"/accounts/{account.code}/")
    panel = page.locator("#panel-activities")
    expect(panel).to_contain_text("Nada planeado.")

    # "Registrar llamada" in two clicks: open, save (subject and result come prefilled).
    panel.get_by_text("Registrar llamada").click()
    panel.get_by_role("button", name="Guardar llamada").click()
    expect(panel).to_contain_text("Llamada registrada.")
    expect(panel.locator(".activity-list.past")).to_contain_text("Llamada")

    # Plan the follow-up, later today.
    when = timezone.localtime() + timedelta(minutes=5)
    panel = page.locator("#panel-activities")
    panel.get_by_text("Planear seguimiento").click()
    page.fill("#plan_subject", "Enviar la cotización")
    page.fill("#plan_starts_at", when.strftime("%d/%m/%Y %H:%M"))
    panel.get_by_role("button", name="Planear", exact=True).click()
    expect(page.locator("#panel-activities")).to_contain_text("Seguimiento planeado.")
    expect(page.locator("#panel-activities .activity-list.upcoming")).to_contain_text(
        "Enviar la cotización"
    )

    # Mi día shows it; marked done in place.
    page.get_by_role("link", name="Mi día").first.click()
    section = (
        page.locator("#day-today")
        if when.date() == timezone.localdate()
        else page.locator("#day-week")
    )
    row = section.locator(".activity-row", has_text="Enviar la cotización")
    expect(row).to_be_visible()
    row.get_by_role("button", name="Marcar realizada").click()
    expect(
        section.locator(".activity-row.is-done", has_text="Enviar la cotización")
    ).to_be_visible()
    planned = Activity.objects.get(subject="Enviar la cotización")
    assert planned.done and planned.done_by == seller
    assert Activity.objects.get(subject="Llamada", done=True).result == "answered"
