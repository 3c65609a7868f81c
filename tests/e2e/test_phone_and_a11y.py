"""Issue 18 items 6 and 7: on a 390x844 phone no main page scrolls sideways (the board
scrolls its columns inside itself), the menu collapses into a button; every main page
passes axe-core (bundled by axe-playwright-python, no CDN) with no serious or critical
violation, in Spanish and in English."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory
from clientela.activities.tests.factories import ActivityFactory
from clientela.cases.tests.factories import CaseFactory
from clientela.contacts.tests.factories import ContactFactory
from clientela.documents.tests.factories import DocumentFactory
from clientela.opportunities.tests.factories import OpportunityFactory
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
# The last elements reaching past the screen's right edge: what to fix.
WIDEST = """() => {
  const edge = document.documentElement.clientWidth + 1;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > edge)
    .slice(-3).map(e => e.tagName + '.' + e.className);
}"""


@pytest.fixture
def data():
    manager = UserFactory(username="gerente", password="clave-segura-123", role="manager")
    CustomerTypeFactory()
    account = AccountFactory(
        salesperson=manager,
        name="Distribuidora Internacional de Equipos y Suministros del Pacífico, S.A.",
        email="cuentas.por.cobrar.departamento@distribuidora-internacional-pacifico.com.pa",
        website="https://www.distribuidora-internacional-pacifico.com.pa/contacto",
    )
    contact = ContactFactory(account=account)
    opportunity = OpportunityFactory(account=account, amount=Decimal("15000.50"))
    case = CaseFactory(account=account)
    ActivityFactory(account=account, subject="Llamada de seguimiento de la cotización anual")
    return {"account": account, "contact": contact, "opportunity": opportunity, "case": case}


def _pages(data):
    account = data["account"]
    return [
        "/",
        "/search/?q=distribuidora",
        "/accounts/",
        f"/accounts/{account.code}/",
        "/accounts/new/",
        f"/accounts/{account.code}/edit/",
        "/contacts/",
        f"/contacts/{data['contact'].pk}/",
        "/opportunities/",
        "/opportunities/board/",
        f"/opportunities/{data['opportunity'].pk}/",
        "/cases/",
        f"/cases/{data['case'].number}/",
    ]


def _page_overflow(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_phone_pages_never_scroll_sideways(page, data):
    page.set_viewport_size(PHONE)
    login(page, "gerente", "clave-segura-123")
    wide = []
    for url in _pages(data):
        page.goto(url)
        overflow = _page_overflow(page)
        if overflow > 0:
            widest = page.evaluate(WIDEST)
            wide.append(f"{url}: {overflow}px {widest}")
    assert wide == []


def test_phone_menu_collapses_into_a_button_and_board_scrolls_inside(page, data):
    page.set_viewport_size(PHONE)
    login(page, "gerente", "clave-segura-123")
    page.goto("/opportunities/board/")
    nav = page.get_by_role("navigation", name="Módulos")
    expect(nav).to_be_hidden()
    toggle = page.get_by_role("button", name="Menú")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(nav).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#global-q")).to_be_visible()
    board = page.locator(".board-columns")
    assert board.evaluate("el => el.scrollWidth > el.clientWidth")
    assert _page_overflow(page) <= 0


def test_skip_link_and_slash_focus_the_search(page, data):
    login(page, "gerente", "clave-segura-123")
    page.goto(f"/accounts/{data['account'].code}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Saltar al contenido")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("/")
    expect(page.locator("#global-q")).to_be_focused()
    page.keyboard.type(data["account"].code)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/accounts/{data['account'].code}/")


def test_failed_save_moves_focus_to_the_first_error(page, data):
    login(page, "gerente", "clave-segura-123")
    page.goto("/accounts/new/")
    page.get_by_role("button", name="Guardar").click()
    focused = page.evaluate(
        "() => document.activeElement && document.activeElement.getAttribute('aria-invalid')"
    )
    assert focused == "true"


@pytest.mark.parametrize("language", ["es", "en"])
def test_main_pages_pass_axe(page, data, language):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    login(page, "gerente", "clave-segura-123")
    if language == "en":
        page.get_by_role("button", name="EN").first.click()
        page.wait_for_load_state()
    failures = []
    for url in _pages(data):
        page.goto(url)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                nodes = [n["target"] for n in violation["nodes"][:3]]
                failures.append(f"{url}: {violation['id']} ({violation['impact']}) {nodes}")
    assert failures == []


def test_profile_prints_without_menus_or_buttons(page, data):
    login(page, "gerente", "clave-segura-123")
    page.goto(f"/accounts/{data['account'].code}/")
    expect(page.get_by_role("button", name="Imprimir")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator(".sidebar")).to_be_hidden()
    expect(page.locator(".profile-actions")).to_be_hidden()
    expect(page.locator("#panel-general")).to_be_visible()
    expect(page.get_by_role("heading", name=data["account"].name)).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_board_move_puts_focus_on_the_moved_card(page, data):
    login(page, "gerente", "clave-segura-123")
    page.goto("/opportunities/board/")
    name = data["opportunity"].name
    source = page.locator(
        '#board .board-column[data-stage="prospecting"] .board-card', has_text=name
    )
    target = page.locator('#board .board-column[data-stage="qualification"]')
    source.drag_to(target)
    moved = target.locator(".board-card", has_text=name)
    expect(moved).to_be_visible()
    expect(moved.locator(".board-card-name")).to_be_focused()


LISTS = ["/accounts/", "/contacts/", "/opportunities/", "/cases/", "/activities/"]
# Each list's table against its wrapper, and how many of its header cells are shown.
TABLE_FIT = """() => {
  const wrap = document.querySelector('main .table-wrap');
  const table = wrap.querySelector('table');
  const headers = [...table.querySelectorAll('thead th')];
  return {
    table: table.scrollWidth, wrap: wrap.clientWidth, rows: table.tBodies[0].rows.length,
    shown: headers.filter(th => getComputedStyle(th).display !== 'none').length,
    all: headers.length,
  };
}"""


def test_phone_lists_fit_without_sideways_scrolling(page, data):
    page.set_viewport_size(PHONE)
    login(page, "gerente", "clave-segura-123")
    wide = []
    for url in LISTS:
        page.goto(url)
        fit = page.evaluate(TABLE_FIT)
        assert fit["rows"] >= 1, url
        # Some columns wait for a wider screen; the row link stays.
        assert 2 <= fit["shown"] < fit["all"], (url, fit)
        assert page.locator("main .table-wrap tbody tr a").first.is_visible(), url
        if fit["table"] > fit["wrap"] or _page_overflow(page) > 0:
            wide.append(
                f"{url}: table {fit['table']} in {fit['wrap']}, page {_page_overflow(page)}"
            )
    assert wide == []


def test_laptop_lists_show_every_column(page, data):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "gerente", "clave-segura-123")
    for url in LISTS:
        page.goto(url)
        fit = page.evaluate(TABLE_FIT)
        assert fit["shown"] == fit["all"], (url, fit)


PANEL_TABLES = """() => [...document.querySelectorAll('main .panel .table-wrap')].map(wrap => {
  const table = wrap.querySelector('table');
  const headers = [...table.querySelectorAll('thead th')];
  return {
    name: table.className, table: table.scrollWidth, wrap: wrap.clientWidth,
    shown: headers.filter(th => getComputedStyle(th).display !== 'none').length,
    all: headers.length,
  };
})"""


def test_profile_panel_tables_fit_a_phone_and_show_everything_on_a_laptop(
    page, data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    DocumentFactory(
        account=data["account"],
        original_name="Contrato de suministro y mantenimiento de equipos 2026.pdf",
        description="Versión firmada por ambas partes",
    )
    login(page, "gerente", "clave-segura-123")
    page.set_viewport_size(PHONE)
    page.goto(f"/accounts/{data['account'].code}/")
    page.wait_for_load_state("networkidle")
    tables = page.evaluate(PANEL_TABLES)
    names = " ".join(t["name"] for t in tables)
    assert {"opp-panel-table", "case-panel-open", "documents-table"} <= set(names.split())
    assert [t for t in tables if t["table"] > t["wrap"]] == []
    assert _page_overflow(page) <= 0

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/accounts/{data['account'].code}/")
    page.wait_for_load_state("networkidle")
    assert [t for t in page.evaluate(PANEL_TABLES) if t["shown"] != t["all"]] == []
