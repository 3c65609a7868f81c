import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from clientela.imports.readers import cell_text, read_sheet

from .files import (
    ACCOUNT_HEADER,
    account_row,
    csv_bytes,
    ods_bytes,
    openpyxl_bytes,
    xlsxwriter_bytes,
)


def read(name: str, data: bytes):
    return read_sheet(io.BytesIO(data), name)


def test_excel_csv_in_windows_1252_with_semicolons_reads_accents_without_mojibake():
    data = csv_bytes([ACCOUNT_HEADER, account_row(1, name="Peña y Núñez, S.A.")], encoding="cp1252")
    sheet = read("clientes.csv", data)
    assert sheet.delimiter == ";"
    assert sheet.encoding in {"cp1252", "latin_1"}
    assert sheet.rows[0][1][0] == "Razón social"
    assert sheet.rows[1][1][0] == "Peña y Núñez, S.A."


@pytest.mark.parametrize("encoding", ["cp1252", "mac_roman", "cp850", "latin_1"])
def test_short_legacy_encoded_files_never_show_mojibake(encoding):
    text = "Nombre;Apellidos;Principal\r\nAna;Pérez;Sí\r\nLuis;Núñez;No\r\n"
    sheet = read("c.csv", text.encode(encoding))
    assert sheet.rows[1][1] == ["Ana", "Pérez", "Sí"]
    assert sheet.rows[2][1] == ["Luis", "Núñez", "No"]


def test_utf8_csv_with_bom_and_commas_drops_the_bom():
    data = csv_bytes([ACCOUNT_HEADER, account_row(1)], delimiter=",", encoding="utf-8", bom=True)
    sheet = read("clientes.csv", data)
    assert sheet.delimiter == ","
    assert sheet.rows[0][1][0] == "Razón social"


def test_quoted_line_breaks_stay_in_their_cell_and_lines_count_from_the_record_start():
    data = csv_bytes(
        [["Nombre", "Dirección"], ["Uno", "Calle 50\nEdificio Alfa"], ["Dos", "Vía España"]],
        encoding="utf-8",
    )
    sheet = read("c.csv", data)
    assert sheet.rows[1] == (2, ["Uno", "Calle 50\nEdificio Alfa"])
    assert sheet.rows[2][0] == 4


def test_utf16_csv_from_excel_unicode_text_is_read():
    text = "Nombre\tRUC\r\nPeña\t8-123-456\r\n"
    sheet = read("c.txt", text.encode("utf-16"))
    assert sheet.rows[1][1] == ["Peña", "8-123-456"]


def test_xlsx_numbers_typed_in_text_columns_come_back_as_typed():
    data = openpyxl_bytes(
        [["Nombre", "RUC", "Teléfono", "Fecha"], ["Peña", 155596713, 62345678.0, date(2024, 5, 1)]],
        title="Listado de clientes",
    )
    sheet = read("c.xlsx", data)
    assert sheet.rows[1] == (3, ["Nombre", "RUC", "Teléfono", "Fecha"])  # a title above
    assert sheet.rows[2] == (4, ["Peña", "155596713", "62345678", "2024-05-01"])


def test_xlsxwriter_formulas_are_read_as_their_cached_value_never_evaluated():
    data = xlsxwriter_bytes([["Nombre", "Total"], ["A", None]], formulas={(1, 1): ("=2+2", 5)})
    assert read("c.xlsx", data).rows[1][1] == ["A", "5"]


def test_cell_text_of_floats_dates_and_big_numbers():
    assert cell_text(8.0) == "8"
    assert cell_text(1.55e8) == "155000000"
    assert cell_text(1500.5) == "1500.5"
    assert cell_text(datetime(2024, 5, 1, 10, 30)) == "2024-05-01 10:30:00"
    assert cell_text(True) == "true"


def test_trailing_empty_rows_are_skipped():
    data = openpyxl_bytes([["Nombre", "RUC"], ["A", "1"], [None, None], ["", ""]])
    assert len(read("c.xlsx", data).rows) == 2


def test_ods_is_read_with_typed_numbers():
    sheet = read("c.ods", ods_bytes([["Nombre", "RUC"], ["Peña", 155596713]]))
    assert sheet.rows[1][1] == ["Peña", "155596713"]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("vacío.csv", b"", "empty"),
        ("informe.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "wrong_type"),
        ("viejo.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "xls"),
        ("clave.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "encrypted"),
        ("roto.xlsx", b"PK\x03\x04" + b"\0" * 40, "corrupt"),
        ("binario.csv", b"\x00\x01\x02\x03" * 20, "wrong_type"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_reason(name, data, code):
    with pytest.raises(ValidationError) as exc:
        read(name, data)
    assert exc.value.code == code
    assert exc.value.messages[0]


def _patched_sheet(xml_edit) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsxwriter_bytes([["Nombre", "RUC"], ["A", 1]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = xml_edit(data)
            target.writestr(item, data)
    return out.getvalue()


def test_xlsx_with_a_cell_far_away_is_refused_before_it_is_loaded():
    data = _patched_sheet(
        lambda xml: xml.replace(
            b"</sheetData>", b'<row r="900000"><c r="ZZ900000"><v>1</v></c></row></sheetData>'
        )
    )
    with pytest.raises(ValidationError) as exc:
        read("bomba.xlsx", data)
    assert exc.value.code in {"too_many_rows", "too_many_columns"}


def test_xlsx_declaring_a_huge_dimension_is_refused():
    data = _patched_sheet(
        lambda xml: xml.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>')
    )
    with pytest.raises(ValidationError) as exc:
        read("bomba.xlsx", data)
    assert exc.value.code in {"too_many_rows", "too_many_columns"}


def test_zip_expansion_is_measured_while_streaming(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 200_000
    data = xlsxwriter_bytes(
        [["Nombre", "Notas"], *[["A", "x" * 1000 + str(i)] for i in range(400)]]
    )
    with pytest.raises(ValidationError) as exc:
        read("grande.xlsx", data)
    assert exc.value.code == "zip_bomb"


def test_ods_repeating_a_cell_a_million_times_is_refused():
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        '<office:spreadsheet><table:table table:name="H">'
        '<table:table-row table:number-rows-repeated="3000"><table:table-cell '
        'table:number-columns-repeated="3000" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table></office:spreadsheet>"
        "</office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    with pytest.raises(ValidationError) as exc:
        read("bomba.ods", out.getvalue())
    assert exc.value.code == "too_many_columns"


def test_ods_with_empty_repeated_rows_to_the_sheet_end_is_fine():
    # What LibreOffice writes after the data: empty rows repeated to row 1,048,576.
    content = ods_bytes([["Nombre", "RUC"], ["A", "1"]])
    assert len(read("c.ods", content).rows) == 2
