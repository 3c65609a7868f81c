"""The account profile's Actividades panel (registered in ActivitiesConfig.ready)."""

from typing import Any

from django.http import HttpRequest


def account_panel_context(request: HttpRequest, account: Any) -> dict[str, Any]:
    """No query here: the panel loads itself by htmx (activity_panel_view), as on the
    contact, opportunity and case pages, so the profile keeps its query budget (issue 12)
    however many modules add panels."""
    return {"account": account}
