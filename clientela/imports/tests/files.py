"""Files made the way real programs write them: Excel's CSV (Windows-1252 with `;`),
UTF-8 with a BOM, XLSX from openpyxl and from xlsxwriter (numbers typed as numbers,
dates as dates), ODS from odfpy."""

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

ACCOUNT_HEADER = [
    "Razón social",
    "RUC",
    "DV",
    "Correo electrónico",
    "Teléfono",
    "Tipo de cliente",
    "Persona de contacto",
]


def account_row(n: int, **overrides: Any) -> list[Any]:
    """A valid Panamanian company (its RUC's DV is computed)."""
    values = {
        "name": f"Distribuidora Número {n}, S.A.",
        "tax_id": f"{1555000 + n}-1-2019",
        "dv": "",
        "email": f"ventas{n}@empresa.com.pa",
        "phone": f"6{n % 1000:03d}-{n % 10000:04d}",
        "customer_type": "Corporativo",
        "contact": "José Núñez",
    }
    values.update(overrides)
    return list(values.values())


def csv_bytes(
    rows: Sequence[Sequence[Any]],
    *,
    delimiter: str = ";",
    encoding: str = "cp1252",
    bom: bool = False,
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def openpyxl_bytes(rows: Sequence[Sequence[Any]], *, title: str | None = None) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.append([])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsxwriter_bytes(
    rows: Sequence[Sequence[Any]], *, formulas: dict[tuple[int, int], tuple[str, Any]] | None = None
) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Clientes")
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime | date):
                moment = (
                    value
                    if isinstance(value, datetime)
                    else datetime(value.year, value.month, value.day)
                )
                sheet.write_datetime(r, c, moment, day)
            elif value is not None:
                sheet.write(r, c, value)
    for (r, c), (formula, cached) in (formulas or {}).items():
        sheet.write_formula(r, c, formula, None, cached)
    workbook.close()
    return buffer.getvalue()


def ods_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Hoja1")
    for row in rows:
        table_row = TableRow()
        for value in row:
            if isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
