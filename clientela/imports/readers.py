"""Reading an uploaded file into rows of text (issue 13): CSV as Excel in Latin America
writes it, XLSX and ODS through python-calamine.

- The format is read from the content, not the name: a PDF renamed .xlsx, or an XLSX
  renamed .csv, gets a clear error instead of garbage.
- CSV: the encoding is UTF-8 (with or without BOM) when the bytes are valid UTF-8,
  UTF-16 when a BOM says so, else what charset-normalizer finds among the encodings
  spreadsheets write here (Windows-1252, Latin-1, Mac Roman, DOS 850): never mojibake.
  The delimiter (`;`, `,`, tab, `|`) is sniffed; quoted line breaks stay in their cell.
- XLSX/ODS: cells are read with their types; a number typed in a text column (a RUC,
  a phone) comes back as its digits ("155596713", never "155596713.0" or "1.55E+8"),
  dates as ISO dates, formulas as the value Excel saved (never evaluated). Old binary
  XLS and password-protected workbooks are refused with what to do instead.
"""

import codecs
import csv
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

import python_calamine
from charset_normalizer import from_bytes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .spreadsheet_guard import check_zip_spreadsheet

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SPREADSHEET_NAMES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods", ".xls": "xls"}
# Where spreadsheets made in Latin America come from when they are not UTF-8.
_LEGACY_ENCODINGS = ["cp1252", "latin_1", "mac_roman", "cp850"]
_DELIMITERS = ";,\t|"


@dataclass
class Sheet:
    """Every non-empty row of a file as text cells, with its line number (1-based, as the
    user's spreadsheet numbers it)."""

    rows: list[tuple[int, list[str]]]
    file_format: str
    encoding: str = ""
    delimiter: str = ""


def _refuse(message: str, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def sniff_format(head: bytes, name: str) -> str:
    """'csv', 'xlsx' or 'ods' from the first bytes; refuses what we cannot read."""
    suffix = Path(name or "").suffix.lower()
    if head.startswith(_OLE):
        if suffix == ".xls":
            raise _refuse(
                _(
                    "Old Excel files (.xls) are not accepted: open it in Excel and save it "
                    "as .xlsx."
                ),
                "xls",
            )
        raise _refuse(
            _(
                "The file is password-protected or is not an XLSX workbook: remove the "
                "password in Excel (File > Info > Protect workbook) and save it again."
            ),
            "encrypted",
        )
    if head.startswith(_ZIP):
        return "zip"
    if suffix in _SPREADSHEET_NAMES:
        raise _refuse(
            _("The file is named %(name)s but it is not a spreadsheet: check the file."),
            "wrong_type",
            name=Path(name).name,
        )
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _refuse(_("The file is not a CSV or spreadsheet file."), "wrong_type")
    return "csv"


def _zip_kind(source: IO[bytes], name: str) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except zipfile.BadZipFile:
        raise _refuse(_("The file is damaged: it is not a valid spreadsheet."), "corrupt") from None
    finally:
        source.seek(0)
    if "xl/workbook.xml" in names:
        return "xlsx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    raise _refuse(
        _("The file is named %(name)s but it is not a spreadsheet: check the file.")
        if Path(name or "").suffix
        else _("The file is not a CSV or spreadsheet file."),
        "wrong_type",
        name=Path(name or "").name,
    )


def read_sheet(source: IO[bytes], name: str) -> Sheet:
    """The rows of the uploaded file `source` (seekable), its first sheet for workbooks."""
    head = source.read(8)
    source.seek(0)
    if not head:
        raise _refuse(_("The file is empty."), "empty")
    kind = sniff_format(head, name)
    if kind == "zip":
        kind = _zip_kind(source, name)
        return _read_workbook(source, kind)
    return _read_csv(source.read())


