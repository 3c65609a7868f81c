"""Running an import: the file's rows through an importer, batch by batch.

A preview (`commit=False`) checks every row and writes nothing. A commit checks and writes
in ONE transaction: every row or none. When a row is refused the commit stops writing,
keeps checking (so the report lists every refusal), and rolls back; a worker killed
half-way leaves nothing either, since its transaction never commits."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from . import bulk
from .account_rows import AccountImporter
from .contact_rows import ContactImporter
from .history import import_source
from .mapping import alias_table, auto_mapping, find_header
from .models import ImportRun
from .progress import Progress
from .readers import Sheet, read_sheet
from .rows import CREATE, REFUSED, UNCHANGED, UPDATE, Refusal, Row
from .values import clean_text

# Refusals kept on the run (all are counted; the refused-rows file lists every one).
REFUSALS_KEPT = 5000


class _RollBack(Exception):
    """A commit that refused rows: undo what it wrote."""


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    refusals: list[Refusal] = field(default_factory=list)
    # New accounts of a check that look like existing ones (clientela.duplicates).
    possible_duplicates: list[dict[str, Any]] = field(default_factory=list)

    def line(self) -> str:
        """The summary other programs read (SPEC §11)."""
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, refused {self.refused}"
        )


def importer_for(kind: str, *, user: Any, mode: str) -> AccountImporter | ContactImporter:
    if kind == ImportRun.Kind.ACCOUNTS:
        return AccountImporter(user=user, mode=mode)
    return ContactImporter(user=user, mode=mode)


def model_for(kind: str) -> Any:
    return AccountImporter.model if kind == ImportRun.Kind.ACCOUNTS else ContactImporter.model


@dataclass
class Layout:
    """Where the data is in a sheet: the header row and what each column feeds."""

    header_index: int
    header_line: int
    headers: list[str]
    mapping: dict[str, str]


def layout(sheet: Sheet, kind: str) -> Layout:
    """Find the header row and map its columns; a file without one is refused."""
    if not sheet.rows:
        raise ValidationError(_("The file is empty."), code="empty")
    table = alias_table(kind, model_for(kind))
    index = find_header(sheet.rows, table)
    if index is None:
        raise ValidationError(
            _(
                "No header row was recognized: the first rows must name the columns "
                "(for example Nombre, RUC, Correo, Teléfono)."
            ),
            code="no_header",
        )
    line, headers = sheet.rows[index]
    headers = [clean_text(h) for h in headers]
    rows = len(sheet.rows) - index - 1
    if rows > settings.IMPORT_MAX_ROWS:
        raise ValidationError(
            _("The file has more than %(max)s rows; split it into several files."),
            code="too_many_rows",
            params={"max": f"{settings.IMPORT_MAX_ROWS:,}"},
        )
    return Layout(index, line, headers, auto_mapping(headers, table))


def data_rows(
    sheet: Sheet, header_index: int, headers: list[str], mapping: dict[int, str]
) -> Iterator[Row]:
    columns = {
        name: headers[index] if index < len(headers) else "" for index, name in mapping.items()
    }
    for line, cells in sheet.rows[header_index + 1 :]:
        values = {
            name: clean_text(cells[index]) if index < len(cells) else ""
            for index, name in mapping.items()
        }
        yield Row(line=line, values=values, columns=columns)


def read_run(run: ImportRun) -> tuple[Sheet, int]:
    with run.file.open("rb") as source:
        sheet = read_sheet(source, run.file_name)
    index = next(
        (i for i, (line, _cells) in enumerate(sheet.rows) if line == run.header_line), None
    )
    if index is None:
        raise ValidationError(_("The file changed since it was uploaded."), code="changed")
    return sheet, index


def execute(run: ImportRun, *, commit: bool, user: Any) -> Summary:
    """Check (and with `commit`, write) every row of `run`'s file. Counters are published
    as it goes; the run's final state is the caller's to save."""
    with translation.override(run.language or settings.LANGUAGE_CODE):
        sheet, index = read_run(run)
        # Rows are made as their batch comes: the sheet's cells are in memory once.
        rows = data_rows(sheet, index, run.headers, run.mapped_fields())
        run.total_rows = len(sheet.rows) - index - 1
        importer = importer_for(run.kind, user=user, mode=run.mode)
        with Progress(run) as progress:
            progress.publish(force=True, rows_checked=0, rows_written=0, total_rows=run.total_rows)
            if not commit:
                return _pass(importer, rows, progress, write=False, source="")
            summary = Summary()
            try:
                with transaction.atomic():
                    summary = _pass(
                        importer, rows, progress, write=True, source=import_source(run.pk)
                    )
                    if summary.refused:
                        raise _RollBack
            except _RollBack:
                progress.publish(force=True, rows_written=0)
            return summary


# A check looks for existing look-alikes of its first new accounts only, and lists a few.
DUPLICATE_CHECK_ROWS = 5000
DUPLICATES_LISTED = 200


def _look_for_duplicates(summary: Summary, outcome: Any) -> None:
    """A new account of the file that looks like an existing one (no tax id match: that
    row would be an update) is listed in the preview with the reasons."""
    if (
        summary.created > DUPLICATE_CHECK_ROWS
        or len(summary.possible_duplicates) >= DUPLICATES_LISTED
    ):
        return
    from clientela.duplicates.keys import find_matches
    from clientela.duplicates.kinds import profile_of

    found = find_matches("account", profile_of(outcome.record), limit=3)
    if not found:
        return
    accounts = model_for(ImportRun.Kind.ACCOUNTS).objects.in_bulk([pk for pk, _m in found])
    summary.possible_duplicates.append(
        {
            "line": outcome.line,
            "name": outcome.record.name,
            "matches": [
                {
                    "code": accounts[pk].code,
                    "name": accounts[pk].name,
                    "reasons": [str(r) for r in match.reasons],
                }
                for pk, match in found
                if pk in accounts
            ],
        }
    )


def _pass(
    importer: AccountImporter | ContactImporter,
    rows: Iterator[Row],
    progress: Progress,
    *,
    write: bool,
    source: str,
) -> Summary:
    summary = Summary()
    checked = written = 0
    for batch in bulk.batches(rows, settings.IMPORT_BATCH_SIZE):
        outcomes = importer.check(batch, lock=write)
        for outcome in outcomes:
            if outcome.action == CREATE:
                summary.created += 1
                if not write and isinstance(importer, AccountImporter):
                    _look_for_duplicates(summary, outcome)
            elif outcome.action == UPDATE:
                summary.updated += 1
            elif outcome.action == UNCHANGED:
                summary.unchanged += 1
            elif outcome.action == REFUSED:
                summary.refused += 1
                summary.refusals.extend(outcome.refusals)
        checked += len(batch)
        # Once a row is refused nothing more is written (it would be rolled back): the
        # rest is only checked, so the report lists every refusal.
        if write and not summary.refused:
            importer.write(outcomes, source=source)
            written += sum(o.action in (CREATE, UPDATE) for o in outcomes)
        progress.publish(rows_checked=checked, rows_written=written)
    progress.publish(force=True, rows_checked=checked, rows_written=written)
    return summary
