from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from clientela.accounts.models import Account
from clientela.accounts.selectors import account_visible_to
from clientela.audit.selectors import history_page
from clientela.core.access import may, permission_required
from clientela.core.currencies import is_currency
from clientela.core.exceptions import StaleVersionError
from clientela.core.forms import posted_version, stale_message, submit
from clientela.core.htmx import wants_fragment
from clientela.core.pages import can, confirm_delete, list_template
from clientela.users.auth import current_user

from . import services
from .forms import OpportunityFilterForm, OpportunityForm
from .models import Opportunity
from .selectors import (
    OpportunityFilters,
    company_converter,
    credit_exposure,
    in_company_currency,
    opportunity_board,
    opportunity_get_for_user,
    opportunity_page,
    opportunity_totals,
)

# A column shows this many cards at most, then "n more" links to the filtered list: the
# board stays fast with a hundred thousand opportunities.
BOARD_CARDS_PER_COLUMN = 20
# "More" adds this many cards to a column in place, up to BOARD_MAX_CARDS.
BOARD_MORE_STEP = 20
BOARD_MAX_CARDS = 200
# The filters the board shares with the list (kept in move URLs and "more" links).
BOARD_FILTERS = ("q", "owner", "account", "close_from", "close_to")
FORM = "opportunities/opportunity_form.html"
LIST_COLUMNS = [
    ("name", gettext_lazy("Name")),
    ("account", gettext_lazy("Account")),
    ("stage", gettext_lazy("Stage")),
    ("amount", gettext_lazy("Amount")),
    ("probability", gettext_lazy("Probability")),
    ("expected_close_date", gettext_lazy("Expected close")),
    ("owner", gettext_lazy("Owner")),
]
# The columns a phone keeps (narrower than 600 px hides the rest: app.css .col-opt).
PHONE_COLUMNS = ("name", "stage", "amount")


# ── List ─────────────────────────────────────────────────────────────────────────────


@require_GET
@vary_on_headers("HX-Request")
def opportunity_list_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = OpportunityFilterForm(request.GET)
    filters = form.filters()
    page = opportunity_page(user=user, filters=filters, params=request.GET)
    # Summed only over a list that fits the exact count: a sum over every one of half a
    # million opportunities on each page view is what made the list slow.
    totals = [] if page.count_is_capped else opportunity_totals(user=user, filters=filters)
    ctx = {
        "form": form,
        "filters": filters,
        "page": page,
        "sort": filters.sort,
        "columns": LIST_COLUMNS,
        "phone_columns": PHONE_COLUMNS,
        "totals": totals,
        "company_total": in_company_currency(totals, company_converter()) if totals else None,
        "can_add": may(user, "add", Opportunity),
    }
    return render(request, list_template(request, "opportunities/opportunity_list.html"), ctx)


# ── Board ────────────────────────────────────────────────────────────────────────────


def _board_query(params: QueryDict) -> str:
    """The board's filters as a query string, for move URLs and "more" links."""
    return urlencode([(k, params[k]) for k in BOARD_FILTERS if params.get(k)])


def _filters_query(filters: OpportunityFilters, **changes: str) -> str:
    """A list URL's query for these filters (used by the board's "more" links)."""
    values = {
        "q": filters.q,
        "owner": filters.owner,
        "account": filters.account,
        "close_from": filters.close_from.isoformat() if filters.close_from else "",
        "close_to": filters.close_to.isoformat() if filters.close_to else "",
        **changes,
    }
    return urlencode({k: v for k, v in values.items() if v})


def _cards_wanted(params: QueryDict) -> int:
    try:
        wanted = int(params.get("cards") or BOARD_CARDS_PER_COLUMN)
    except ValueError:
        wanted = BOARD_CARDS_PER_COLUMN
    return max(BOARD_CARDS_PER_COLUMN, min(wanted, BOARD_MAX_CARDS))


def _board_context(
    request: HttpRequest, params: QueryDict, *, only_stage: str = ""
) -> dict[str, Any]:
    user = current_user(request)
    form = OpportunityFilterForm(params)
    filters = form.filters()
    query = _board_query(params)
    cards = _cards_wanted(params) if only_stage else BOARD_CARDS_PER_COLUMN
    columns = opportunity_board(
        user=user, filters=filters, cards_per_column=cards, only_stage=only_stage
    )
    list_url = reverse("opportunity_list")
    board_url = reverse("opportunity_board")
    for column in columns:
        column.more_url = f"{list_url}?{_filters_query(filters, stage=column.stage)}"
        if len(column.cards) < min(column.count, BOARD_MAX_CARDS):
            more = {"more": column.stage, "cards": str(len(column.cards) + BOARD_MORE_STEP)}
            column.more_cards_url = f"{board_url}?{query}&{urlencode(more)}".replace("?&", "?")
    return {
        "form": form,
        "filters": filters,
        "columns": columns,
        "board_query": query,
        "board_url": reverse("opportunity_board") + (f"?{query}" if query else ""),
        "stages": Opportunity.Stage.choices,
        "can_move": may(user, "change", Opportunity),
        "can_add": may(user, "add", Opportunity),
    }


