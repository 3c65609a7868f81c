"""Import and export pages: Cuentas > Importar and Contactos > Importar (upload, mapping,
preview, commit with a progress bar that survives a reload), the administrators' list of
imports, and each list's export (SPEC §11)."""

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clientela.core.access import require
from clientela.core.forms import add_service_errors
from clientela.core.htmx import wants_fragment
from clientela.users.auth import current_user

from . import refused, services
from .exports import csv_stream, write_xlsx
from .mapping import field_specs
from .models import ImportRun
from .progress import live_counters
from .runner import model_for
from .selectors import export_source, import_get_for_user, import_list

# A run whose worker has not published for this long was stopped (killed, restarted).
STALE_AFTER = timedelta(minutes=2)
DETAIL = "imports/import_detail.html"
RUNS_SHOWN_REFUSALS = 200


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV, XLSX or ODS; the first rows must name the columns."),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("mode"),
        choices=ImportRun.Mode.choices,
        initial=ImportRun.Mode.UPSERT,
        widget=forms.RadioSelect,
    )


@require_http_methods(["GET", "POST"])
def import_upload_view(request: HttpRequest, kind: str) -> HttpResponse:
    user = current_user(request)
    require(user, "add", model_for(kind))
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                run = services.import_upload(
                    user=user,
                    kind=kind,
                    upload=form.cleaned_data["file"],
                    mode=form.cleaned_data["mode"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(run)
        status = 422
    ctx = {
        "form": form,
        "kind": kind,
        "not_saved": _("The file was not uploaded."),
        "title": _("Import accounts") if kind == "accounts" else _("Import contacts"),
        "fields": field_specs(kind),
        "field_labels": field_labels(kind),
    }
    return render(request, "imports/import_upload.html", ctx, status=status)


def field_labels(kind: str) -> dict[str, str]:
    model = model_for(kind)
    labels: dict[str, str] = {}
    for spec in field_specs(kind):
        try:
            labels[spec.name] = capfirst(str(model._meta.get_field(spec.name).verbose_name))
        except Exception:
            labels[spec.name] = {
                "full_name": _("Full name"),
                "account_tax_id": _("Account tax id"),
                "account_country": _("Account country"),
            }.get(spec.name, spec.name)
    return labels


def _stale(run: ImportRun, counters: dict[str, Any]) -> bool:
    beat = counters.get("heartbeat_at")
    if isinstance(beat, str):
        beat = parse_datetime(beat)
    if run.status not in (ImportRun.Status.CHECKING, ImportRun.Status.WRITING):
        return False
    if not isinstance(beat, datetime):
        return False
    return timezone.now() - beat > STALE_AFTER


def _time_left(run: ImportRun, counters: dict[str, Any]) -> int | None:
    """Seconds left at the pace so far."""
    done = (
        counters["rows_checked"]
        if run.dry_run
        else counters["rows_written"] or counters["rows_checked"]
    )
    total = counters["total_rows"]
    if not run.started_at or not done or not total or done >= total:
        return None
    elapsed = (timezone.now() - run.started_at).total_seconds()
    return max(int(elapsed / done * (total - done)), 1)


def _run_context(user: Any, run: ImportRun) -> dict[str, Any]:
    counters = live_counters(run)
    total = counters["total_rows"] or 0
    labels = field_labels(run.kind)
    columns = [
        {"index": str(i), "header": header, "field": run.mapping.get(str(i), "")}
        for i, header in enumerate(run.headers)
    ]
    return {
        "run": run,
        "counters": counters,
        "percent_checked": int(100 * counters["rows_checked"] / total) if total else 0,
        "percent_written": int(100 * counters["rows_written"] / total) if total else 0,
        "time_left": _time_left(run, counters),
        "stale": _stale(run, counters),
        "columns": columns,
        "field_labels": labels,
        "choices": [(spec.name, labels[spec.name]) for spec in field_specs(run.kind)],
        "missing": [labels[name] for name in services.missing_required(run)],
        "refusals": run.refusals[:RUNS_SHOWN_REFUSALS],
        "more_refusals": max(run.refused - RUNS_SHOWN_REFUSALS, 0),
        "can_edit": run.created_by_id == user.pk,
        "modes": ImportRun.Mode.choices,
    }


@require_GET
def import_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    run = import_get_for_user(user, pk)
    template = f"{DETAIL}#run" if wants_fragment(request) else DETAIL
    return render(request, template, _run_context(user, run))


@require_GET
def import_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's state alone, polled by the page while it runs; once it has finished,
    the whole page is loaded again (the mapping and the commit button come back)."""
    user = current_user(request)
    run = import_get_for_user(user, pk)
    response = render(request, f"{DETAIL}#run", _run_context(user, run))
    if not run.is_running:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def import_mapping_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    run = import_get_for_user(user, pk)
    mapping = {str(i): request.POST.get(f"column_{i}", "") for i in range(len(run.headers))}
    try:
        services.import_remap(
            user=user, run=run, mapping=mapping, mode=request.POST.get("mode", run.mode)
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(run)


@require_POST
def import_commit_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    run = import_get_for_user(user, pk)
    try:
        services.import_commit(user=user, run=run)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(run)


@require_GET
def import_refused_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The refused rows as the file had them, plus an Error column: fix them in Excel and
    import the file again."""
    run = import_get_for_user(current_user(request), pk)
    stem = run.file_name.rsplit(".", 1)[0] or "import"
    name = f"{stem}-{_('refused')}.{'xlsx' if fmt == 'xlsx' else 'csv'}"
    columns, rows = refused.refused_rows(run)
    if fmt == "xlsx":
        response: HttpResponseBase = FileResponse(
            write_xlsx(columns, rows, _("Refused")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(
            csv_stream(columns, rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response


@require_GET
def import_list_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    page = Paginator(import_list(user), 50).get_page(request.GET.get("page"))
    return render(request, "imports/import_list.html", {"page": page})


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def export_view(request: HttpRequest, kind: str) -> HttpResponseBase:
    """The list as its page filters, searches and sorts it (every page), as CSV or XLSX."""
    source = export_source(kind, current_user(request), request.GET)
    return export_response(source, request.GET.get("format", "csv"))


def export_response(source: Any, fmt: str) -> HttpResponseBase:
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        response: HttpResponseBase = FileResponse(
            write_xlsx(source.columns, source.rows(), source.name), content_type=XLSX_TYPE
        )
        filename = f"{source.name}-{stamp}.xlsx"
    else:
        response = StreamingHttpResponse(
            csv_stream(source.columns, source.rows()), content_type="text/csv; charset=utf-8"
        )
        filename = f"{source.name}-{stamp}.csv"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
