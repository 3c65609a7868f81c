"""Demo documents for `seed_demo`: a small contract PDF for about one account in ten, and
for half of those a CSV statement, generated in code (no sample files in the repository).

The rows are bulk-inserted with the accounts; the files are written through the storage
API once the seeding transaction commits, so a failed run leaves no orphan files (and
a test that seeds inside a rolled-back transaction writes none).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import random
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import QuerySet

from clientela.core.bulk import bulk_insert
from clientela.core.demo import DemoDensity

from .models import Document, document_path

logger = logging.getLogger(__name__)

SHARE_OF_ACCOUNTS = 0.10
SHARE_WITH_STATEMENT = 0.5
BATCH_SIZE = 2000


def _pdf_text(value: str) -> bytes:
    escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped.encode("cp1252", "replace")


def sample_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF (Helvetica, WinAnsi text) with a correct xref table."""
    text = [b"BT /F1 16 Tf 72 740 Td (" + _pdf_text(title) + b") Tj /F1 11 Tf"]
    text += [b"0 -22 Td (" + _pdf_text(line) + b") Tj" for line in lines]
    text.append(b"ET")
    stream = b"\n".join(text)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _contract(code: str, name: str, rng: random.Random) -> bytes:
    start = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(700))
    months = rng.choice([6, 12, 24, 36])
    return sample_pdf(
        "Contrato de prestación de servicios",
        [
            f"Cliente: {name}",
            f"Cuenta: {code}",
            f"Fecha de inicio: {start:%d/%m/%Y}",
            f"Vigencia: {months} meses, renovable por acuerdo de las partes.",
            "Documento de demostración generado por Clientela.",
        ],
    )


def _statement(code: str, rng: random.Random) -> bytes:
    rows = ["fecha,factura,monto,estado"]
    day = datetime.date(2025, 1, 1)
    for number in range(rng.randint(3, 8)):
        day += datetime.timedelta(days=rng.randint(5, 40))
        amount = Decimal(rng.randint(5_000, 500_000)) / 100
        status = rng.choice(["pagada", "pagada", "pendiente"])
        rows.append(f"{day:%d/%m/%Y},{code}-F{number + 1:04d},{amount:.2f},{status}")
    return ("\n".join(rows) + "\n").encode("utf-8")


def seed_documents(
    accounts: QuerySet[Any], rng: random.Random, density: DemoDensity | None = None
) -> int:
    """Documents for about SHARE_OF_ACCOUNTS of `accounts` (`density.documents` of them
    when given); the files are written once the seeding commits."""
    share = SHARE_OF_ACCOUNTS
    if density is not None and density.documents is not None:
        share = density.documents
    storage = Document._meta.get_field("file").storage
    pending: list[tuple[str, bytes]] = []
    batch: list[Document] = []
    created = 0
    rows = accounts.order_by("id").values_list("id", "code", "name", "salesperson_id")
    for account_id, code, name, salesperson_id in rows.iterator(chunk_size=BATCH_SIZE):
        if rng.random() >= share:
            continue
        files = [
            (
                f"Contrato de servicios {code}.pdf",
                _contract(code, name, rng),
                Document.Category.CONTRACT,
                "application/pdf",
                "Contrato firmado (demostración)",
            )
        ]
        if rng.random() < SHARE_WITH_STATEMENT:
            files.append(
                (
                    f"Estado de cuenta {code}.csv",
                    _statement(code, rng),
                    Document.Category.OTHER,
                    "text/csv; charset=utf-8",
                    "Estado de cuenta (demostración)",
                )
            )
        for original_name, data, category, content_type, description in files:
            path = document_path(None, original_name)  # type: ignore[arg-type]
            document = Document(
                account_id=account_id,
                file=path,
                original_name=original_name,
                category=category,
                description=description,
                size=len(data),
                content_type=content_type,
                sha256=hashlib.sha256(data).hexdigest(),
                created_by_id=salesperson_id,
                updated_by_id=salesperson_id,
            )
            document.search_text = document.build_search_text()
            batch.append(document)
            pending.append((path, data))
        if len(batch) >= BATCH_SIZE:
            created += bulk_insert(Document, batch)
            batch = []
    if batch:
        created += bulk_insert(Document, batch)
    if pending:
        transaction.on_commit(lambda: write_files(storage, pending))
    return created


def write_files(storage: Storage, files: list[tuple[str, bytes]]) -> None:
    for path, data in files:
        saved = storage.save(path, ContentFile(data))
        if saved != path:  # a random name already taken: practically never
            logger.warning("demo document stored as %s instead of %s", saved, path)
