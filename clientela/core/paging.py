"""Paging for lists of a million rows: no COUNT(*) of every match, no deep OFFSET.

- The count is exact up to `COUNT_CAP` and "more than COUNT_CAP" above it: counting
  stops at the cap (`SELECT COUNT(*) FROM (... LIMIT cap + 1)`), so a list of a million
  accounts costs the same as one of a thousand.
- Page numbers are offsets only up to `MAX_OFFSET_PAGES`: beyond that an OFFSET walks
  (and throws away) every earlier row. "Next" and "Previous" carry a keyset cursor
  instead (`after=` / `before=`: the sort values of the last / first row shown), which
  the database answers from the sort's index at any depth.

A list's ordering must end in a unique column (the id) and use one direction for every
column, so that a row-value comparison `(a, b, id) > (x, y, z)` is exactly "after".
Keyset paging also needs non-null sort columns; a list sorted by a nullable column
passes `keyset=False` and pages by bounded offset only.
"""

import base64
import binascii
import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection
from django.db.models import F, Model, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.http import QueryDict

# Rows per list page: settings.PAGE_SIZE (CLIENTELA_PAGE_SIZE), read when a page is asked.
PAGE_SIZE = 50
COUNT_CAP = 1000
MAX_OFFSET_PAGES = 20


@dataclass(frozen=True)
class Ordering:
    """A list's ORDER BY: model field names (no relations), one direction for all."""

    columns: tuple[str, ...]
    descending: bool = False
    # Nullable columns, whose empty values go last whichever the direction (such a list
    # pages by offset only: a row-value comparison cannot step over NULLs).
    nulls_last: frozenset[str] = frozenset()

    def order_by(self) -> list[Any]:
        return [
            (F(c).desc if self.descending else F(c).asc)(
                nulls_last=True if c in self.nulls_last else None
            )
            for c in self.columns
        ]


