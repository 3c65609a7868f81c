from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from clientela.accounts.selectors import account_counts_by_status, account_recent
from clientela.users.models import User


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Inicio: a glance at the accounts the user may see."""
    assert isinstance(request.user, User)
    counts = account_counts_by_status(request.user)
    ctx = {
        "counts": counts,
        "total": sum(counts.values()),
        "recent": account_recent(request.user),
    }
    return render(request, "core/home.html", ctx)


# The login page has the language switcher too, so it must work before login.
language_switch = login_not_required(require_POST(set_language))
