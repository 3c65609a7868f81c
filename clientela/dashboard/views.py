from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from clientela.core.access import is_owner_scoped
from clientela.core.currencies import format_money
from clientela.users.auth import current_user

from .charts import bar_chart
from .forms import DashboardFilterForm
from .search import code_target, search_everything
from .selectors import Dashboard, _month_start, dashboard


def _url(name: str, **params: Any) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + ("?" + urlencode(query) if query else "")


def _links(board: Dashboard) -> dict[str, Any]:
    """Every figure with the list it summarizes, under the same filters (salesperson,
    period): rows of (label, figure, url)."""
    owner = board.filters.owner.username if board.filters.owner else ""
    period = board.period

    def closed(stage: str, start: date, last: date, who: str = owner) -> str:
        return _url(
            "opportunity_list",
            stage=stage,
            owner=who,
            closed_from=start.isoformat(),
            closed_to=last.isoformat(),
            sort="-closed_at",
        )

    def month_end(month: date) -> date:
        return _month_start(month, -1) - timedelta(days=1)

    return {
        "accounts_all": _url("account_list", status="all", salesperson=owner),
        "statuses": [
            (label, count, _url("account_list", status=code, salesperson=owner))
            for code, label, count in board.statuses
        ],
        "pipeline": [
            (label, money, _url("opportunity_list", stage=code, owner=owner))
            for code, label, money in board.pipeline
        ],
        "open": _url("opportunity_list", state="open", owner=owner),
        "won": closed("won", period.start, period.last_day),
        "lost": closed("lost", period.start, period.last_day),
        "won_previous": closed("won", period.previous_start, period.previous_last_day),
        "lost_previous": closed("lost", period.previous_start, period.previous_last_day),
        "closed": _url(
            "opportunity_list",
            state="closed",
            owner=owner,
            closed_from=period.start.isoformat(),
            closed_to=period.last_day.isoformat(),
        ),
        "forecast": [
            (
                _month_label(month),
                money,
                _url(
                    "opportunity_list",
                    state="open",
                    owner=owner,
                    close_from=month.isoformat(),
                    close_to=month_end(month).isoformat(),
                ),
            )
            for month, money in board.forecast
        ],
        "won_by_month": [
            (_month_label(month), money, closed("won", month, month_end(month)))
            for month, money in board.won_by_month
        ],
        "ranking": [
            (
                user.get_full_name() or user.username,
                money,
                closed("won", period.start, period.last_day, user.username),
            )
            for user, money in board.ranking
        ],
        "cases": _url("case_list", status="all"),
        "cases_open": _url("case_list"),
    }


def _month_label(month: date) -> str:
    return formats.date_format(month, "M Y")


def _charts(board: Dashboard, links: dict[str, Any]) -> dict[str, Any]:
    currency = board.filters.currency
    pipeline = bar_chart(
        [
            (label, [(money.amount, format_money(money.amount, currency), url)])
            for label, money, url in links["pipeline"]
        ]
    )
    won = bar_chart(
        [
            (label, [(money.amount, format_money(money.amount, currency), url)])
            for label, money, url in links["won_by_month"]
        ]
    )
    cases = bar_chart(
        [
            (
                formats.date_format(week, "d/m"),
                [(opened, str(opened), ""), (resolved, str(resolved), "")],
            )
            for week, opened, resolved in board.cases_by_week
        ]
    )
    return {"pipeline": pipeline, "won": won, "cases": cases}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Inicio: the state of the business the user may see, at a glance."""
    user = current_user(request)
    form = DashboardFilterForm(request.GET or None, owner_scoped=is_owner_scoped(user))
    filters = form.filters()
    board = dashboard(user, filters)
    links = _links(board)
    ctx = {
        "form": form,
        "board": board,
        "links": links,
        "charts": _charts(board, links),
        "currency": filters.currency,
    }
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
