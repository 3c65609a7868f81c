"""The account profile's Casos panel (registered in CasesConfig.ready)."""

from typing import Any

from django.http import HttpRequest

from clientela.core.access import may
from clientela.users.auth import current_user

from .models import Case
from .selectors import account_case_panel


def case_panel_context(request: HttpRequest, account: Any) -> dict[str, Any]:
    """Open cases and the latest resolved/closed ones: three queries, whatever the count."""
    user = current_user(request)
    return {
        **account_case_panel(user=user, account=account),
        "can_add": may(user, "add", Case, account=account),
    }
