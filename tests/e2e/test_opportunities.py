"""A salesperson runs a pipeline: an opportunity created from the account profile,
dragged across the board, closed as lost with a reason, and found in the profile."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory
from clientela.opportunities.models import Opportunity
from clientela.opportunities.tests.factories import OpportunityFactory
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Suministro de equipos de cómputo"


def column(page, stage):
    return page.locator(f'#board .board-column[data-stage="{stage}"]')


def card(page, stage, name=NAME):
    return column(page, stage).locator(".board-card", has_text=name)


def test_salesperson_creates_drags_and_loses_an_opportunity(page, screenshot_dir):
    carla = UserFactory(
        username="carla",
        first_name="Carla",
        last_name="Ríos",
        password="clave-segura-123",
        role="sales",
    )
    CustomerTypeFactory()
    account = AccountFactory(salesperson=carla, name="Distribuidora Las Tablas, S.A.")
    login(page, "carla", "clave-segura-123")

    # From the profile's Oportunidades panel, the form comes with the account chosen.
    page.goto(f"/accounts/{account.code}/")
    panel = page.locator("#panel-opportunities")
    expect(panel.get_by_role("heading", name="Oportunidades")).to_be_visible()
    panel.get_by_role("link", name="Nueva oportunidad").click()
    expect(page.get_by_role("heading", name="Nueva oportunidad")).to_be_visible()
    expect(page.locator("input[name=account]")).to_have_value(account.code)
    page.fill("#id_name", NAME)
    page.fill("#id_amount", "15000.5")
    page.fill("#id_expected_close_date", "2026-08-31")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    expect(page.locator(".messages")).to_contain_text(f"Oportunidad «{NAME}» creada.")
    expect(page.locator('[data-field="amount"] dd')).to_have_text("USD 15,000.50")
    opportunity = Opportunity.objects.get()
    assert opportunity.stage == "prospecting" and opportunity.owner == carla

    # Across the board by drag and drop.
    page.get_by_role("navigation", name="Módulos").get_by_role("link", name="Tablero").click()
    page.wait_for_url(re.compile(r"/opportunities/board/$"))  # loaded: drag handlers ready
    expect(card(page, "prospecting")).to_have_count(1)
    expect(column(page, "prospecting").locator(".board-total")).to_contain_text("USD 15,000.50")
    card(page, "prospecting").drag_to(column(page, "proposal"))
    expect(card(page, "proposal")).to_have_count(1)
    expect(card(page, "prospecting")).to_have_count(0)
    expect(page.locator("#board .messages")).to_contain_text("pasó a Propuesta")
    expect(column(page, "proposal").locator(".board-total")).to_contain_text(
        "ponderado USD 7,500.25"
    )
    opportunity.refresh_from_db()
    assert opportunity.stage == "proposal" and opportunity.probability == 50
    if screenshot_dir:
        page.screenshot(path=str(screenshot_dir / "opportunity-board.png"), full_page=True)

    # Dropped on "Perdida" without a reason: the board asks for it; the card stays.
    card(page, "proposal").drag_to(column(page, "lost"))
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Motivo de pérdida")).to_be_focused()
    expect(card(page, "proposal")).to_have_count(1)
    opportunity.refresh_from_db()
    assert opportunity.stage == "proposal"
    dialog.get_by_label("Motivo de pérdida").fill("El cliente eligió a la competencia")
    dialog.get_by_role("button", name="Marcar como perdida").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.locator("#board .board-card", has_text=NAME)).to_have_count(0)
    expect(column(page, "lost").locator(".board-count")).to_have_text("1")
    opportunity.refresh_from_db()
    assert opportunity.stage == "lost" and opportunity.closed_at is not None

    # The profile shows it closed, with the reason, and the change in its history.
    page.goto(f"/accounts/{account.code}/")
    closed = page.locator("#panel-opportunities .opp-closed-table tbody tr", has_text=NAME)
    expect(closed).to_contain_text("Perdida")
    expect(closed).to_contain_text("El cliente eligió a la competencia")
    expect(page.locator("#panel-opportunities")).to_contain_text("No hay oportunidades abiertas.")
    history = page.locator("#panel-history .history-entry", has_text=f"Oportunidad: {NAME}")
    expect(history.first).to_contain_text("Motivo de pérdida")
    expect(history.first).to_contain_text("Perdida")
    if screenshot_dir:
        page.screenshot(path=str(screenshot_dir / "opportunity-profile.png"), full_page=True)


def test_keyboard_alternative_moves_a_card_with_the_stage_select(page):
    seller = UserFactory(username="beto", password="clave-segura-123", role="sales")
    account = AccountFactory(salesperson=seller)
    OpportunityFactory(account=account, name=NAME, stage="qualification")
    login(page, "beto", "clave-segura-123")
    page.goto("/opportunities/board/")

    select = page.get_by_label(f"Etapa de «{NAME}»")
    select.focus()
    select.select_option("negotiation")
    page.keyboard.press("Tab")
    expect(card(page, "qualification").get_by_role("button", name="Mover")).to_be_focused()
    page.keyboard.press("Enter")
    expect(card(page, "negotiation")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/opportunities/board/$"))
    assert Opportunity.objects.get().stage == "negotiation"


def test_a_refused_move_to_lost_without_js_asks_for_the_reason_on_a_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        seller = UserFactory(username="dina", password="clave-segura-123", role="sales")
        opportunity = OpportunityFactory(
            account=AccountFactory(salesperson=seller), name=NAME, stage="proposal"
        )
        login(page, "dina", "clave-segura-123")
        page.goto("/opportunities/board/")
        card(page, "proposal").locator("select[name=stage]").select_option("lost")
        card(page, "proposal").get_by_role("button", name="Mover").click()
        expect(page.get_by_role("heading", name=f"Marcar «{NAME}» como perdida")).to_be_visible()
        page.get_by_label("Motivo de pérdida").fill("Sin presupuesto")
        page.get_by_role("button", name="Marcar como perdida").click()
        expect(page).to_have_url(re.compile(r"/opportunities/board/$"))
        expect(column(page, "lost").locator(".board-count")).to_have_text("1")
        opportunity.refresh_from_db()
        assert opportunity.lost_reason == "Sin presupuesto"
    finally:
        context.close()


def test_a_move_of_an_opportunity_deleted_meanwhile_refreshes_the_board(page):
    seller = UserFactory(username="eli", password="clave-segura-123", role="sales")
    OpportunityFactory(account=AccountFactory(salesperson=seller), name=NAME, stage="proposal")
    login(page, "eli", "clave-segura-123")
    page.goto("/opportunities/board/")
    expect(card(page, "proposal")).to_have_count(1)
    Opportunity.objects.all().delete()
    card(page, "proposal").locator("select[name=stage]").select_option("won")
    card(page, "proposal").get_by_role("button", name="Mover").click()
    expect(page.locator("#board .board-card")).to_have_count(0)
    expect(column(page, "proposal").locator(".board-count")).to_have_text("0")


def test_list_search_and_filters_update_the_results_and_the_url(page):
    UserFactory(username="gema", password="clave-segura-123", role="manager")
    OpportunityFactory(name="Renovación de contrato", amount=Decimal("1000.00"))
    OpportunityFactory(
        name="Uniformes corporativos",
        amount=Decimal("250.00"),
        stage="won",
        closed_at=timezone.now(),
    )
    login(page, "gema", "clave-segura-123")
    page.get_by_role("navigation", name="Módulos").get_by_role("link", name="Lista").click()
    page.wait_for_url(re.compile(r"/opportunities/$"))  # loaded: htmx listens to the filters
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator(".opp-totals")).to_contain_text("USD 1,250.00")
    page.fill("#id_q", "renovacion")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Renovación de contrato")
    expect(page).to_have_url(re.compile(r"q=renovacion"))
    expect(page.locator(".opp-totals")).to_contain_text("USD 1,000.00")
    page.fill("#id_q", "")
    page.select_option("#id_state", "closed")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Uniformes corporativos")
    expect(page).to_have_url(re.compile(r"state=closed"))
