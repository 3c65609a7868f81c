"""The type comes from the content (SPEC §6): every accepted type is recognised whatever
its name, and the hostile corpus is refused or neutralised."""

import io
import struct
import zipfile

import pytest
from PIL import Image

from clientela.documents import filetypes
from clientela.documents.filetypes import RefusedFile, clean_original_name, detect, name_for_type

from .factories import (
    CSV_BYTES,
    HTML_BYTES,
    SVG_BYTES,
    TEXT_BYTES,
    XSS_NAME,
    executable_bytes,
    image_bytes,
    office_bytes,
    opendocument_bytes,
    pdf_bytes,
    polyglot_png_html,
    upload,
    zip_bomb_bytes,
    zip_bytes,
)


def detected(data: bytes, name: str = "archivo.bin") -> str:
    return detect(upload(name, data)).content_type


def refusal(data: bytes, name: str = "archivo.bin") -> RefusedFile:
    with pytest.raises(RefusedFile) as caught:
        detect(upload(name, data))
    return caught.value


# ── Accepted types, recognised by content and not by name ─────────────────────────────────


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (pdf_bytes(), "application/pdf"),
        (image_bytes("PNG"), "image/png"),
        (image_bytes("JPEG"), "image/jpeg"),
        (image_bytes("WEBP"), "image/webp"),
        (image_bytes("GIF"), "image/gif"),
        (office_bytes("word"), filetypes.DOCX),
        (office_bytes("xl"), filetypes.XLSX),
        (office_bytes("ppt"), filetypes.PPTX),
        (opendocument_bytes("text"), filetypes.ODT),
        (opendocument_bytes("spreadsheet"), filetypes.ODS),
        (zip_bytes({"a.txt": b"hola", "b/c.pdf": pdf_bytes()}), filetypes.ZIP),
        (TEXT_BYTES, "text/plain; charset=utf-8"),
        (CSV_BYTES, "text/csv; charset=utf-8"),
        ("nombre;monto\nPeña;1,5\nNúñez;2,0\n".encode("cp1252"), "text/csv; charset=windows-1252"),
    ],
    ids=[
        "pdf",
        "png",
        "jpeg",
        "webp",
        "gif",
        "docx",
        "xlsx",
        "pptx",
        "odt",
        "ods",
        "zip",
        "txt",
        "csv",
        "csv-windows-1252",
    ],
)
def test_accepted_types_are_recognised_whatever_the_name(data, expected):
    assert detected(data, "sin-extension") == expected
    assert detected(data, "engañoso.exe") == expected


def test_prose_with_commas_is_text_not_csv():
    prose = b"Hola, equipo.\nLa reunion, como dijimos, sera el lunes, a las diez.\n"
    assert detected(prose) == "text/plain; charset=utf-8"


# ── The hostile corpus ────────────────────────────────────────────────────────────────────


def test_html_renamed_pdf_is_refused():
    error = refusal(HTML_BYTES, "factura.pdf")
    assert error.code == "markup"


def test_svg_with_script_is_refused():
    assert refusal(SVG_BYTES, "logo.svg").code == "markup"
    assert refusal(SVG_BYTES, "logo.png").code == "markup"


@pytest.mark.parametrize(
    "data",
    [
        b"<?xml version='1.0'?><root/>",
        b"Nombre,Monto\n<script>alert(1)</script>,1\n",
        b"   \n\n<HTML><BODY>hola</BODY></HTML>",
        b"Texto normal y luego < svg onload=alert(1)>",
        b"<iframe src=//evil.example>",
    ],
)
def test_markup_anywhere_in_the_first_kilobyte_is_refused(data):
    assert refusal(data, "notas.txt").code == "markup"


def test_executables_and_unknown_binary_are_refused():
    assert refusal(executable_bytes(), "factura.pdf").code == "type"
    assert refusal(bytes(range(256)) * 4, "datos.csv").code == "type"


def test_pdf_without_end_marker_is_refused():
    assert refusal(b"%PDF-1.4\n1 0 obj << >> endobj\n", "corto.pdf").code == "pdf"


def test_broken_png_is_refused():
    data = image_bytes("PNG")
    assert refusal(data[:60], "foto.png").code == "image"


