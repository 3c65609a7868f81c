import re

import pytest
from playwright.sync_api import expect

from clientela.cases.models import Case
from clientela.cases.tests.factories import AccountFactory, ContactFactory, UserFactory
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_support_agent_opens_takes_discusses_and_resolves_a_case(page, screenshot_dir):
    UserFactory(
        username="rita",
        first_name="Rita",
        last_name="Vega",
        password="clave-segura-123",
        role="support",
    )
    account = AccountFactory(name="Ferretería El Sol, S.A.", status="suspended")
    ContactFactory(account=account, first_name="Begoña", last_name="Ramírez")
    ContactFactory(first_name="Otro", last_name="Ajeno")

    login(page, "rita", "clave-segura-123")
    page.goto(f"/accounts/{account.code}/")
    panel = page.locator("#panel-cases")
    expect(panel).to_contain_text("No hay casos abiertos.")
    panel.get_by_role("link", name="Nuevo caso").click()

    # The form comes prefilled with the account, offers only its contacts and warns
    # that the account is suspended (support still opens the case).
    expect(page.get_by_role("heading", name="Nuevo caso")).to_be_visible()
    expect(page.locator("#id_account")).to_have_value(account.code)
    expect(page.locator("#account-dependent [role=alert]")).to_contain_text("suspendida")
    expect(page.locator("#id_contact option")).to_have_count(2)
    page.select_option("#id_contact", label="Begoña Ramírez")
    page.fill("#id_subject", "No llega la factura electrónica")
    page.fill("#id_description", "Desde el lunes.\nVer https://ejemplo.com/guia")
    page.select_option("#id_priority", label="Alta")
    page.get_by_role("button", name="Abrir caso").click()

    case = Case.objects.get()
    expect(page).to_have_url(re.compile(rf"/cases/{case.number}/$"))
    summary = page.locator("#case-summary")
    expect(summary.locator(".case-status-new")).to_have_text("Nuevo")
    expect(summary.get_by_role("link", name="https://ejemplo.com/guia")).to_be_visible()
    if screenshot_dir:
        page.screenshot(path=str(screenshot_dir / "case-page.png"), full_page=True)

    # Everything below happens without a page load: htmx swaps the fragments.
    page.evaluate("window.__sameDocument = true")
    summary.get_by_role("button", name="Asignarme").click()
    expect(summary.locator('[data-field="assignee"] dd')).to_have_text("Rita Vega")
    expect(summary.locator(".case-status-in_progress")).to_have_text("En proceso")

    page.fill("#id_body", "Llamé al cliente: <b>reenviamos</b> la factura.")
    page.get_by_role("button", name="Comentar").click()
    comment = page.locator("#comment-list .comment")
    expect(comment).to_have_count(1)
    expect(comment.locator(".comment-body")).to_have_text(
        "Llamé al cliente: <b>reenviamos</b> la factura."
    )
    expect(comment.locator(".comment-author")).to_have_text("Rita Vega")
    expect(page.locator("#id_body")).to_have_value("")

    summary.locator("summary", has_text="Resolver").click()
    summary.get_by_role("button", name="Guardar resolución").click()
    expect(summary.locator("#id_resolution_error")).to_be_visible()
    summary.get_by_label("Resolución").fill("Se reenvió la factura al correo de pagos.")
    summary.get_by_role("button", name="Guardar resolución").click()
    expect(summary.locator(".case-status-resolved")).to_have_text("Resuelto")
    expect(summary.locator(".case-resolution")).to_have_text(
        "Se reenvió la factura al correo de pagos."
    )
    assert page.evaluate("window.__sameDocument") is True

    # It leaves the pending queue…
    page.get_by_role("navigation", name="Módulos").get_by_role("link", name="Casos").click()
    expect(page.get_by_role("heading", name="Casos pendientes por atender")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("Ningún caso pendiente")
    expect(page.locator(f'tr[data-number="{case.number}"]')).to_have_count(0)

    # …and shows in the profile's history of resolved cases.
    page.goto(f"/accounts/{account.code}/")
    done = page.locator("#panel-cases .case-panel-done")
    expect(done.locator(f'tr[data-number="{case.number}"]')).to_contain_text("Resuelto")
    expect(page.locator("#panel-cases")).to_contain_text("No hay casos abiertos.")
    expect(page.locator("#panel-history")).to_contain_text(case.number)


def test_queue_shows_overdue_first_and_filters_by_scope(page):
    from datetime import timedelta

    from django.utils import timezone

    from clientela.cases.tests.factories import CaseFactory

    agent = UserFactory(username="mario", password="clave-segura-123", role="support")
    CaseFactory(subject="Urgente a tiempo", priority="urgent")
    CaseFactory(
        subject="Baja vencida",
        priority="low",
        opened_at=timezone.now() - timedelta(days=6),
    )
    CaseFactory(subject="Mío en proceso", assignee=agent, status="in_progress")

    login(page, "mario", "clave-segura-123")
    page.goto("/cases/")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Baja vencida")
    expect(rows.nth(0)).to_contain_text("vencido hace 1")
    expect(rows.nth(1)).to_contain_text("Urgente a tiempo")

    page.locator(".case-scopes").get_by_role("link", name=re.compile("Míos")).click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Mío en proceso")
    expect(page).to_have_url(re.compile(r"scope=mine"))
    page.select_option("#id_priority", label="Urgente")
    expect(page.locator("#results")).to_contain_text("Ningún caso pendiente")
