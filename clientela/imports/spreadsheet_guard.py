"""Checks a spreadsheet before a reader loads it, so a crafted file cannot take the
server's memory (issue 13): readers build a dense grid from the cells' references, so a
20 KB XLSX with one cell at ZZ200000, or an ODS repeating one cell a million times, would
ask for gigabytes.

Every member of the zip is decompressed as a stream and the bytes counted as they come
(the sizes the zip declares can lie); the worksheets' cell references, the sheet's
declared dimension and ODS repeat counts are read on the way and bounded by the import
limits (settings.IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS, IMPORT_MAX_UNCOMPRESSED_BYTES).
"""

import re
import zipfile
from typing import IO
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CHUNK = 1 << 20
# A cell with content (not self-closed): <c r="AB12" ...> — styled empty cells are "<c .../>".
_XLSX_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(?<!/)>')
_XLSX_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]+[0-9]+:)?([A-Z]{1,3})([0-9]{1,7})"')
_OVERLAP = 64


def column_number(letters: bytes | str) -> int:
    """'A' -> 1, 'AB' -> 28."""
    number = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        number = number * 26 + (ord(ch) - 64)
    return number


class _Budget:
    """Bytes decompressed so far, across the whole file."""

    def __init__(self) -> None:
        self.limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
        self.used = 0

    def spend(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            raise ValidationError(
                _("The file expands to more than %(size)s MB once uncompressed."),
                code="zip_bomb",
                params={"size": self.limit // (1024 * 1024)},
            )


def _too_large(rows: int, columns: int) -> None:
    max_rows = settings.IMPORT_MAX_ROWS + 1000  # title and header rows above the data
    if rows > max_rows:
        raise ValidationError(
            _("The sheet reaches row %(rows)s; the most an import takes is %(max)s rows."),
            code="too_many_rows",
            params={"rows": f"{rows:,}", "max": f"{settings.IMPORT_MAX_ROWS:,}"},
        )
    if columns > settings.IMPORT_MAX_COLUMNS:
        raise ValidationError(
            _("The sheet reaches column %(columns)s; the most an import takes is %(max)s."),
            code="too_many_columns",
            params={"columns": columns, "max": settings.IMPORT_MAX_COLUMNS},
        )


def _scan_xlsx_sheet(archive: zipfile.ZipFile, name: str, budget: _Budget) -> None:
    max_row = max_col = 0
    tail = b""
    first = True
    with archive.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            budget.spend(len(chunk))
            data = tail + chunk
            if first:
                first = False
                declared = _XLSX_DIMENSION.search(data[:4096])
                if declared:
                    _too_large(int(declared.group(2)), column_number(declared.group(1)))
            # Only complete tags: keep the end of the chunk for the next round.
            cut = data.rfind(b"<")
            scan, tail = (data[:cut], data[cut:]) if cut > len(data) - _OVERLAP else (data, b"")
            refs = _XLSX_CELL.findall(scan)
            if refs:
                max_row = max(max_row, max(int(row) for _col, row in refs))
                max_col = max(max_col, max(column_number(col) for col in {c for c, _r in refs}))
                _too_large(max_row, max_col)
    # Cells without a reference are placed one after another: bounded by their count,
    # which the byte budget bounds in turn.


def _scan_other(archive: zipfile.ZipFile, name: str, budget: _Budget) -> None:
    with archive.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            budget.spend(len(chunk))


def _scan_ods_content(archive: zipfile.ZipFile, name: str, budget: _Budget) -> None:
    """Rows and columns as the reader will expand them: repeats count only where the
    repeated cell or row holds something (LibreOffice repeats empty ones to the sheet's
    end, which readers skip)."""
    state = {"rows": 0, "row_repeat": 1, "col": 0, "row_width": 0, "width": 0, "in_cell": 0}
    cell_stack: list[tuple[int, bool]] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = tag.rsplit(" ", 1)[-1]
        if local == "table-row":
            state["row_repeat"] = int(attrs.get(_ODS_NS + " number-rows-repeated", "1") or 1)
            state["col"] = 0
            state["row_width"] = 0
        elif local in ("table-cell", "covered-table-cell"):
            repeat = int(attrs.get(_ODS_NS + " number-columns-repeated", "1") or 1)
            has_value = any(key.endswith("value-type") for key in attrs)
            cell_stack.append((repeat, has_value))
            state["col"] += repeat
            if has_value:
                state["row_width"] = state["col"]
        elif local == "p" and cell_stack:
            # Text content without a value type still counts as content.
            repeat, _has = cell_stack[-1]
            state["row_width"] = max(state["row_width"], state["col"])

    def end(tag: str) -> None:
        local = tag.rsplit(" ", 1)[-1]
        if local in ("table-cell", "covered-table-cell") and cell_stack:
            cell_stack.pop()
        elif local == "table-row":
            if state["row_width"]:
                state["rows"] += state["row_repeat"]
                state["width"] = max(state["width"], state["row_width"])
                _too_large(state["rows"], state["width"])
        elif local == "table":
            state["rows"] = 0

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        with archive.open(name) as stream:
            while chunk := stream.read(_CHUNK):
                budget.spend(len(chunk))
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError:
        raise ValidationError(
            _("The file is damaged: its content could not be read."), code="corrupt"
        ) from None


_ODS_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def check_zip_spreadsheet(source: IO[bytes], file_format: str) -> None:
    """Refuse (ValidationError) an XLSX or ODS whose content would not fit the limits."""
    budget = _Budget()
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        raise ValidationError(
            _("The file is damaged: it is not a valid spreadsheet."), code="corrupt"
        ) from None
    try:
        for info in archive.infolist():
            if info.is_dir():
                continue
            if file_format == "xlsx" and re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename):
                _scan_xlsx_sheet(archive, info.filename, budget)
            elif file_format == "ods" and info.filename == "content.xml":
                _scan_ods_content(archive, info.filename, budget)
            else:
                _scan_other(archive, info.filename, budget)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression.
        raise ValidationError(
            _("The file is damaged: it is not a valid spreadsheet."), code="corrupt"
        ) from None
    finally:
        archive.close()
    source.seek(0)
