from django.http import HttpRequest


def wants_fragment(request: HttpRequest) -> bool:
    """True for an htmx swap, false for a normal load or htmx's history-restore miss
    (which needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]
