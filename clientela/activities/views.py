from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clientela.accounts.selectors import account_get_for_user, account_visible_to
from clientela.cases.selectors import case_get_for_user
from clientela.contacts.selectors import contact_get_for_user
from clientela.core.access import may, permission_required
from clientela.core.forms import form_page
from clientela.core.htmx import wants_fragment
from clientela.core.pages import can, confirm_delete, list_template
from clientela.opportunities.selectors import opportunity_get_for_user
from clientela.users.auth import current_user
from clientela.users.models import User
from clientela.users.roles import Role

from . import calendar, services
from .forms import ActivityFilterForm, ActivityForm, QuickCallForm, QuickPlanForm, RescheduleForm
from .models import Activity, UserAgenda
from .selectors import (
    activity_get_for_user,
    activity_page,
    activity_panel,
    my_day,
    notifications_for,
    unread_count,
)

FORM = "activities/activity_form.html"
PANEL = "activities/panel.html"
ROW = "activities/partials/row.html"


# ── The list, the page, the form ────────────────────────────────────────────────────────────────


@require_GET
def activity_list_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = ActivityFilterForm(request.GET)
    filters = form.filters()
    page = activity_page(user=user, filters=filters, params=request.GET)
    ctx = {"form": form, "filters": filters, "page": page, "can_add": may(user, "add", Activity)}
    return render(request, list_template(request, "activities/activity_list.html"), ctx)


@require_GET
def activity_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    activity = activity_get_for_user(user, pk)
    ctx = {"activity": activity, **can(user, activity, "change", "delete")}
    return render(request, "activities/activity_detail.html", ctx)


