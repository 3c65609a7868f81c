from typing import Any

from django.conf import settings
from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the layout needs on every page: the regional defaults and the user's menu."""
    user = getattr(request, "user", None)
    return {
        "is_admin": bool(user and user.is_authenticated and user.is_staff),
        "DEFAULT_CURRENCY": settings.DEFAULT_CURRENCY,
    }
