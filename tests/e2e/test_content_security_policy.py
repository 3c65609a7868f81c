"""With the Content-Security-Policy on (issue 14 item 7), nothing breaks: htmx searches
and panels, the board's drag and drop, the document and logo uploads all work, and the
browser reports no violation (a `securitypolicyviolation` event or a console error)."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory
from clientela.documents.demo import sample_pdf
from clientela.opportunities.models import Opportunity
from clientela.opportunities.tests.factories import OpportunityFactory
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "clave-segura-123"
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def test_every_behaviour_works_under_the_policy(page):
    problems: list[str] = []
    page.add_init_script(WATCH_VIOLATIONS)
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))

    def violations() -> list[str]:
        return page.evaluate("window.__cspViolations || []")

    seller = UserFactory(username="sofia", first_name="Sofía", password=PASSWORD, role="sales")
    account = AccountFactory(
        salesperson=seller, customer_type=CustomerTypeFactory(), name="Ferretería El Tornillo"
    )
    AccountFactory(salesperson=seller, name="Panadería La Espiga")
    OpportunityFactory(account=account, owner=seller, name="Techos nuevos", stage="prospecting")

    login(page, "sofia", PASSWORD)
    response = page.goto("/accounts/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]

    # htmx: the list filters as one types.
    page.fill("#id_q", "Tornillo")
    expect(page.locator("#results")).to_contain_text("Ferretería El Tornillo")
    expect(page.locator("#results")).not_to_contain_text("Panadería La Espiga")
    page.wait_for_url(re.compile(r"q=Tornillo"))
    assert violations() == []

    # htmx panels on the profile: the contact form opens inside its panel.
    page.goto(f"/accounts/{account.code}/")
    contacts = page.locator("#panel-contacts")
    contacts.get_by_role("link", name="Agregar contacto").click()
    expect(contacts.locator("form")).to_be_visible()

    # Upload a document through the panel (its script shows the progress).
    documents = page.locator("#panel-documents")
    documents.locator("input[name=files]").set_input_files(
        [
            {
                "name": "contrato.pdf",
                "mimeType": "application/pdf",
                "buffer": sample_pdf("Contrato", ["Cliente: El Tornillo"]),
            }
        ]
    )
    documents.get_by_role("button", name="Subir").click()
    expect(documents.locator("tbody tr", has_text="contrato.pdf")).to_have_count(1)
    assert violations() == []

    # Upload a logo (a plain form post) and see it drawn.
    page.locator("details.logo-upload summary").click()
    page.locator("#id_logo").set_input_files(
        [{"name": "logo.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.locator("details.logo-upload").get_by_role("button", name="Subir").click()
    expect(page.locator(".messages")).to_contain_text("Logo")
    assert violations() == []

    # The board: drag a card to another stage.
    page.goto("/opportunities/board/")
    card = page.locator('#board .board-column[data-stage="prospecting"] .board-card')
    expect(card).to_have_count(1)
    card.drag_to(page.locator('#board .board-column[data-stage="proposal"]'))
    expect(page.locator('#board .board-column[data-stage="proposal"] .board-card')).to_have_count(1)
    assert Opportunity.objects.get().stage == "proposal"

    assert violations() == []
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert problems == [], problems