@require_http_methods(["GET", "POST"])
@permission_required("add", Activity)
def activity_create_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    code = request.GET.get("account", "").strip().upper()
    preselected = account_visible_to(user).filter(code=code).first() if code else None
    initial: dict[str, Any] = {"account": preselected, "starts_at": timezone.localtime()}
    for name in ("kind", "contact", "opportunity", "case"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = ActivityForm(request.POST or None, user=user, initial=initial)
    done = request.method == "POST" and request.POST.get("done") == "on"
    save = partial(services.activity_create, user=user, done=done)
    ctx = {"activity": None, "chosen_account": form.account_choice}
    return form_page(request, form, save, FORM, ctx, success=_saved)


@require_http_methods(["GET", "POST"])
def activity_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    activity = activity_get_for_user(user, pk, action="change")
    form = ActivityForm(request.POST or None, instance=activity, user=user)
    save = partial(services.activity_update, user=user, activity=activity)
    ctx = {"activity": activity, "chosen_account": activity.account}
    return form_page(request, form, save, FORM, ctx, success=_saved)


def _saved(activity: Activity) -> str:
    return _("Activity “%(subject)s” saved.") % {"subject": activity.subject}


@require_http_methods(["GET", "POST"])
def activity_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    activity = activity_get_for_user(user, pk, action="delete")
    return confirm_delete(
        request,
        lambda: services.activity_delete(user=user, activity=activity),
        "activities/activity_confirm_delete.html",
        {"activity": activity},
        _("Activity deleted."),
        activity.account.get_absolute_url(),
    )


# ── One-click actions: done / pending, reschedule ───────────────────────────────────────────────


def _row(request: HttpRequest, activity: Activity, *, error: str = "") -> HttpResponse:
    if not wants_fragment(request):
        if error:
            messages.error(request, error)
        return redirect(request.POST.get("next") or activity.get_absolute_url())
    user = current_user(request)
    ctx = {"activity": activity, "can_change": may(user, "change", activity), "error": error}
    return render(request, ROW, ctx, status=422 if error else 200)


def _safe_next(request: HttpRequest) -> None:
    target = request.POST.get("next", "")
    if (target and not target.startswith("/")) or target.startswith("//"):
        raise PermissionDenied


@require_POST
def activity_done_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark done (`done=1`, optionally `result`) or pending again (`done=0`)."""
    _safe_next(request)
    user = current_user(request)
    activity = activity_get_for_user(user, pk, action="change")
    result = request.POST.get("result", "")
    if result and result not in Activity.Result.values:
        result = ""
    try:
        saved = services.activity_set_done(
            user=user, activity=activity, done=request.POST.get("done", "1") == "1", result=result
        )
    except ValidationError as exc:
        return _row(request, activity, error=" ".join(exc.messages))
    return _row(request, saved.record)


@require_POST
def activity_reschedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    _safe_next(request)
    user = current_user(request)
    activity = activity_get_for_user(user, pk, action="change")
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        return _row(request, activity, error=" ".join(str(e) for e in form.errors["starts_at"]))
    try:
        saved = services.activity_reschedule(
            user=user, activity=activity, starts_at=form.cleaned_data["starts_at"]
        )
    except ValidationError as exc:
        return _row(request, activity, error=" ".join(exc.messages))
    return _row(request, saved.record)


# ── The Actividades panel (profile, contact, opportunity, case) ─────────────────────────────────


def _link(request: HttpRequest, user: User) -> tuple[dict[str, Any], Any, str]:
    """What the panel is about, from ?account=CODE | contact=ID | opportunity=ID |
    case=NUMBER: (filter, the account, the query string). 404 for what the user may
    not see."""
    params = request.GET
    try:
        if params.get("contact"):
            contact = contact_get_for_user(user, int(params["contact"]))
            if contact.account_id is None:
                raise Http404("contact")
            return {"contact": contact}, contact.account, f"contact={contact.pk}"
        if params.get("opportunity"):
            opportunity = opportunity_get_for_user(user, int(params["opportunity"]))
            return (
                {"opportunity": opportunity},
                opportunity.account,
                f"opportunity={opportunity.pk}",
            )
    except ValueError:
        raise Http404("activity link") from None
    if params.get("case"):
        case = case_get_for_user(user, params["case"])
        return {"case": case}, case.account, f"case={case.number}"
    account = account_get_for_user(user, params.get("account", ""))
    return {"account": account}, account, f"account={account.code}"


def panel_context(user: User, link: dict[str, Any], account: Any, query: str) -> dict[str, Any]:
    return {
        **activity_panel(user=user, **link),
        "account": account,
        "query": query,
        "can_add": may(user, "add", Activity, account=account),
        "call_form": QuickCallForm(auto_id="call_%s"),
        "plan_form": QuickPlanForm(auto_id="plan_%s"),
    }


@require_GET
def activity_panel_view(request: HttpRequest) -> HttpResponse:
    """The panel alone: loaded by htmx on the contact, opportunity and case pages."""
    user = current_user(request)
    link, account, query = _link(request, user)
    return render(request, PANEL, {"panel": panel_context(user, link, account, query)})


def _link_fields(link: dict[str, Any], account: Any) -> dict[str, Any]:
    data = {"account": account}
    for name in ("contact", "opportunity", "case"):
        if name in link:
            data[name] = link[name]
    return data


@require_POST
def activity_quick_view(request: HttpRequest, what: str) -> HttpResponse:
    """The panel's quick adds: "Registrar llamada" (a call just made, done) and
    "Planear seguimiento" (the next step). htmx gets the panel again."""
    user = current_user(request)
    link, account, query = _link(request, user)
    ctx = panel_context(user, link, account, query)
    data = _link_fields(link, account)
    form: QuickCallForm | QuickPlanForm
    if what == "call":
        form = QuickCallForm(request.POST, auto_id="call_%s")
        ctx["call_form"], ctx["open"] = form, "call"
    else:
        form = QuickPlanForm(request.POST, auto_id="plan_%s")
        ctx["plan_form"], ctx["open"] = form, "plan"
    status = 422
    if form.is_valid():
        data.update(form.cleaned_data)
        try:
            if what == "call":
                services.activity_create(
                    user=user, data={**data, "kind": Activity.Kind.CALL}, done=True
                )
            else:
                services.activity_create(user=user, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            status = 200
            ctx = panel_context(user, link, account, query)
            ctx["saved"] = _("Call logged.") if what == "call" else _("Follow-up planned.")
    if not wants_fragment(request) and status == 200:
        messages.success(request, ctx["saved"])
        return redirect(account.get_absolute_url())
    return render(request, PANEL, {"panel": ctx}, status=status)


# ── Mi día ──────────────────────────────────────────────────────────────────────────────────────


@require_GET
@permission_required("view", Activity)
def today_view(request: HttpRequest) -> HttpResponse:
    """Mi día. Managers and administrators may look at a salesperson's day (?user=)."""
    user = current_user(request)
    who = user
    may_pick = user.role in (Role.ADMIN, Role.MANAGER)
    username = request.GET.get("user", "").strip()
    if username and username != user.username:
        if not may_pick:
            raise PermissionDenied
        picked = User.objects.filter(username=username, is_active=True).first()
        if picked is None:
            raise Http404("user")
        who = picked
    agenda, _created = UserAgenda.objects.get_or_create(user=user)
    language = translation.get_language() or ""
    if agenda.language != language:
        services.remember_language(user=user, language=language)
    ctx = {
        **my_day(user=user, who=who),
        "who": who,
        "may_pick": may_pick,
        "agenda": agenda,
        "people": (
            User.objects.filter(is_active=True, groups__name__in=["sales", "support"])
            .distinct()
            .order_by("username")
            if may_pick
            else []
        ),
        "feed_url": request.build_absolute_uri(f"/calendar/{agenda.token}.ics"),
    }
    return render(request, "activities/today.html", ctx)


# ── Calendar ────────────────────────────────────────────────────────────────────────────────────


@login_not_required
@require_GET
def calendar_feed_view(request: HttpRequest, secret: str) -> HttpResponse:
    """The private feed: the token is the credential (a revoked one is 404)."""
    agenda = UserAgenda.objects.select_related("user").filter(token=secret).first()
    if agenda is None or not agenda.user.is_active:
        raise Http404("feed")
    body = calendar.feed(agenda.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_POST
def calendar_revoke_view(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_revoke(user=current_user(request))
    messages.success(request, _("A new calendar address was made; the old one no longer works."))
    return redirect("today")


@require_GET
def activity_ics_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_get_for_user(current_user(request), pk)
    response = HttpResponse(calendar.single(activity), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="actividad-{activity.pk}.ics"'
    return response


# ── Notifications (the bell) ────────────────────────────────────────────────────────────────────


@require_GET
def notification_bell_view(request: HttpRequest) -> HttpResponse:
    count = unread_count(user=current_user(request))
    return render(request, "activities/partials/bell.html", {"unread": count})


@require_GET
def notification_list_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    ctx = {"notifications": notifications_for(user=user), "unread": unread_count(user=user)}
    return render(request, "activities/notifications.html", ctx)


@require_POST
def notification_read_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    raw = request.POST.get("id", "")
    services.notifications_mark_read(user=user, pk=int(raw) if raw.isdigit() else None)
    return redirect("notification_list")
