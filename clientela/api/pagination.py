from typing import Any

from django.db.models import QuerySet
from ninja import Field

from clientela.core.access import require_page_size
from clientela.core.paging import capped_count

from .schemas import StorableText

MAX_PAGE_SIZE = 200


class PageQuery(StorableText):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    page_size: int = Field(
        50, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, at most {MAX_PAGE_SIZE}."
    )


# Counting stops here: an exact COUNT(*) of a million rows on every page cost more than
# the page itself. Above it the answer says count_is_capped (SPEC §10's count is a
# lower bound then).
API_COUNT_CAP = 10_000


def paginate(
    queryset: QuerySet[Any],
    page: int,
    page_size: int,
    *,
    user: Any,
    count: tuple[int, bool] | None = None,
) -> dict[str, Any]:
    """`{"count": N, "items": [...]}`, paged in the database (a capped COUNT and a slice).
    Pages larger than a screen's are for users who may export (core.access)."""
    require_page_size(user, queryset.model, page_size)
    start = (page - 1) * page_size
    total, capped = count if count is not None else capped_count(queryset, cap=API_COUNT_CAP)
    return {
        "count": total,
        "count_is_capped": capped,
        "items": list(queryset[start : start + page_size]),
    }
