"""Demo cases: every status and priority, some overdue, with comments; valid and fast."""

import random

import pytest
from django.db import transaction
from django.utils import timezone

from clientela.accounts.models import Account
from clientela.cases.demo import seed_cases
from clientela.cases.models import OPEN_STATUSES, Case, CaseComment
from clientela.cases.tests.factories import AccountFactory, ContactFactory, UserFactory
from clientela.core.models import Sequence

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts():
    UserFactory(username="soporte", role="support")
    UserFactory(username="gerente", role="manager")
    created = AccountFactory.create_batch(150)
    for account in created[:40]:
        ContactFactory(account=account)
    return Account.objects.filter(pk__in=[a.pk for a in created])


def seed(accounts, seed=1):
    with transaction.atomic():
        return seed_cases(accounts, random.Random(seed))


def test_seeded_cases_cover_every_status_and_priority_with_comments(accounts):
    created = seed(accounts)
    assert created == Case.objects.count() > 50
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)
    assert set(Case.objects.values_list("priority", flat=True)) == set(Case.Priority.values)
    overdue = Case.objects.filter(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
    assert 0 < overdue.count() < Case.objects.filter(status__in=OPEN_STATUSES).count()
    assert CaseComment.objects.exists()
    assert Case.objects.filter(contact__isnull=False).exists()
    assert Case.objects.filter(assignee__isnull=True, status="new").exists()


def test_seeded_cases_pass_validation_and_are_searchable(accounts):
    seed(accounts)
    for case in Case.objects.select_related("account", "contact")[:60]:
        case.full_clean()
        assert case.search_text == case.build_search_text()
        assert case.created_at == case.opened_at
        if case.contact_id:
            assert case.contact.account_id == case.account_id
        # Whoever holds a case may work it.
        if case.assignee_id:
            from clientela.core.access import may

            assert may(case.assignee, "change", case)
    for comment in CaseComment.objects.select_related("case")[:60]:
        assert comment.case.opened_at <= comment.created_at


def test_numbers_are_reserved_in_one_go_and_continue_the_sequence(accounts):
    created = seed(accounts)
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert numbers[0] == "K-000001" and numbers[-1] == f"K-{created:06d}"
    assert Sequence.objects.get(name="case").last_value == created


def test_same_seed_gives_the_same_cases(accounts):
    seed(accounts, seed=5)
    first = list(Case.objects.order_by("number").values_list("subject", "status", "priority"))
    CaseComment.objects.all().delete()
    Case.objects.all().delete()
    seed(accounts, seed=5)
    again = list(Case.objects.order_by("number").values_list("subject", "status", "priority"))
    assert again == first


def test_seeding_makes_no_query_per_account(accounts, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        seed(accounts)


def test_no_accounts_no_cases():
    assert seed(Account.objects.none()) == 0
