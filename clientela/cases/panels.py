"""The account profile's Casos panel (registered in CasesConfig.ready)."""

from typing import Any

from django.http import HttpRequest

from clientela.core.access import may

from .selectors import account_case_panel


def case_panel_context(request: HttpRequest, account: Any) -> dict[str, Any]:
    """Open cases and the latest resolved/closed ones: three queries, whatever the count.
    The profile has already checked that the user may see the account."""
    return {**account_case_panel(account), "can_add": may(request.user, "cases.add_case", account)}
