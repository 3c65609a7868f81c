"""The account profile's Oportunidades panel (SPEC §2.4)."""

from typing import Any

from django.http import HttpRequest

from clientela.accounts.models import Account
from clientela.core.access import may

from .selectors import opportunities_for_account

# Statuses whose accounts take no new opportunity (SPEC §2.2).
CLOSED_TO_NEW = (Account.Status.INACTIVE, Account.Status.SUSPENDED)


def account_panel_context(request: HttpRequest, account: Account) -> dict[str, Any]:
    """Open opportunities and the history of closed ones: three queries."""
    summary = opportunities_for_account(account)
    return {
        "summary": summary,
        "can_add": may(request.user, "opportunities.add_opportunity", account),
        "closed_to_new": account.status in CLOSED_TO_NEW,
    }
