"""The account profile's Oportunidades panel (SPEC §2.4)."""

from typing import Any

from django.http import HttpRequest

from clientela.accounts.models import Account
from clientela.core.access import may
from clientela.users.auth import current_user

from .models import Opportunity
from .selectors import opportunities_for_account


def account_panel_context(request: HttpRequest, account: Account) -> dict[str, Any]:
    """Open opportunities and the history of closed ones: three queries."""
    user = current_user(request)
    return {
        "summary": opportunities_for_account(user=user, account=account),
        "can_add": may(user, "add", Opportunity, account=account),
        "closed_to_new": not account.takes_new_opportunities,
    }