def test_png_html_polyglot_is_accepted_only_as_an_image():
    """Pillow reads the PNG and ignores what follows it. Stored as image/png, and served
    with nosniff, as an attachment or in a sandbox (see test_views), the HTML never runs."""
    assert detected(polyglot_png_html(), "pagina.html") == "image/png"
    assert name_for_type(clean_original_name("pagina.html"), "image/png") == "pagina.png"


def test_zip_bomb_by_ratio_is_refused():
    error = refusal(zip_bomb_bytes(2 * 1024 * 1024), "fotos.zip")
    assert error.code == "zip_bomb"


def test_zip_bomb_by_total_size_is_refused(settings):
    settings.DOCUMENT_MAX_UNCOMPRESSED_BYTES = 100_000
    settings.DOCUMENT_MAX_COMPRESSION_RATIO = 10_000
    error = refusal(zip_bomb_bytes(200_000), "fotos.zip")
    assert error.code == "zip_bomb"
    assert "limit" in str(error.messages[0]) or "límite" in str(error.messages[0])


def test_office_file_bomb_is_refused():
    members = {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b"<w>" + b"a" * (3 * 1024 * 1024) + b"</w>",
    }
    assert refusal(zip_bytes(members), "informe.docx").code == "zip_bomb"


def test_archive_with_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_ZIP_ENTRIES", 10)
    data = zip_bytes({f"f{n}.txt": b"x" for n in range(11)})
    assert refusal(data, "muchos.zip").code == "zip_entries"


def test_archive_nested_one_level_is_accepted_two_levels_refused():
    inner = zip_bytes({"hoja.txt": b"hola"})
    assert detected(zip_bytes({"dentro.zip": inner}), "a.zip") == filetypes.ZIP
    deeper = zip_bytes({"dentro.zip": zip_bytes({"mas-dentro.zip": inner})})
    assert refusal(deeper, "a.zip").code == "zip_nested"


def test_nested_archive_counts_towards_the_bomb_limits():
    inner = zip_bomb_bytes(2 * 1024 * 1024)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("dentro.zip", inner)  # stored: the outer ratio alone looks harmless
    assert refusal(out.getvalue(), "a.zip").code == "zip_bomb"


def test_zip_with_something_before_it_is_not_a_zip():
    """A self-extracting executable is a ZIP to zipfile, but not to us."""
    data = executable_bytes() + zip_bytes({"a.txt": b"hola"})
    assert refusal(data, "instalar.zip").code == "type"


def test_office_files_with_macros_are_refused():
    assert refusal(office_bytes("word", macros=True), "informe.docm").code == "macros"
    assert refusal(opendocument_bytes("text", macros=True), "informe.odt").code == "macros"


def test_other_office_kinds_are_not_on_the_list():
    assert refusal(office_bytes("visio"), "diagrama.vsdx").code == "type"
    assert refusal(opendocument_bytes("presentation"), "charla.odp").code == "type"


def test_image_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    assert refusal(image_bytes("PNG", (40, 30)), "foto.png").code == "image_bomb"  # 1,200 px
    assert refusal(image_bytes("PNG", (100, 100)), "foto.png").code == "image_bomb"  # 2x+


def test_unaccepted_image_formats_are_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="BMP")
    assert refusal(out.getvalue(), "foto.bmp").code == "type"


# ── Names ─────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("contra\x00to.pdf", "contrato.pdf"),
        ("fact\u202eurafdp.exe", "facturafdp.exe"),  # right-to-left override removed
        ("  .oculto.pdf ", "oculto.pdf"),
        ("..", "documento"),
        ("", "documento"),
        ("Informe\tanual\n2024.pdf", "Informe anual 2024.pdf"),
        (XSS_NAME, XSS_NAME),  # kept as typed: escaped wherever it is shown
        ('Contrato "Año" ñ.pdf', 'Contrato "Año" ñ.pdf'),
    ],
)
def test_original_names_are_cleaned(raw, clean):
    assert clean_original_name(raw) == clean


def test_long_names_are_capped_keeping_the_extension():
    name = clean_original_name("a" * 300 + ".pdf")
    assert len(name) == 255
    assert name.endswith("a.pdf")