# ── CSV ───────────────────────────────────────────────────────────────────────────────────


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a CSV's bytes."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _refuse(_("The file's text could not be read."), "encoding") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[: 1 << 20]
    # charset-normalizer keeps the encodings that read the bytes as plausible text; on a
    # short Spanish file it may still rank DOS 850 first ("PÚrez" for "Pérez"), so the
    # candidates are ranked again by how Spanish their accented letters look.
    candidates = [match.encoding for match in from_bytes(sample, cp_isolation=_LEGACY_ENCODINGS)]
    candidates = [
        c for c in dict.fromkeys([*candidates, *_LEGACY_ENCODINGS]) if _decodes(sample, c)
    ]
    encoding = max(candidates, key=lambda c: (_spanish_score(sample.decode(c)), -_rank(c)))
    return data.decode(encoding, errors="replace"), encoding


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _rank(encoding: str) -> int:
    return _LEGACY_ENCODINGS.index(encoding) if encoding in _LEGACY_ENCODINGS else 99


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LOWER_ACCENTED = frozenset("áéíóúüñ")
_UPPER_ACCENTED = frozenset("ÁÉÍÓÚÜÑ")
_OTHER_LATIN = frozenset("àèìòùâêîôûçãõÀÈÌÒÙÂÊÎÔÛÇÃÕ¿¡ºª°€")


def _spanish_score(text: str) -> int:
    """Accented letters where Spanish puts them score; symbols and box-drawing
    characters amid words, or a capital accented letter inside a lower-case word, cost."""
    score = 0
    for match in _NON_ASCII.finditer(text):
        char, index = match.group(), match.start()
        if char in _LOWER_ACCENTED:
            score += 2
        elif char in _UPPER_ACCENTED:
            before = text[index - 1] if index else " "
            score += -2 if before.islower() else 2
        elif char in _OTHER_LATIN:
            score += 1
        else:
            score -= 3
    return score


def sniff_delimiter(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        # A one-column file, or one the sniffer cannot settle: the most frequent one in
        # the first line.
        first = sample.split("\n", 1)[0]
        counts = {d: first.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _read_csv(data: bytes) -> Sheet:
    text, encoding = decode(data)
    if "\x00" in text:
        raise _refuse(_("The file is not a CSV or spreadsheet file."), "wrong_type")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    limit = settings.IMPORT_MAX_ROWS + 1000
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                # reader.line_num is the physical line where the record ends; a record
                # with a quoted line break starts before it.
                line = reader.line_num - sum(cell.count("\n") for cell in cells)
                rows.append((line, cells))
                if len(rows) > limit:
                    raise _too_many_rows()
    except csv.Error:
        raise _refuse(
            _("Line %(line)s of the file is not valid CSV."), "csv", line=reader.line_num
        ) from None
    return Sheet(rows=rows, file_format="csv", encoding=encoding, delimiter=delimiter)


def _too_many_rows() -> ValidationError:
    return _refuse(
        _("The file has more than %(max)s rows; split it into several files."),
        "too_many_rows",
        max=f"{settings.IMPORT_MAX_ROWS:,}",
    )


# ── XLSX and ODS ──────────────────────────────────────────────────────────────────────────


def cell_text(value: Any) -> str:
    """A typed cell as the text the user typed: whole numbers without '.0' or an
    exponent, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def _read_workbook(source: IO[bytes], file_format: str) -> Sheet:
    check_zip_spreadsheet(source, file_format)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(source)
    except python_calamine.PasswordError:
        raise _refuse(
            _("The file is password-protected: remove the password and save it again."),
            "encrypted",
        ) from None
    except Exception:  # calamine's errors (zip, XML, unknown parts) have no common base
        raise _refuse(_("The file is damaged: it is not a valid spreadsheet."), "corrupt") from None
    if not workbook.sheet_names:
        raise _refuse(_("The file is empty."), "empty")
    try:
        sheet = workbook.get_sheet_by_index(0)
        rows = _sheet_rows(sheet.iter_rows(), sheet.start)
    except ValidationError:
        raise
    except Exception:
        raise _refuse(_("The file is damaged: it is not a valid spreadsheet."), "corrupt") from None
    finally:
        workbook.close()
    return Sheet(rows=rows, file_format=file_format)


def _sheet_rows(rows: Iterator[list[Any]], start: Any) -> list[tuple[int, list[str]]]:
    first_line = (start[0] if start else 0) + 1
    found: list[tuple[int, list[str]]] = []
    limit = settings.IMPORT_MAX_ROWS + 1000
    for offset, values in enumerate(rows):
        cells = [cell_text(value) for value in values]
        if any(cell.strip() for cell in cells):
            found.append((first_line + offset, cells))
            if len(found) > limit:
                raise _too_many_rows()
    return found
