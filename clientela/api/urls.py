from typing import Any

from django.urls import URLPattern, URLResolver

from .main import api


def _public(patterns: list[Any]) -> list[Any]:
    """API answers 401 itself: Django's LoginRequiredMiddleware must not redirect it."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _public(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback.login_required = False  # type: ignore[attr-defined]
    return patterns


api_urls, app_name, namespace = api.urls
urlpatterns = _public(list(api_urls))