@require_GET
@vary_on_headers("HX-Request")
def opportunity_board_view(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("more", "")
    if wants_fragment(request) and stage in Opportunity.OPEN_STAGES:
        # "More" on one column: that column again with more cards, nothing else.
        ctx = _board_context(request, request.GET, only_stage=stage)
        ctx["column"] = next(c for c in ctx["columns"] if c.stage == stage)
        return render(request, "opportunities/opportunity_board.html#column", ctx)
    ctx = _board_context(request, request.GET)
    template = "opportunities/opportunity_board.html"
    if wants_fragment(request):
        template += "#board"
        ctx["fragment"] = True
    return render(request, template, ctx)


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
def opportunity_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A card moved on the board (drag and drop or the stage select), or the stage
    changed from the opportunity's page. htmx gets the board back; a plain POST is
    redirected. A rule the move breaks is answered with what is missing (422)."""
    user = current_user(request)
    opportunity = opportunity_get_for_user(user, pk, action="change")
    stage = request.POST.get("stage", "")
    lost_reason = request.POST.get("lost_reason", "")
    default_next = reverse("opportunity_board")
    if request.GET:
        default_next += f"?{_board_query(request.GET)}"
    next_url = _safe_next(request, default_next)
    try:
        saved = services.opportunity_move(
            user=user,
            opportunity=opportunity,
            stage=stage,
            lost_reason=lost_reason,
            version=posted_version(request),
        )
    except StaleVersionError as exc:
        return _move_refused(
            request, exc.current, stage, [stale_message(exc.current)], {}, next_url
        )
    except ValidationError as exc:
        field_errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        # The lost reason is asked for in its own form; everything else is said above it.
        general = [
            text for name, texts in field_errors.items() if name != "lost_reason" for text in texts
        ]
        return _move_refused(request, opportunity, stage, general, field_errors, next_url)
    moved = saved.record
    text = _("“%(name)s” moved to %(stage)s.") % {
        "name": moved.name,
        "stage": moved.get_stage_display(),
    }
    messages.success(request, text)
    for warning in saved.warnings:
        messages.warning(request, warning)
    if wants_fragment(request):
        ctx = _board_context(request, request.GET)
        ctx["fragment"] = True
        return render(request, "opportunities/opportunity_board.html#board", ctx)
    return redirect(next_url)


def _move_refused(
    request: HttpRequest,
    opportunity: Opportunity,
    stage: str,
    errors: list[str],
    field_errors: dict[str, list[str]],
    next_url: str,
) -> HttpResponse:
    """The card stays where it was; the user is told why, and asked for the lost reason
    when that is what was missing."""
    ask_reason = stage == Opportunity.Stage.LOST and "lost_reason" in field_errors
    ctx: dict[str, Any] = {
        "move": {
            "opportunity": opportunity,
            "stage": stage,
            "stage_label": dict(Opportunity.Stage.choices).get(stage, stage),
            "errors": errors,
            # The first ask (a drop, or the stage select) is a question, not an error;
            # the error shows once a blank reason is sent.
            "reason_errors": (
                field_errors.get("lost_reason", []) if "lost_reason" in request.POST else []
            ),
            "ask_reason": ask_reason,
            "lost_reason": request.POST.get("lost_reason", ""),
            "next": next_url,
            "query": _board_query(request.GET),
        }
    }
    if wants_fragment(request):
        ctx.update(_board_context(request, request.GET))
        ctx["fragment"] = True
        return render(request, "opportunities/opportunity_board.html#board", ctx, status=422)
    return render(request, "opportunities/opportunity_move.html", ctx, status=422)


# ── Pages and form ───────────────────────────────────────────────────────────────────


def _form_notices(
    *,
    account: Account | None,
    amount: Decimal | None,
    currency: str,
    stage: str,
    exclude_pk: int | None,
) -> dict[str, Any]:
    """The restricted/suspended banner and the credit warning for the form."""
    if account is None:
        return {"notice_account": None, "credit_warning": ""}
    if currency and not is_currency(currency):
        # The form says the currency is wrong; a credit figure in it would mean nothing.
        return {"notice_account": account, "credit_warning": ""}
    exposure = credit_exposure(
        account=account,
        amount=amount,
        currency=(currency or settings.DEFAULT_CURRENCY).upper(),
        stage=stage,
        exclude_pk=exclude_pk,
    )
    return {
        "notice_account": account,
        "credit_warning": services.credit_warning_message(exposure) if exposure else "",
    }


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        return None


def _posted_notices(form: OpportunityForm, fallback: Opportunity | None) -> dict[str, Any]:
    """Notices from what the form holds (typed values first, then the saved record)."""
    data = getattr(form, "cleaned_data", {})
    account = data.get("account") or (fallback.account if fallback else None)
    if not isinstance(account, Account):
        account = None
    return _form_notices(
        account=account,
        amount=data.get("amount") if "amount" in data else (fallback.amount if fallback else None),
        currency=data.get("currency") or (fallback.currency if fallback else ""),
        stage=data.get("stage") or (fallback.stage if fallback else Opportunity.Stage.PROSPECTING),
        exclude_pk=fallback.pk if fallback else None,
    )


@require_GET
def opportunity_form_check_view(request: HttpRequest) -> HttpResponse:
    """The form's notices again as the user picks an account or types an amount."""
    user = current_user(request)
    code = (request.GET.get("account") or "").strip().split(" ")[0].upper()
    account = account_visible_to(user).filter(code=code).first() if code else None
    exclude_pk = None
    pk = request.GET.get("opportunity")
    if pk and pk.isdigit():
        exclude_pk = int(pk)
    ctx = _form_notices(
        account=account,
        amount=_decimal(request.GET.get("amount")),
        currency=request.GET.get("currency", ""),
        stage=request.GET.get("stage") or Opportunity.Stage.PROSPECTING,
        exclude_pk=exclude_pk,
    )
    return render(request, "opportunities/opportunity_form.html#notices", ctx)


def _created(opportunity: Opportunity) -> str:
    return _("Opportunity “%(name)s” created.") % {"name": opportunity.name}


def _saved(opportunity: Opportunity) -> str:
    return _("Opportunity “%(name)s” saved.") % {"name": opportunity.name}


@require_http_methods(["GET", "POST"])
@permission_required("add", Opportunity)
def opportunity_create_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    initial: dict[str, Any] = {"currency": settings.DEFAULT_CURRENCY}
    preselected = None
    code = (request.GET.get("account") or "").strip().upper()
    if code:
        preselected = (
            account_visible_to(user).select_related("salesperson").filter(code=code).first()
        )
        if preselected is not None:
            initial.update(account=preselected, owner=preselected.salesperson)
    form = OpportunityForm(
        request.POST or None,
        user=user,
        can_reassign=may(user, "reassign", Opportunity),
        initial=initial,
    )
    sub = submit(request, form, partial(services.opportunity_create, user=user), success=_created)
    if sub.saved:
        return redirect(sub.saved.record)
    notices = (
        _posted_notices(form, None)
        if form.is_bound
        else _form_notices(
            account=preselected,
            amount=None,
            currency=settings.DEFAULT_CURRENCY,
            stage=Opportunity.Stage.PROSPECTING,
            exclude_pk=None,
        )
    )
    ctx = {"opportunity": None, **sub.context(), **notices}
    return render(request, FORM, ctx, status=sub.status)


@require_http_methods(["GET", "POST"])
def opportunity_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    opportunity = opportunity_get_for_user(user, pk, action="change")
    form = OpportunityForm(
        request.POST or None,
        instance=opportunity,
        user=user,
        can_reassign=may(user, "reassign", Opportunity),
    )
    save = partial(services.opportunity_update, user=user, opportunity=opportunity)
    sub = submit(request, form, save, success=_saved)
    if sub.saved:
        return redirect(sub.saved.record)
    notices = (
        _posted_notices(form, opportunity)
        if form.is_bound
        else _form_notices(
            account=opportunity.account,
            amount=opportunity.amount,
            currency=opportunity.currency,
            stage=opportunity.stage,
            exclude_pk=opportunity.pk,
        )
    )
    ctx = {"opportunity": opportunity, **sub.context(), **notices}
    return render(request, FORM, ctx, status=sub.status)


@require_GET
def opportunity_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    opportunity = opportunity_get_for_user(user, pk)
    ctx = {
        "opportunity": opportunity,
        "account": opportunity.account,
        "history": history_page(opportunity, request.GET.get("history_page")),
        "stages": Opportunity.Stage.choices,
        **can(user, opportunity, "change", "delete"),
    }
    return render(request, "opportunities/opportunity_detail.html", ctx)


@require_http_methods(["GET", "POST"])
def opportunity_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    opportunity = opportunity_get_for_user(user, pk, action="delete")
    delete = partial(services.opportunity_delete, user=user, opportunity=opportunity)
    done = _("Opportunity “%(name)s” deleted.") % {"name": opportunity.name}
    then = opportunity.account.get_absolute_url()
    template = "opportunities/opportunity_confirm_delete.html"
    return confirm_delete(request, delete, template, {"opportunity": opportunity}, done, then)
