"""Lists page without counting every row and without deep OFFSETs."""

import pytest
from django.http import QueryDict

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory
from clientela.core import paging
from clientela.core.paging import Ordering, capped_count, encode_cursor, paginate

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts():
    return [
        AccountFactory(name=f"Cuenta {n:02d}", city="David" if n % 2 else "Colón")
        for n in range(23)
    ]


def walk(queryset, ordering, page_size=5):
    """Every page by following the Next links; returns (names, page numbers)."""
    names, numbers, params = [], [], QueryDict("")
    while True:
        page = paginate(queryset, ordering, params, page_size=page_size)
        names += [a.name for a in page.object_list]
        numbers.append(page.number)
        if not page.has_next:
            return names, numbers
        params = QueryDict(f"page={page.next_page_number}&after={page.after}")


def test_keyset_next_links_visit_every_row_once_in_order(accounts):
    ordering = Ordering(("name", "id"))
    names, numbers = walk(Account.objects.all(), ordering)
    assert names == sorted(a.name for a in accounts)
    assert numbers == [1, 2, 3, 4, 5]


def test_keyset_paging_descending_and_with_ties(accounts):
    ordering = Ordering(("city", "name", "id"), descending=True)
    names, _numbers = walk(Account.objects.all(), ordering)
    expected = [
        a.name for a in sorted(accounts, key=lambda a: (a.city, a.name, a.pk), reverse=True)
    ]
    assert names == expected


def test_previous_link_returns_the_page_before(accounts):
    ordering = Ordering(("name", "id"))
    first = paginate(Account.objects.all(), ordering, QueryDict(""), page_size=5)
    second = paginate(
        Account.objects.all(), ordering, QueryDict(f"page=2&after={first.after}"), page_size=5
    )
    back = paginate(
        Account.objects.all(), ordering, QueryDict(f"page=1&before={second.before}"), page_size=5
    )
    assert [a.pk for a in back.object_list] == [a.pk for a in first.object_list]
    assert back.number == 1 and not back.has_previous


def test_a_tampered_cursor_starts_the_list_over(accounts):
    ordering = Ordering(("name", "id"))
    for bad in ("!!!", "W10", "WyJ4Il0", "eyJhIjoxfQ"):
        page = paginate(Account.objects.all(), ordering, QueryDict(f"after={bad}"), page_size=5)
        assert page.object_list[0].name == "Cuenta 00"


def test_page_numbers_are_bounded(accounts, monkeypatch):
    monkeypatch.setattr(paging, "MAX_OFFSET_PAGES", 2)
    page = paginate(
        Account.objects.all(), Ordering(("name", "id")), QueryDict("page=4"), page_size=5
    )
    assert page.number == 2 and page.clamped
    assert page.object_list[0].name == "Cuenta 05"


def test_count_is_exact_up_to_the_cap_and_says_more_above(accounts, monkeypatch):
    assert capped_count(Account.objects.all(), cap=30) == (23, False)
    assert capped_count(Account.objects.all(), cap=10) == (10, True)
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    page = paginate(Account.objects.all(), Ordering(("name", "id")), QueryDict(""), page_size=5)
    assert page.count_is_capped and page.num_pages is None


def test_a_page_is_one_query_whatever_the_list_size(django_assert_num_queries):
    ordering = Ordering(("name", "id"))
    AccountFactory.create_batch(3)
    with django_assert_num_queries(1):
        small = paginate(Account.objects.all(), ordering, QueryDict(""), page_size=5)
    AccountFactory.create_batch(30)
    with django_assert_num_queries(1):
        large = paginate(Account.objects.all(), ordering, QueryDict(""), page_size=5)
    assert (small.count, large.count) == (3, 33)


def test_cursor_round_trips_typed_values(accounts):
    ordering = Ordering(("country", "name", "id"))
    token = encode_cursor(accounts[0], ordering)
    assert paging.decode_cursor(Account, token, ordering) == [
        accounts[0].country.code,
        accounts[0].name,
        accounts[0].pk,
    ]
