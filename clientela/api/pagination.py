from typing import Any

from django.db.models import QuerySet
from ninja import Field

from .schemas import StorableText

MAX_PAGE_SIZE = 200


class PageQuery(StorableText):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    page_size: int = Field(
        50, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, at most {MAX_PAGE_SIZE}."
    )


def paginate(queryset: QuerySet[Any], page: int, page_size: int) -> dict[str, Any]:
    """`{"count": N, "items": [...]}`, paged in the database (a COUNT and a slice)."""
    start = (page - 1) * page_size
    return {"count": queryset.count(), "items": list(queryset[start : start + page_size])}
