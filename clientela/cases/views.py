from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from clientela.accounts.selectors import account_visible_to
from clientela.core.access import may, permission_required
from clientela.core.exceptions import StaleVersionError
from clientela.core.forms import add_service_errors, form_page, posted_version, stale_message
from clientela.core.htmx import wants_fragment
from clientela.core.pages import confirm_delete, list_template
from clientela.users.auth import current_user

from . import services, workflow
from .forms import CaseFilterForm, CaseForm, CommentForm, StatusForm
from .models import Case, CaseComment
from .selectors import (
    SCOPES,
    case_comments,
    case_get_for_user,
    case_queue_counts,
    case_queue_page,
)

DETAIL = "cases/case_detail.html"
FORM = "cases/case_form.html"


# ── The pending queue ───────────────────────────────────────────────────────────────────────────


@require_GET
@vary_on_headers("HX-Request")
def case_list_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = CaseFilterForm(request.GET)
    filters = form.filters()
    now = timezone.now()
    counts = case_queue_counts(user=user, filters=filters, now=now)
    scope = filters.scope if filters.scope in SCOPES else "all"
    page = case_queue_page(
        user=user,
        filters=filters,
        params=request.GET,
        now=now,
        count=(counts[scope], bool(counts[f"{scope}_capped"])),
    )
    ctx = {
        "form": form,
        "filters": filters,
        "page": page,
        "counts": counts,
        "scopes": [
            ("all", pgettext("case scope", "All"), counts["all"], counts["all_capped"]),
            ("mine", pgettext("case scope", "Mine"), counts["mine"], counts["mine_capped"]),
            (
                "unassigned",
                pgettext("case scope", "Unassigned"),
                counts["unassigned"],
                counts["unassigned_capped"],
            ),
        ],
        "now": now,
        "can_add": may(user, "add", Case),
    }
    return render(request, list_template(request, "cases/case_list.html"), ctx)


# ── Opening and editing ─────────────────────────────────────────────────────────────────────────


@require_http_methods(["GET", "POST"])
@permission_required("add", Case)
def case_create_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    code = request.GET.get("account", "").strip().upper()
    # Preselect only an account the user may see; anything else is ignored.
    preselected = account_visible_to(user).filter(code=code).first() if code else None
    form = CaseForm(request.POST or None, user=user, initial={"account": preselected})
    ctx = {"case": None, "chosen_account": form.account_choice}
    opened = partial(services.case_create, user=user)
    return form_page(request, form, opened, FORM, ctx, success=_opened)


def _opened(case: Case) -> str:
    return _("Case %(number)s opened.") % {"number": case.number}


@require_GET
def case_contact_field_view(request: HttpRequest) -> HttpResponse:
    """The contact <select> (and the account's banner) for the account typed in the
    form: htmx refreshes it when the account changes."""
    form = CaseForm(initial={"account": request.GET.get("account", "")}, user=current_user(request))
    ctx = {"form": form, "chosen_account": form.account_choice}
    return render(request, f"{FORM}#account_dependent", ctx)


@require_http_methods(["GET", "POST"])
def case_edit_view(request: HttpRequest, number: str) -> HttpResponse:
    user = current_user(request)
    case = case_get_for_user(user, number, action="change")
    ctx = {"case": case, "chosen_account": case.account}
    form = CaseForm(request.POST or None, instance=case, user=user)
    return form_page(
        request,
        form,
        partial(services.case_update, user=user, case=case),
        FORM,
        ctx,
        success=_saved,
    )


def _saved(case: Case) -> str:
    return _("Case %(number)s saved.") % {"number": case.number}


# ── The case page and its actions ───────────────────────────────────────────────────────────────


def _detail_ctx(
    request: HttpRequest,
    case: Case,
    *,
    status_form: StatusForm | None = None,
    comment_form: CommentForm | None = None,
    action_errors: list[str] | None = None,
) -> dict[str, Any]:
    user = current_user(request)
    can_change = may(user, "change", case)
    transitions = [
        {
            "status": target,
            "label": workflow.action_label(case.status, target),
            "needs_resolution": workflow.needs_resolution(target),
        }
        for target in workflow.allowed_targets(case.status)
    ]
    return {
        "case": case,
        "account": case.account,
        "transitions": transitions if can_change else [],
        "can_change": can_change,
        "can_edit": can_change and case.status != Case.Status.CLOSED,
        "can_take": can_change
        and case.status != Case.Status.CLOSED
        and case.assignee_id != user.pk,
        "can_comment": may(user, "comment", case),
        "can_delete": may(user, "delete", case),
        "status_form": status_form or StatusForm(),
        "comment_form": comment_form or CommentForm(),
        "action_errors": action_errors or [],
    }


@require_GET
def case_detail_view(request: HttpRequest, number: str) -> HttpResponse:
    case = case_get_for_user(current_user(request), number)
    ctx = _detail_ctx(request, case)
    ctx["comments"] = case_comments(case)
    return render(request, DETAIL, ctx)


