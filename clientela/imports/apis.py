"""/api/v1/imports and /api/v1/accounts/export (SPEC §11): the same services and
selectors as the pages."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from clientela.accounts.apis import AccountOrdering
from clientela.accounts.models import Account
from clientela.accounts.selectors import AccountFilters
from clientela.api.auth import api_user
from clientela.api.schemas import ERRORS, StorableText, choice_field

from . import services
from .models import ImportRun
from .progress import live_counters
from .selectors import account_export, import_get_for_user

router = Router(tags=["imports"])


class RefusalOut(Schema):
    line: int = Field(
        ..., examples=[7], description="Line of the file (as the spreadsheet numbers it)"
    )
    column: str = Field(..., examples=["RUC"], description="The file's header of the column")
    field: str = Field(..., examples=["tax_id"])
    message: str = Field(..., examples=["Introduzca un RUC o una cédula de Panamá válidos."])


class ImportOut(Schema):
    id: int
    kind: ImportRun.Kind = choice_field(ImportRun.Kind)
    mode: ImportRun.Mode = choice_field(ImportRun.Mode)
    status: ImportRun.Status = choice_field(ImportRun.Status)
    dry_run: bool = Field(..., description="True: only checked; False: written (all or nothing)")
    file_name: str
    headers: list[str]
    mapping: dict[str, str] = Field(..., description="Column index → field ('' = ignored)")
    total_rows: int
    rows_checked: int
    rows_written: int
    created: int
    updated: int
    unchanged: int
    refused: int
    refusals: list[RefusalOut]
    error: str
    created_by: str = Field(..., alias="created_by.username")
    created_at: datetime
    finished_at: datetime | None
    status_url: str = Field(
        ..., description="Poll it until `status` is checked, done, refused or failed"
    )
    url: str = Field(..., description="The import's page")

    @staticmethod
    def resolve_status_url(obj: ImportRun) -> str:
        return reverse("api:get_import", args=[obj.pk])

    @staticmethod
    def resolve_url(obj: ImportRun) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_rows_checked(obj: ImportRun) -> int:
        return int(live_counters(obj)["rows_checked"])

    @staticmethod
    def resolve_rows_written(obj: ImportRun) -> int:
        return int(live_counters(obj)["rows_written"])


class ImportFields(StorableText):
    kind: ImportRun.Kind = choice_field(ImportRun.Kind)
    mode: ImportRun.Mode = choice_field(ImportRun.Mode, ImportRun.Mode.UPSERT)
    dry_run: bool = Field(
        True,
        description="true: check every row and write nothing (the preview); false: import "
        "(every row or none: nothing is written when a row is refused)",
    )


@router.post(
    "/imports",
    response={202: ImportOut, **ERRORS},
    summary="Import accounts or contacts from a file",
    description=(
        "multipart/form-data: `file` (CSV, XLSX or ODS), `kind` (accounts or contacts), "
        "`mode` and `dry_run`. The file is read and its columns mapped at once (422 "
        "beside `file` when it cannot be: empty, damaged, no header row, too large); "
        "the rows are then checked, or imported, in the background. Poll `status_url`."
    ),
)
def create_import(
    request: HttpRequest, payload: Form[ImportFields], file: File[UploadedFile]
) -> Any:
    run = services.import_upload(
        user=api_user(request),
        kind=payload.kind.value,
        upload=file,
        mode=payload.mode.value,
        dry_run=payload.dry_run,
    )
    run.refresh_from_db()
    return Status(202, run)


@router.get(
    "/imports/{id}",
    response={200: ImportOut, **ERRORS},
    summary="Read an import and its progress",
    url_name="get_import",
)
def get_import(request: HttpRequest, id: int) -> Any:
    return import_get_for_user(api_user(request), id)


@router.post(
    "/imports/{id}/commit",
    response={202: ImportOut, **ERRORS},
    summary="Import a checked file",
    description="Only for a checked import with no refused row; 422 otherwise.",
)
def commit_import(request: HttpRequest, id: int) -> Any:
    user = api_user(request)
    run = services.import_commit(user=user, run=import_get_for_user(user, id))
    run.refresh_from_db()
    return Status(202, run)


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class AccountExportQuery(StorableText):
    format: ExportFormat = Field(ExportFormat.CSV, description="csv (UTF-8 with BOM) or xlsx")
    q: str = Field("", max_length=200, description="Search name, code, tax id, e-mail, phone")
    status: Account.Status | None = Field(None, description="Default: all but inactive")
    all_statuses: bool = Field(False, description="Include inactive accounts")
    customer_type: str | None = Field(None, max_length=20)
    salesperson: str | None = Field(None, max_length=150)
    country: str | None = Field(None, max_length=2)
    priority: Account.Priority | None = None
    payment_terms: Account.PaymentTerms | None = None
    is_supplier: bool | None = None
    ordering: AccountOrdering | None = Field(None, description="A column, `-` for descending")


_EXPORT_CONTENT = {
    "text/csv": {"schema": {"type": "string", "format": "binary"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}
    },
}


@router.get(
    "/accounts/export",
    response={200: None, **ERRORS},
    summary="Export accounts as CSV or XLSX",
    description=(
        "Every account of the list with these filters (the list's own names), streamed. "
        "The columns are the ones the importer reads. Needs the export permission (403)."
    ),
    openapi_extra={"responses": {200: {"description": "The file", "content": _EXPORT_CONTENT}}},
)
def export_accounts(request: HttpRequest, filters: Query[AccountExportQuery]) -> Any:
    from .views import export_response

    source = account_export(
        api_user(request),
        AccountFilters(
            q=filters.q,
            status="all" if filters.all_statuses else (filters.status or ""),
            customer_type=filters.customer_type or "",
            salesperson=filters.salesperson or "",
            country=(filters.country or "").upper(),
            priority=filters.priority or "",
            payment_terms=filters.payment_terms or "",
            is_supplier=filters.is_supplier,
            sort=filters.ordering.value if filters.ordering else "name",
        ),
    )
    return export_response(source, filters.format.value)
