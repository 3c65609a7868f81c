"""Writing a list to CSV or XLSX, streamed (SPEC §9).

- CSV: UTF-8 with a BOM (Excel then reads accents right), `;` between cells where the
  region writes decimals with a comma (Excel in those regions expects it) and `,`
  elsewhere; numbers with the region's decimal mark; dates in ISO form, which Excel
  reads in every language. Rows are sent as they are read: memory stays flat whatever
  the number of rows.
- XLSX: typed cells (numbers, dates, booleans; tax ids and phones as text), written by
  xlsxwriter in constant-memory mode to a temporary file that is then streamed.
- Formula injection (OWASP CSV injection): a text cell that begins with `=`, `+`, `-`,
  `@`, tab or carriage return is written with a leading apostrophe in CSV, and as a
  quote-prefixed text cell in XLSX, so no spreadsheet evaluates it. The importer
  removes that apostrophe again.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from clientela.core.formats.regions import REGIONS

from .export_columns import BOOLEAN, DATE, DATETIME, INTEGER, MONEY, NUMBER, Column

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet, less the header row
_FLUSH_ROWS = 500


def neutralize(text: str) -> str:
    """OWASP's advice for CSV: an apostrophe before a cell a spreadsheet would evaluate."""
    return f"'{text}" if text.startswith(DANGEROUS) else text


def _region() -> Any:
    return REGIONS.get(settings.CLIENTELA_REGION, REGIONS["PA"])


def csv_delimiter() -> str:
    return ";" if _region().decimal_separator == "," else ","


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _csv_cell(column: Column, value: Any) -> str:
    if value is None or value == "":
        return ""
    if column.kind == BOOLEAN:
        return _("Yes") if value else _("No")
    if column.kind in (MONEY, NUMBER):
        text = f"{Decimal(value):.2f}" if column.kind == MONEY else str(value)
        return text.replace(".", _region().decimal_separator)
    if column.kind == INTEGER:
        return str(int(value))
    if column.kind == DATETIME and isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if column.kind == DATE and isinstance(value, date):
        return value.isoformat()
    return neutralize(str(value))


def _labels(columns: list[Column]) -> list[dict[str, str] | None]:
    """Each choice column's labels in the active language, looked up once per export."""
    return [
        {member.value: str(member.label) for member in c.choices} if c.choices else None
        for c in columns
    ]


def _values(columns: list[Column], labels: list[dict[str, str] | None], record: Any) -> list[Any]:
    values = []
    for column, label in zip(columns, labels, strict=True):
        value = column.value(record)
        values.append(label.get(value, value) if label is not None else value)
    return values


def csv_stream(columns: list[Column], records: Iterable[Any]) -> Iterator[bytes]:
    labels = _labels(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=csv_delimiter(), lineterminator="\r\n")
    writer.writerow([neutralize(capfirst(str(c.header))) for c in columns])
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for count, record in enumerate(records, start=1):
        values = _values(columns, labels, record)
        writer.writerow([_csv_cell(c, v) for c, v in zip(columns, values, strict=True)])
        if count % _FLUSH_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def write_xlsx(columns: list[Column], records: Iterable[Any], sheet_name: str) -> IO[bytes]:
    """The workbook in a temporary file (deleted when closed), positioned at its start."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "remove_timezone": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})
    money = workbook.add_format({"num_format": "#,##0.00"})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    moment = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet = workbook.add_worksheet(sheet_name[:31])
    for index, column in enumerate(columns):
        sheet.write_string(0, index, capfirst(str(column.header)), bold)
    labels = _labels(columns)
    for row, record in enumerate(records, start=1):
        if row > XLSX_MAX_ROWS:
            break
        for index, (column, value) in enumerate(
            zip(columns, _values(columns, labels, record), strict=True)
        ):
            if value is None or value == "":
                continue
            if column.kind == BOOLEAN:
                sheet.write_boolean(row, index, bool(value))
            elif column.kind == MONEY:
                sheet.write_number(row, index, float(value), money)
            elif column.kind in (NUMBER, INTEGER):
                sheet.write_number(row, index, float(value))
            elif column.kind == DATETIME and isinstance(value, datetime):
                sheet.write_datetime(row, index, _local(value).replace(tzinfo=None), moment)
            elif column.kind == DATE and isinstance(value, date):
                sheet.write_datetime(row, index, datetime(value.year, value.month, value.day), day)
            else:
                text = str(value)
                # A text cell is never a formula; the prefix keeps Excel from turning it
                # into one if the user edits the cell.
                sheet.write_string(row, index, text, quoted if text.startswith(DANGEROUS) else None)
    sheet.freeze_panes(1, 0)
    workbook.close()
    target.seek(0)
    return target