def _after_action(
    request: HttpRequest,
    case: Case,
    *,
    errors: list[str],
    success: str,
    failed: bool = False,
    **extra: Any,
) -> HttpResponse:
    """htmx: the updated summary (422 with the errors); otherwise a redirect after a
    success, or the whole page with the errors. `failed` with no `errors`: the reason
    is shown beside a field of the action's form."""
    failed = failed or bool(errors)
    if not failed and not wants_fragment(request):
        messages.success(request, success)
        return redirect("case_detail", number=case.number)
    ctx = _detail_ctx(request, case, action_errors=errors, **extra)
    status = 422 if failed else 200
    if wants_fragment(request):
        return render(request, f"{DETAIL}#summary", ctx, status=status)
    ctx["comments"] = case_comments(case)
    return render(request, DETAIL, ctx, status=status)


@require_POST
def case_assign_view(request: HttpRequest, number: str) -> HttpResponse:
    """ "Asignarme": the user takes the case."""
    user = current_user(request)
    case = case_get_for_user(user, number, action="change")
    errors: list[str] = []
    try:
        case = services.case_assign(user=user, case=case, assignee=user).record
    except ValidationError as exc:
        errors = exc.messages
        case = case_get_for_user(user, number)
    return _after_action(
        request,
        case,
        errors=errors,
        success=_("Case %(number)s assigned to you.") % {"number": case.number},
    )


@require_POST
def case_status_view(request: HttpRequest, number: str) -> HttpResponse:
    user = current_user(request)
    case = case_get_for_user(user, number, action="change")
    form = StatusForm(request.POST)
    errors: list[str] = []
    failed = False
    if not form.is_valid():
        errors = [_("Choose a valid status.")]
    else:
        try:
            case = services.case_change_status(
                user=user,
                case=case,
                status=form.cleaned_data["status"],
                resolution=form.cleaned_data["resolution"],
                version=posted_version(request),
            ).record
        except StaleVersionError as exc:
            errors = [stale_message(exc.current)]
            case = case_get_for_user(user, number)
        except ValidationError as exc:
            failed = True
            form = _status_form_with_errors(form, exc)
            # A missing resolution is said beside its field; anything else on top.
            errors = [
                message
                for field, messages_ in _errors_by_field(exc).items()
                if field != "resolution"
                for message in messages_
            ]
            case = case_get_for_user(user, number)
    return _after_action(
        request,
        case,
        errors=errors,
        failed=failed,
        success=_("Case %(number)s is now “%(status)s”.")
        % {"number": case.number, "status": case.get_status_display()},
        status_form=form,
    )


def _errors_by_field(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _status_form_with_errors(form: StatusForm, exc: ValidationError) -> StatusForm:
    """Keep the typed resolution (and its error) for the resolve form."""
    kept = StatusForm(form.data)
    kept.is_valid()
    if hasattr(exc, "error_dict") and "resolution" in exc.error_dict:
        kept.add_error("resolution", exc.error_dict["resolution"])
    return kept


@require_POST
def case_comment_view(request: HttpRequest, number: str) -> HttpResponse:
    user = current_user(request)
    case = case_get_for_user(user, number, action="comment")
    form = CommentForm(request.POST)
    comment: CaseComment | None = None
    if form.is_valid():
        try:
            comment = services.case_comment(
                user=user, case=case, body=form.cleaned_data["body"]
            ).record
        except ValidationError as exc:
            add_service_errors(form, exc)
    if comment is not None and not wants_fragment(request):
        messages.success(request, _("Comment added."))
        return redirect(f"{case.get_absolute_url()}#comment-{comment.pk}")
    if wants_fragment(request):
        if comment is None:
            response = render(
                request,
                f"{DETAIL}#comment_form",
                {"case": case, "comment_form": form, "can_comment": True},
                status=422,
            )
            # The error replaces the form, not the thread.
            response["HX-Retarget"] = "#comment-form"
            response["HX-Reswap"] = "outerHTML"
            return response
        # The new comment joins the thread; a blank form replaces the used one.
        return render(
            request,
            f"{DETAIL}#comment_added",
            {"case": case, "comment": comment, "comment_form": CommentForm(), "can_comment": True},
        )
    ctx = _detail_ctx(request, case, comment_form=form)
    ctx["comments"] = case_comments(case)
    return render(request, DETAIL, ctx, status=422)


@require_http_methods(["GET", "POST"])
def case_delete_view(request: HttpRequest, number: str) -> HttpResponse:
    user = current_user(request)
    case = case_get_for_user(user, number, action="delete")
    deleted = _("Case %(number)s deleted.") % {"number": case.number}
    delete = partial(services.case_delete, user=user, case=case)
    template = "cases/case_confirm_delete.html"
    return confirm_delete(
        request, delete, template, {"case": case}, deleted, case.account.get_absolute_url()
    )
