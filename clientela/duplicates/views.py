"""Configuración > Duplicados (issue 16): the review queue, the merge page (field by
field), a merge's page with its undo, the scan's progress, and the warning shown while
a new account is typed."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clientela.accounts.models import PHONE_FIELDS, Account
from clientela.contacts.models import Contact
from clientela.core.access import get_for_user, role_required, scope_to_user
from clientela.core.phones import read_phones
from clientela.users.auth import current_user
from clientela.users.models import User

from . import keys, matching, services
from .kinds import profile_of, spec_of
from .models import Kind, Merge, ScanState
from .selectors import QueueFilters, candidate_list, pairs_of

REVIEWERS = ("admin", "manager")
PAGE_SIZE = 25


def _kind(value: str | None) -> str:
    return value if value in Kind.values else Kind.ACCOUNT


def _filters(request: HttpRequest) -> QueueFilters:
    try:
        min_score = max(0.0, min(1.0, float(request.GET.get("min_score") or 0) / 100))
    except ValueError:
        min_score = 0.0
    return QueueFilters(
        kind=_kind(request.GET.get("kind")),
        salesperson=request.GET.get("salesperson", "").strip(),
        country=request.GET.get("country", "").strip().upper()[:2],
        min_score=min_score,
    )


def _scan_states() -> dict[str, ScanState | None]:
    states = {s.kind: s for s in ScanState.objects.all()}
    return {kind: states.get(kind) for kind in Kind.values}


@require_GET
@role_required(*REVIEWERS)
def queue_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    filters = _filters(request)
    page = Paginator(candidate_list(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        "filters": filters,
        "min_score": round(filters.min_score * 100),
        "page": page,
        "pairs": pairs_of(list(page.object_list), filters.kind),
        "kinds": Kind.choices,
        "state": _scan_states().get(filters.kind),
        "salespeople": User.objects.filter(is_active=True).order_by("username"),
    }
    return render(request, "duplicates/queue.html", ctx)


@require_GET
@role_required(*REVIEWERS)
def scan_progress_view(request: HttpRequest) -> HttpResponse:
    kind = _kind(request.GET.get("kind"))
    ctx = {"state": _scan_states().get(kind), "filters": QueueFilters(kind=kind)}
    return render(request, "duplicates/queue.html#scan", ctx)


@require_POST
@role_required(*REVIEWERS)
def scan_start_view(request: HttpRequest) -> HttpResponse:
    kind = _kind(request.POST.get("kind"))
    full = request.POST.get("full") == "1"
    ScanState.objects.get_or_create(kind=kind)
    ScanState.objects.filter(kind=kind).update(status="queued", done=0)

    def send() -> None:
        from .tasks import scan_duplicates

        scan_duplicates.enqueue(kind, full)

    transaction.on_commit(send)
    messages.success(request, _("The scan started: this page shows its progress."))
    return redirect(f"{reverse('duplicate_queue')}?kind={kind}")


@require_POST
@role_required(*REVIEWERS)
def not_duplicates_view(request: HttpRequest) -> HttpResponse:
    kind = _kind(request.POST.get("kind"))
    try:
        a, b = int(request.POST.get("a", "")), int(request.POST.get("b", ""))
    except ValueError as exc:
        raise Http404("pair") from exc
    try:
        services.mark_not_duplicates(user=current_user(request), kind=kind, a=a, b=b)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.headers.get("HX-Request"):
        return HttpResponse("")
    messages.success(request, _("Marked as not duplicates: they will not be proposed again."))
    return redirect(f"{reverse('duplicate_queue')}?kind={kind}")


def _record(user: User, kind: str, pk: Any, action: str = "view") -> Any:
    spec = spec_of(kind)
    try:
        key = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404(kind) from exc
    return get_for_user(
        scope_to_user(user, spec.model._default_manager.all()), user, action=action, pk=key
    )


def _field_rows(kind: str, survivor: Any, merged: Any) -> list[dict[str, Any]]:
    spec = spec_of(kind)
    rows = []
    for name in services.differing_fields(spec, survivor, merged):
        if name == "logo":
            label: Any = _("logo")
        else:
            label = spec.model._meta.get_field(name).verbose_name  # type: ignore[union-attr]
        rows.append(
            {
                "name": name,
                "label": label,
                "survivor": _shown(survivor, name),
                "merged": _shown(merged, name),
                "default": services.default_choice(survivor, merged, name),
            }
        )
    return rows


def _shown(record: Any, name: str) -> Any:
    if name == "logo":
        return _("Yes") if record.logo else "—"
    getter = getattr(record, f"get_{name}_display", None)
    value = getter() if getter is not None else getattr(record, name)
    if name == "country":
        value = record.country.name
    return value if value not in (None, "") else "—"


@require_http_methods(["GET", "POST"])
def merge_view(request: HttpRequest) -> HttpResponse:
    """Choose the survivor and, field by field, which value stays; then merge."""
    user = current_user(request)
    params = request.POST if request.method == "POST" else request.GET
    kind = _kind(params.get("kind"))
    survivor = _record(user, kind, params.get("survivor"), "change")
    merged = _record(user, kind, params.get("merged"), "change")
    if survivor.pk == merged.pk:
        raise Http404(kind)
    if not services.may_merge(user, survivor, merged):
        raise PermissionDenied("duplicates.merge")
    rows = _field_rows(kind, survivor, merged)
    error = ""
    if request.method == "POST":
        values = {row["name"]: params.get(f"choice_{row['name']}", row["default"]) for row in rows}
        try:
            merge = services.record_merge(
                user=user, survivor=survivor, merged=merged, values=values
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("%(merged)s was merged into %(survivor)s. You can undo it from the history.")
                % {"merged": merge.merged_label, "survivor": merge.survivor_label},
            )
            return redirect(survivor)
    match = keys.find_matches(kind, profile_of(survivor), limit=50)
    reasons = next((m for pk, m in match if pk == merged.pk), None)
    ctx = {
        "kind": kind,
        "survivor": survivor,
        "merged": merged,
        "rows": rows,
        "reasons": [str(r) for r in reasons.reasons] if reasons else [],
        "error": error,
        "related": _related_counts(kind, merged),
    }
    return render(request, "duplicates/merge.html", ctx, status=422 if error else 200)


def _related_counts(kind: str, record: Any) -> list[tuple[Any, int]]:
    counts = []
    for rel in services._relations(spec_of(kind).model):
        n = rel.related_model._default_manager.filter(**{rel.field.name: record}).count()
        if n:
            counts.append((rel.related_model._meta.verbose_name_plural, n))
    return counts


def _merge_for_user(user: User, pk: int) -> Merge:
    merge = Merge.objects.filter(pk=pk).first()
    if merge is None:
        raise Http404("merge")
    spec = spec_of(merge.kind)
    visible = scope_to_user(user, spec.model._default_manager.all())
    if (
        not visible.filter(pk=merge.survivor_id).exists()
        and not visible.filter(pk=merge.merged_id).exists()
    ):
        raise Http404("merge")
    return merge


@require_GET
def merge_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    merge = _merge_for_user(user, pk)
    spec = spec_of(merge.kind)
    labels = {}
    for name in merge.history:
        try:
            labels[name] = spec.model._meta.get_field(name).verbose_name  # type: ignore[union-attr]
        except Exception:
            labels[name] = name
    ctx = {
        "merge": merge,
        "survivor": spec.model._default_manager.filter(pk=merge.survivor_id).first(),
        "fields": [
            {"label": labels[name], "survivor": v[0], "merged": v[1], "chosen": v[2]}
            for name, v in merge.history.items()
        ],
        "refusal": services.undo_refusal(merge),
        "undo_days": services.undo_days(),
    }
    return render(request, "duplicates/merge_detail.html", ctx)


@require_POST
def merge_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    merge = _merge_for_user(user, pk)
    try:
        services.merge_undo(user=user, merge=merge)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("merge_detail", pk=merge.pk)
    messages.success(
        request, _("The merge was undone: %(record)s is back.") % {"record": merge.merged_label}
    )
    back: Any = spec_of(merge.kind).model._default_manager.get(pk=merge.merged_id)
    return redirect(back.get_absolute_url())


def _typed_phones(data: Any, region: str) -> dict[str, Any]:
    """The typed phones read as the form reads them; a number not yet complete is left out."""
    phones: dict[str, Any] = {}
    for name in PHONE_FIELDS:
        try:
            phones.update(read_phones({name: data.get(name, "")}, [name], region))
        except ValidationError:
            phones[name] = ""
    return phones


def typed_account_profile(data: Any) -> matching.Profile:
    """The profile of an account being typed (the form's field names)."""
    region = (data.get("country") or settings.DEFAULT_COUNTRY).upper()
    return spec_of(Kind.ACCOUNT).to_profile(
        {
            "id": None,
            "name": data.get("name", ""),
            "email": data.get("email", ""),
            **_typed_phones(data, region),
            "tax_id": data.get("tax_id", ""),
            "country": region,
        }
    )


@require_GET
def account_warning_view(request: HttpRequest) -> HttpResponse:
    """Likely existing accounts while a new one is typed (htmx, debounced by the form)."""
    user = current_user(request)
    target = typed_account_profile(request.GET)
    found = keys.find_matches(Kind.ACCOUNT, target, limit=5)
    visible = scope_to_user(user, Account.objects.all())
    records = visible.select_related("salesperson").in_bulk([pk for pk, _m in found])
    matches = [
        {"account": records[pk], "reasons": [str(r) for r in m.reasons], "score": m.score}
        for pk, m in found
        if pk in records
    ]
    return render(request, "duplicates/account_warning.html", {"matches": matches})


@require_GET
def contact_warning_view(request: HttpRequest) -> HttpResponse:
    """Likely existing contacts while a new one is typed: same e-mail or mobile anywhere,
    a similar name in the same account."""
    user = current_user(request)
    data = request.GET
    code = str(data.get("account", "")).strip().split(" ")[0].upper()
    account = Account.objects.filter(code=code).only("pk", "country").first() if code else None
    region = str(account.country) if account else settings.DEFAULT_COUNTRY
    try:
        mobile = read_phones({"mobile": data.get("mobile", "")}, ["mobile"], region)["mobile"]
    except ValidationError:
        mobile = ""
    target = spec_of(Kind.CONTACT).to_profile(
        {
            "id": None,
            "first_name": data.get("first_name", ""),
            "last_name": data.get("last_name", ""),
            "email": data.get("email", ""),
            "mobile": mobile,
            "account_id": account.pk if account else None,
        }
    )
    found = keys.find_matches(Kind.CONTACT, target, limit=5)
    visible = scope_to_user(user, Contact.objects.all()).select_related("account")
    records = visible.in_bulk([pk for pk, _m in found])
    matches = [
        {"contact": records[pk], "reasons": [str(r) for r in m.reasons]}
        for pk, m in found
        if pk in records
    ]
    return render(request, "duplicates/contact_warning.html", {"matches": matches})
