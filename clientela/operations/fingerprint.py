"""Checksums of what a backup holds, to prove a restore brought back exactly that: one
per table (every row of every model, in primary-key order, values normalized so that the
same data gives the same sum on SQLite and PostgreSQL) and one per stored file."""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any, Protocol

from django.apps import apps
from django.db import models

CHUNK = 1024 * 1024


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


def data_models() -> list[type[models.Model]]:
    """Every table the application owns (many-to-many tables included), once each."""
    seen: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            seen.setdefault(meta.db_table, model)
    return [seen[table] for table in sorted(seen)]


def _normal(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return str(value)


def rows(model: type[models.Model], using: str) -> Iterator[tuple[Any, ...]]:
    fields = [field.attname for field in model._meta.concrete_fields]
    queryset = model._base_manager.using(using).order_by("pk").values_list(*fields)
    yield from queryset.iterator(chunk_size=2000)


def table_sums(using: str) -> dict[str, dict[str, Any]]:
    sums: dict[str, dict[str, Any]] = {}
    for model in data_models():
        digest = hashlib.sha256()
        count = 0
        for row in rows(model, using):
            line = json.dumps(list(row), default=_normal, sort_keys=True, ensure_ascii=False)
            digest.update(line.encode() + b"\n")
            count += 1
        sums[model._meta.db_table] = {"rows": count, "sha256": digest.hexdigest()}
    return sums


def file_sum(stream: Readable) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def referenced_files(using: str) -> list[str]:
    """Every stored file a row names (logos, documents): what a backup must carry."""
    names: set[str] = set()
    for model in data_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                values = (
                    model._base_manager.using(using)
                    .exclude(**{field.attname: ""})
                    .values_list(field.attname, flat=True)
                )
                names.update(name for name in values if name)
    return sorted(names)