@dataclass
class ListPage:
    """One page of a list; quacks like Django's Page where the templates use it."""

    object_list: list[Any]
    number: int
    has_next: bool
    has_previous: bool
    count: int
    count_is_capped: bool
    after: str = ""  # cursor of the last row shown: the "Next" link
    before: str = ""  # cursor of the first row shown: the "Previous" link
    clamped: bool = False  # a page number beyond MAX_OFFSET_PAGES was asked for
    page_size: int = PAGE_SIZE
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def paginator(self) -> "ListPage":
        # Templates written for Django's paginator read page.paginator.count.
        return self

    @property
    def num_pages(self) -> int | None:
        if self.count_is_capped:
            return None
        return max(1, -(-self.count // self.page_size))

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def capped_count(queryset: QuerySet[Any], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, capped): the exact count up to `cap`, else (cap, True). The database
    stops reading at cap + 1 rows."""
    found = queryset.order_by().values("pk")[: cap + 1].count()
    return (cap, True) if found > cap else (found, False)


def capped_counts(
    querysets: dict[str, QuerySet[Any]], cap: int = COUNT_CAP
) -> dict[str, tuple[int, bool]]:
    """Several capped counts (tabs, badges) in one query of scalar subqueries."""
    if not querysets:
        return {}
    parts: list[str] = []
    params: list[Any] = []
    for queryset in querysets.values():
        try:
            sql, args = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
        except EmptyResultSet:  # none(), or pk__in=[]: nothing to ask the database
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) capped)")
        params.extend(args)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {
        key: (cap, True) if found > cap else (int(found), False)
        for key, found in zip(querysets, row, strict=True)
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    # Decimals, countries and other field values: the text the database compares.
    return str(value)


def encode_cursor(row: Model, ordering: Ordering) -> str:
    values = [_plain(getattr(row, _attname(row, c))) for c in ordering.columns]
    raw = json.dumps(values, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _attname(row: Model, column: str) -> str:
    return row._meta.get_field(column).attname  # type: ignore[union-attr]


def decode_cursor(model: type[Model], token: str, ordering: Ordering) -> list[Any] | None:
    """The sort values in a cursor, typed by the model's fields; None when the cursor is
    not one of ours (tampered, or from another sort): the list then starts over."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(ordering.columns):
            return None
        typed = []
        for column, value in zip(ordering.columns, values, strict=True):
            if value is None or isinstance(value, dict | list):
                return None
            typed.append(model._meta.get_field(column).to_python(value))  # type: ignore[union-attr]
    except (ValueError, TypeError, binascii.Error, ValidationError, UnicodeDecodeError):
        return None
    return typed


def _keyset(
    queryset: QuerySet[Any], ordering: Ordering, values: Sequence[Any], *, after: bool
) -> QuerySet[Any]:
    lhs = Tuple(*(F(c) for c in ordering.columns))
    forward = after != ordering.descending
    lookup = TupleGreaterThan if forward else TupleLessThan
    return queryset.filter(lookup(lhs, list(values)))


def page_number(params: QueryDict, key: str = "page") -> int:
    try:
        return max(1, int(params.get(key) or "1"))
    except ValueError:
        return 1


def _counted(
    queryset: QuerySet[Any], cap: int = COUNT_CAP, *, of: QuerySet[Any] | None = None
) -> QuerySet[Any]:
    """`queryset` with the capped count of the whole list (`of`, by default the same
    rows) as `_capped_total` on each row: an uncorrelated scalar subquery the database
    runs once, so a page of a list costs one query, not a count and then the rows."""
    counted = queryset if of is None else of
    try:
        sql, params = counted.order_by().values("pk")[: cap + 1].query.sql_with_params()
    except EmptyResultSet:
        return queryset  # no rows: the page's count is 0
    return queryset.annotate(_capped_total=RawSQL(f"SELECT COUNT(*) FROM ({sql}) capped", params))


def paginate(
    queryset: QuerySet[Any],
    ordering: Ordering,
    params: QueryDict,
    *,
    page_size: int | None = None,
    keyset: bool = True,
    count: tuple[int, bool] | None = None,
) -> ListPage:
    """The page `params` asks for (page=, after=, before=), in one query (the capped
    count rides along with the rows) or two when `count` is given or the page is past
    the end."""
    page_size = page_size or settings.PAGE_SIZE
    number = page_number(params)
    model = queryset.model
    ordered = queryset.order_by(*ordering.order_by())
    counted = ordered if count is not None else _counted(ordered)
    after = params.get("after", "") if keyset else ""
    before = params.get("before", "") if keyset else ""
    clamped = False
    rows: list[Any]
    if after and (values := decode_cursor(model, after, ordering)) is not None:
        rows = list(_keyset(counted, ordering, values, after=True)[: page_size + 1])
        has_next = len(rows) > page_size
        number = max(number, 2)
    elif before and (values := decode_cursor(model, before, ordering)) is not None:
        reverse = Ordering(ordering.columns, not ordering.descending, ordering.nulls_last)
        back = counted.order_by(*reverse.order_by())
        rows = list(_keyset(back, ordering, values, after=False)[: page_size + 1])
        if len(rows) <= page_size:
            number = 1
        rows = list(reversed(rows[:page_size])) + rows[page_size:]
        has_next = True
    else:
        if number > MAX_OFFSET_PAGES:
            number, clamped = MAX_OFFSET_PAGES, True
        start = (number - 1) * page_size
        rows = list(counted[start : start + page_size + 1])
        if not rows and start:
            # Past the end (a stale link): the last page there is.
            total, capped = count or capped_count(queryset)
            number = min(number, max(1, -(-total // page_size)))
            start = (number - 1) * page_size
            rows = list(counted[start : start + page_size + 1])
        has_next = len(rows) > page_size
    shown = rows[:page_size]
    if count is not None:
        total, capped = count
    elif rows:
        found = int(rows[0]._capped_total)
        total, capped = (COUNT_CAP, True) if found > COUNT_CAP else (found, False)
    else:
        total, capped = 0, False
    return ListPage(
        object_list=shown,
        number=number,
        has_next=has_next and bool(shown),
        has_previous=number > 1,
        count=total,
        count_is_capped=capped,
        after=encode_cursor(shown[-1], ordering) if shown and keyset else "",
        before=encode_cursor(shown[0], ordering) if shown and keyset else "",
        clamped=clamped,
        page_size=page_size,
    )


def paginate_candidates(
    matches: QuerySet[Any],
    base: QuerySet[Any],
    ordering: Ordering,
    params: QueryDict,
    *,
    keyset: bool = True,
) -> ListPage:
    """A search's page: at most COUNT_CAP + 1 matching ids are collected from the
    search index (no ORDER BY, so the database stops there), then only those rows are
    sorted and paged from `base` (the list's queryset with its joins, unfiltered). A
    word found in half the table is never sorted in full; the page says "more than
    COUNT_CAP" and the user narrows the search."""
    ids = list(matches.order_by().values_list("pk", flat=True)[: COUNT_CAP + 1])
    count = (COUNT_CAP, True) if len(ids) > COUNT_CAP else (len(ids), False)
    return paginate(
        base.filter(pk__in=ids[:COUNT_CAP]), ordering, params, keyset=keyset, count=count
    )


def panel_page(queryset: QuerySet[Any], number: int, page_size: int) -> ListPage:
    """A page of a profile panel in one query when everything fits on the first page
    (the usual case: the count is then the rows'), two otherwise."""
    number = max(1, number)
    start = (number - 1) * page_size
    rows = list(queryset[start : start + page_size + 1])
    # One account's records: an exact count is an index range, not a table scan.
    total = len(rows) if number == 1 and len(rows) <= page_size else queryset.count()
    return ListPage(
        object_list=rows[:page_size],
        number=number,
        has_next=len(rows) > page_size,
        has_previous=number > 1,
        count=total,
        count_is_capped=False,
        page_size=page_size,
    )


def paginate_phases(
    everything: QuerySet[Any],
    phases: list[QuerySet[Any]],
    ordering: Ordering,
    params: QueryDict,
    *,
    page_size: int | None = None,
    count: tuple[int, bool] | None = None,
) -> ListPage:
    """A list whose order is "these rows first, then those", each part in `ordering`
    (one index walk per part instead of a sort of everything): the queue's overdue cases
    before the others; dated rows before undated ones (an index cannot serve NULLS LAST
    on SQLite). `phases` split `everything` without overlap. Pages by bounded offset; the
    capped count rides with the first part's rows unless given."""
    page_size = page_size or settings.PAGE_SIZE
    number = min(page_number(params), MAX_OFFSET_PAGES)
    start = (number - 1) * page_size
    order = ordering.order_by()
    rows: list[Any] = []
    skip = start
    first = True
    for phase in phases:
        query = _counted(phase, of=everything) if first and count is None else phase
        wanted = page_size + 1 - len(rows)
        if skip:
            before, _capped = capped_count(phase, cap=skip)
            if before >= skip:
                part = list(query.order_by(*order)[skip : skip + wanted])
                skip = 0
            else:
                part, skip = [], skip - before
        else:
            part = list(query.order_by(*order)[:wanted])
        if first and count is None and part and hasattr(part[0], "_capped_total"):
            found = int(part[0]._capped_total)
            count = (COUNT_CAP, True) if found > COUNT_CAP else (found, False)
        first = False
        rows += part
        if len(rows) > page_size:
            break
    total, capped = count if count is not None else capped_count(everything)
    return ListPage(
        object_list=rows[:page_size],
        number=number,
        has_next=len(rows) > page_size,
        has_previous=number > 1,
        count=total,
        count_is_capped=capped,
        page_size=page_size,
    )
