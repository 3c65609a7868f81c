"""The pending queue: what it holds, in which order, and its filters and counts."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from clientela.cases.models import Case
from clientela.cases.selectors import (
    CaseFilters,
    account_case_panel,
    case_get_for_user,
    case_queue,
    case_queue_counts,
)
from clientela.cases.tests.factories import (
    AccountFactory,
    CaseFactory,
    ContactFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def numbers(queryset):
    return [case.number for case in queryset]


@pytest.fixture
def support():
    return UserFactory(role="support")


def test_queue_orders_overdue_first_then_priority_then_age(support):
    # Overdue: opened long enough ago that the response time has passed.
    CaseFactory(number="K-OVER-LOW-OLD", priority="low", opened_at=ago(days=10))
    CaseFactory(number="K-OVER-NORMAL", priority="normal", opened_at=ago(days=4))
    CaseFactory(number="K-OVER-URGENT", priority="urgent", opened_at=ago(hours=5))
    # On time.
    CaseFactory(number="K-LOW-OLD", priority="low", opened_at=ago(days=2))
    CaseFactory(number="K-URGENT", priority="urgent", opened_at=ago(hours=1))
    CaseFactory(number="K-HIGH-OLD", priority="high", opened_at=ago(hours=20))
    CaseFactory(number="K-HIGH-NEW", priority="high", opened_at=ago(hours=2))
    CaseFactory(number="K-NORMAL", priority="normal", opened_at=ago(hours=3))
    assert numbers(case_queue(user=support, filters=CaseFilters())) == [
        "K-OVER-URGENT",
        "K-OVER-NORMAL",
        "K-OVER-LOW-OLD",
        "K-URGENT",
        "K-HIGH-OLD",
        "K-HIGH-NEW",
        "K-NORMAL",
        "K-LOW-OLD",
    ]


def test_queue_holds_only_unresolved_cases(support):
    for status in Case.Status.values:
        CaseFactory(number=f"K-{status}", status=status)
    queued = set(numbers(case_queue(user=support, filters=CaseFilters())))
    assert queued == {"K-new", "K-in_progress", "K-waiting_customer"}


def test_status_filter_can_show_resolved_or_closed_cases(support):
    CaseFactory(number="K-R", status="resolved")
    CaseFactory(number="K-N", status="new")
    assert numbers(case_queue(user=support, filters=CaseFilters(status="resolved"))) == ["K-R"]
    assert numbers(case_queue(user=support, filters=CaseFilters(status="new"))) == ["K-N"]


def test_scopes_mine_unassigned_all_and_their_counts(support):
    other = UserFactory(role="support")
    CaseFactory(number="K-MINE", assignee=support, status="in_progress")
    CaseFactory(number="K-THEIRS", assignee=other, status="in_progress")
    CaseFactory(number="K-NOBODY")
    CaseFactory(number="K-OVERDUE", opened_at=ago(days=5))
    CaseFactory(number="K-DONE", assignee=support, status="closed")

    def scope(name):
        return set(numbers(case_queue(user=support, filters=CaseFilters(scope=name))))

    assert scope("mine") == {"K-MINE"}
    assert scope("unassigned") == {"K-NOBODY", "K-OVERDUE"}
    assert scope("all") == {"K-MINE", "K-THEIRS", "K-NOBODY", "K-OVERDUE"}
    counts = case_queue_counts(user=support, filters=CaseFilters())
    assert counts == {
        "all": 4,
        "mine": 1,
        "unassigned": 2,
        "overdue": 1,
        "all_capped": 0,
        "mine_capped": 0,
        "unassigned_capped": 0,
        "overdue_capped": 0,
    }
    # The overdue count is the current scope's.
    assert case_queue_counts(user=support, filters=CaseFilters(scope="mine"))["overdue"] == 0


def test_counts_are_one_query(support, django_assert_num_queries):
    CaseFactory.create_batch(3)
    assert support.role  # the user's role is looked up once per request, not per count
    with django_assert_num_queries(1):
        case_queue_counts(user=support, filters=CaseFilters(priority="high", q="x"))


def test_counts_follow_the_other_filters(support):
    CaseFactory(priority="urgent", assignee=support, status="in_progress")
    CaseFactory(priority="low")
    counts = case_queue_counts(user=support, filters=CaseFilters(priority="urgent"))
    assert counts["all"] == 1 and counts["mine"] == 1 and counts["unassigned"] == 0


def test_priority_and_account_filters(support):
    account = AccountFactory()
    CaseFactory(number="K-A-HIGH", account=account, priority="high")
    CaseFactory(number="K-A-LOW", account=account, priority="low")
    CaseFactory(number="K-B-HIGH", priority="high")
    assert set(numbers(case_queue(user=support, filters=CaseFilters(priority="high")))) == {
        "K-A-HIGH",
        "K-B-HIGH",
    }
    by_account = CaseFilters(account=account.code, priority="high")
    assert numbers(case_queue(user=support, filters=by_account)) == ["K-A-HIGH"]


@pytest.mark.parametrize(
    "query", ["k-000777", "factura electronica", "panama", "begona", "account-code"]
)
def test_search_by_number_subject_account_and_contact_without_accents(support, query):
    from clientela.cases import services

    account = AccountFactory(name="Distribuidora Panamá, S.A.")
    contact = ContactFactory(account=account, first_name="Begoña", last_name="Ríos")
    case = services.case_create(
        user=support,
        data={"account": account, "contact": contact, "subject": "Factura electrónica"},
    ).record
    Case.objects.filter(pk=case.pk).update(number="K-000777")
    case.refresh_from_db()
    case.save()
    CaseFactory(subject="Otra cosa", account=AccountFactory(name="Ajena"))
    query = account.code if query == "account-code" else query
    assert numbers(case_queue(user=support, filters=CaseFilters(q=query))) == ["K-000777"]


def test_salesperson_sees_only_cases_of_own_accounts():
    seller = UserFactory(role="sales")
    CaseFactory(number="K-OWN", account=AccountFactory(salesperson=seller))
    foreign = CaseFactory(number="K-FOREIGN")
    assert numbers(case_queue(user=seller, filters=CaseFilters())) == ["K-OWN"]
    assert case_queue_counts(user=seller, filters=CaseFilters())["all"] == 1
    with pytest.raises(Http404):
        case_get_for_user(seller, foreign.number)


def test_viewer_sees_every_case():
    CaseFactory(number="K-1")
    assert numbers(case_queue(user=UserFactory(role="viewer"), filters=CaseFilters())) == ["K-1"]


def test_panel_splits_open_and_done_cases(django_assert_num_queries):
    account = AccountFactory()
    CaseFactory(number="K-OPEN", account=account, status="in_progress")
    CaseFactory(number="K-LATE", account=account, opened_at=ago(days=6))
    CaseFactory(number="K-DONE", account=account, status="resolved")
    CaseFactory(number="K-ELSEWHERE")
    seller = account.salesperson
    assert seller.role is not None  # loaded once per request, before any panel
    # One query: an account with few cases has them ordered and counted in Python.
    with django_assert_num_queries(1):
        panel = account_case_panel(user=seller, account=account)
    assert numbers(panel["open_cases"]) == ["K-LATE", "K-OPEN"]
    assert numbers(panel["done_cases"]) == ["K-DONE"]
    assert panel["open_count"] == 2 and panel["done_count"] == 1