@pytest.mark.parametrize(
    ("name", "mime", "expected"),
    [
        ("contrato.PDF", "application/pdf", "contrato.PDF"),
        ("foto.jpeg", "image/jpeg", "foto.jpeg"),
        ("foto.jpg", "image/png", "foto.png"),
        ("factura.pdf", "text/plain", "factura.txt"),
        ("LEEME", "text/plain", "LEEME.txt"),
        ("Informe v2.1", "application/pdf", "Informe v2.1.pdf"),
        ("datos.csv", "text/plain", "datos.csv"),
    ],
)
def test_download_names_get_an_extension_matching_the_content(name, mime, expected):
    assert name_for_type(name, mime) == expected


# ── Issue 14: measured expansion, member paths, markup anywhere ──────────────────────────


def lying_zip(expanded: int, declared: int) -> bytes:
    """A ZIP whose member says it expands to `declared` bytes but expands to `expanded`."""
    data = bytearray(zip_bomb_bytes(expanded))
    struct.pack_into("<I", data, 22, declared)  # the local header's uncompressed size
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)  # and the central directory's
    return bytes(data)


def test_zip_declaring_a_small_size_is_measured_by_what_it_expands_to():
    data = lying_zip(3 * 1024 * 1024, 1000)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.infolist()[0].file_size == 1000  # what the archive claims
    assert refusal(data, "fotos.zip").code == "zip_bomb"


def test_zip_declaring_a_small_size_is_refused_by_the_total_limit(settings):
    settings.DOCUMENT_MAX_COMPRESSION_RATIO = 10**9
    settings.DOCUMENT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    assert refusal(lying_zip(3 * 1024 * 1024, 1000), "fotos.zip").code == "zip_bomb"


def test_lying_zip_inside_a_zip_is_measured_too():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("dentro.zip", lying_zip(3 * 1024 * 1024, 1000))
    assert refusal(out.getvalue(), "a.zip").code == "zip_bomb"


def test_measuring_stops_at_the_limit(settings, monkeypatch):
    """The count stops just past the cap: a huge member is not read to its end."""
    settings.DOCUMENT_MAX_COMPRESSION_RATIO = 10**9
    settings.DOCUMENT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    monkeypatch.setattr(filetypes, "READ_CHUNK", 64 * 1024)
    reads = []
    original = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        data = original(self, n)
        reads.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    assert refusal(zip_bomb_bytes(20 * 1024 * 1024), "a.zip").code == "zip_bomb"
    assert sum(reads) <= 1024 * 1024 + 64 * 1024


@pytest.mark.parametrize(
    "member",
    ["../fuera.txt", "docs/../../fuera.txt", "/etc/cron.d/x", "C:/Windows/x.txt", "..\\x.txt"],
)
def test_zip_members_with_paths_outside_their_folder_are_refused(member):
    assert refusal(zip_bytes({member: b"hola"}), "a.zip").code == "zip_path"


def test_zip_members_with_dots_in_names_are_accepted():
    data = zip_bytes({"informe..final.txt": b"hola", "a/.oculto": b"x"})
    assert detected(data, "a.zip") == filetypes.ZIP


def test_zip_inside_a_zip_with_a_path_outside_is_refused():
    inner = zip_bytes({"../../fuera.txt": b"hola"})
    assert refusal(zip_bytes({"dentro.zip": inner}), "a.zip").code == "zip_path"


def test_markup_after_the_first_kilobyte_is_refused():
    data = b"notas del cliente\n" * 200 + b"<script>alert(1)</script>\n"
    assert len(data) > 2048
    assert refusal(data, "notas.txt").code == "markup"


def test_markup_cut_between_two_chunks_is_refused(monkeypatch):
    monkeypatch.setattr(filetypes, "READ_CHUNK", 1500)
    data = b"a" * 1497 + b"<script>alert(1)</script>"
    assert refusal(data, "notas.txt").code == "markup"


def test_long_text_without_markup_is_still_accepted(monkeypatch):
    monkeypatch.setattr(filetypes, "READ_CHUNK", 1000)
    data = "precio < 5 y > 2; año\n".encode() * 500
    assert detected(data, "notas.txt").startswith("text/")
