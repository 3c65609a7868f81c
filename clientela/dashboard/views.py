from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from clientela.accounts.selectors import account_counts_by_status, account_recent
from clientela.users.auth import current_user

from .search import code_target, search_everything


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Inicio: a glance at the accounts the user may see."""
    user = current_user(request)
    counts = account_counts_by_status(user)
    ctx = {"counts": counts, "total": sum(counts.values()), "recent": account_recent(user)}
    return render(request, "dashboard/home.html", ctx)


@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    """One search box for everything; a whole code the user may see opens its record."""
    user = current_user(request)
    q = request.GET.get("q", "").strip()[:200]
    target = code_target(user, q) if q else None
    if target is not None:
        return redirect(target)
    groups = search_everything(user, q)
    return render(request, "dashboard/search.html", {"q": q, "groups": groups})
