"""The account profile's Actividades panel (registered in ActivitiesConfig.ready)."""

from typing import Any

from django.http import HttpRequest

from clientela.users.auth import current_user


def account_panel_context(request: HttpRequest, account: Any) -> dict[str, Any]:
    """Upcoming activities, then past ones: two queries, whatever the count."""
    from .views import panel_context

    return panel_context(
        current_user(request), {"account": account}, account, f"account={account.code}"
    )
