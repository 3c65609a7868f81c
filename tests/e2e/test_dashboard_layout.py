"""Issue 18: Inicio at a laptop's 1366x900, in Spanish and in English, with amounts in
the hundreds of millions: every panel's content fits inside the panel (no table cut off
or scrolling sideways inside its card)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory
from clientela.cases.tests.factories import CaseFactory
from clientela.opportunities.models import Opportunity
from clientela.opportunities.tests.factories import OpportunityFactory
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1366, "height": 900}
# Every panel, card and table wrapper of the page whose content is wider than its box.
TOO_WIDE = """() => [...document.querySelectorAll('main .panel, main .card, main .table-wrap')]
  .filter(e => e.scrollWidth > e.clientWidth)
  .map(e => (e.getAttribute('aria-labelledby') || e.className) + ': '
    + e.scrollWidth + ' > ' + e.clientWidth)"""


@pytest.fixture
def manager():
    manager = UserFactory(username="gerente", password="clave-segura-123", role="manager")
    CustomerTypeFactory()
    today = timezone.localdate()
    big = Decimal("987654321.99")
    for n in range(4):
        account = AccountFactory(salesperson=manager)
        for months, stage in enumerate(Opportunity.OPEN_STAGES):
            OpportunityFactory(
                account=account,
                stage=stage,
                amount=big,
                expected_close_date=today + timedelta(days=31 * months),
            )
        for stage in Opportunity.CLOSED_STAGES:
            OpportunityFactory(
                account=account,
                stage=stage,
                amount=big,
                closed_at=timezone.now() - timedelta(days=n),
                lost_reason="Precio" if stage == Opportunity.Stage.LOST else "",
            )
        CaseFactory(account=account)
    return manager


@pytest.mark.parametrize("language", ["es", "en"])
def test_home_panels_content_fits_at_1366(page, manager, language):
    page.set_viewport_size(LAPTOP)
    login(page, "gerente", "clave-segura-123")
    if language == "en":
        page.get_by_role("button", name="EN").first.click()
        page.wait_for_load_state()
    page.goto("/")

    assert page.locator("#h-pipeline").is_visible()
    assert "987" in page.locator("[aria-labelledby=h-pipeline] tfoot").inner_text()
    assert page.evaluate(TOO_WIDE) == []
    assert (
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        <= 0
    )
