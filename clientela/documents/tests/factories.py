"""Documents for tests, and the files they carry, built in code: the good ones of every
accepted type and a corpus of hostile ones."""

import hashlib
import io
import zipfile

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory
from PIL import Image

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.documents.demo import sample_pdf
from clientela.documents.models import Document

# ── Good files ────────────────────────────────────────────────────────────────────────────


def pdf_bytes(text: str = "Contrato de prueba") -> bytes:
    return sample_pdf(text, ["Cláusula primera: objeto del contrato."])


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (11, 92, 171)).save(out, format=image_format)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], *, stored_first: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(
                zipfile.ZipInfo(stored_first), members[stored_first], zipfile.ZIP_STORED
            )
        for name, data in members.items():
            if name != stored_first:
                archive.writestr(name, data)
    return out.getvalue()


CONTENT_TYPES_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    b"</Types>"
)


def office_bytes(folder: str, *, macros: bool = False) -> bytes:
    """A minimal Office Open XML package: `word`, `xl` or `ppt`."""
    members = {
        "[Content_Types].xml": CONTENT_TYPES_XML.replace(
            b"application/xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml"
            if macros
            else b"application/xml",
        ),
        "_rels/.rels": b"<Relationships/>",
        f"{folder}/document.xml": b"<document>" + b"Hola " * 50 + b"</document>",
    }
    if macros:
        members[f"{folder}/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"\x00" * 60
    return zip_bytes(members)


def opendocument_bytes(kind: str = "text", *, macros: bool = False) -> bytes:
    members = {
        "mimetype": f"application/vnd.oasis.opendocument.{kind}".encode(),
        "content.xml": b"<office:document-content>" + b"Hola " * 50 + b"</office:document-content>",
        "META-INF/manifest.xml": b"<manifest/>",
    }
    if macros:
        members["Basic/Standard/Module1.xml"] = b"<script>Sub Main</script>"
    return zip_bytes(members, stored_first="mimetype")


CSV_BYTES = "nombre,ciudad,monto\nNúñez,Chitré,10.50\nPeña,David,20.00\n".encode()
TEXT_BYTES = "Notas de la reunión con el cliente.\nAcordamos enviar la propuesta.\n".encode()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    """What a browser sends; its declared type is deliberately ignored by the app."""
    return SimpleUploadedFile(name, data, content_type)


def pdf_upload(name: str = "contrato.pdf", text: str = "Contrato de prueba"):
    return upload(name, pdf_bytes(text), "application/pdf")


# ── Hostile files ─────────────────────────────────────────────────────────────────────────

HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_BYTES = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
XSS_NAME = "<img src=x onerror=alert(1)>.pdf"


def polyglot_png_html() -> bytes:
    """A valid PNG with an HTML page after its end: a browser that sniffs could run it."""
    return image_bytes("PNG") + b"<html><body><script>alert('polyglot')</script></body></html>"


def zip_bomb_bytes(expanded: int) -> bytes:
    """`expanded` bytes of zeros that compress about a thousand times."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("ceros.bin", b"\0" * expanded)
    return out.getvalue()


def executable_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


# ── Documents ─────────────────────────────────────────────────────────────────────────────


class DocumentFactory(DjangoModelFactory):
    """A stored document (the file goes through the storage API under a random name).
    Tests that create documents set settings.MEDIA_ROOT to a temporary folder."""

    class Meta:
        model = Document

    class Params:
        data = factory.LazyAttribute(lambda o: pdf_bytes(o.original_name))

    account = factory.SubFactory(AccountFactory)
    original_name = factory.Sequence(lambda n: f"Contrato {n}.pdf")
    category = Document.Category.CONTRACT
    description = ""
    file = factory.LazyAttribute(lambda o: ContentFile(o.data, name="upload"))
    size = factory.LazyAttribute(lambda o: len(o.data))
    content_type = "application/pdf"
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.data).hexdigest())
    created_by = factory.SubFactory(UserFactory)
    updated_by = factory.SelfAttribute("created_by")
