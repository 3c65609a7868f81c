from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clientela.accounts.selectors import account_counts_by_status, account_recent
from clientela.users.auth import current_user


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Inicio: a glance at the accounts the user may see."""
    user = current_user(request)
    counts = account_counts_by_status(user)
    ctx = {"counts": counts, "total": sum(counts.values()), "recent": account_recent(user)}
    return render(request, "dashboard/home.html", ctx)
