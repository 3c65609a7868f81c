"""What keeps the account pages fast at a million rows: a fixed number of queries, sorts
on the account's own columns, counts kept by the database, indexed fast paths."""

import pytest
from django.http import QueryDict

from clientela.accounts import services
from clientela.accounts.models import Account, AccountStatusCount
from clientela.accounts.selectors import (
    AccountFilters,
    account_counts_by_status,
    account_list,
    account_page,
)
from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory
from clientela.cases.tests.factories import CaseFactory
from clientela.contacts.tests.factories import ContactFactory
from clientela.core import paging
from clientela.opportunities.tests.factories import OpportunityFactory
from clientela.users.models import User

pytestmark = pytest.mark.django_db


def names(user, **filters):
    return [a.name for a in account_list(user=user, filters=AccountFilters(**filters))]


def tally() -> dict[tuple[int, str], int]:
    return {(c.salesperson_id, c.status): c.n for c in AccountStatusCount.objects.all() if c.n}


def test_account_list_page_runs_the_same_few_queries_for_5_or_60_accounts(
    client, django_assert_max_num_queries
):
    manager = UserFactory(role="manager")
    client.force_login(manager)
    AccountFactory.create_batch(5)
    with django_assert_max_num_queries(6) as few:
        assert client.get("/accounts/").status_code == 200
    AccountFactory.create_batch(55)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/accounts/?sort=customer_type")
    assert response.status_code == 200


def test_salesperson_list_is_scoped_and_as_cheap(client, django_assert_max_num_queries):
    seller = UserFactory(role="sales")
    AccountFactory.create_batch(3, salesperson=seller)
    AccountFactory.create_batch(3)
    client.force_login(seller)
    with django_assert_max_num_queries(6):
        response = client.get("/accounts/")
    assert response.content.decode().count('class="nowrap code"') == 3


def test_sorts_through_relations_use_the_copied_names_and_follow_renames(user):
    zeta = CustomerTypeFactory(code="ZZ", name="Zeta")
    alfa = CustomerTypeFactory(code="AA", name="Alfa")
    AccountFactory(name="Primera", customer_type=zeta)
    AccountFactory(name="Segunda", customer_type=alfa)
    assert names(user, sort="customer_type") == ["Segunda", "Primera"]
    zeta.name = "Aaa"
    zeta.save()
    assert Account.objects.get(name="Primera").customer_type_name == "Aaa"
    assert names(user, sort="customer_type") == ["Primera", "Segunda"]


def test_salesperson_sort_follows_a_renamed_user_but_not_a_login(user):
    bea, ana = UserFactory(first_name="Bea", last_name="Ruiz"), UserFactory(first_name="Ana")
    AccountFactory(name="De Bea", salesperson=bea)
    AccountFactory(name="De Ana", salesperson=ana)
    assert names(user, sort="salesperson") == ["De Ana", "De Bea"]
    bea.first_name = "Aaron"
    bea.save()
    assert names(user, sort="salesperson") == ["De Bea", "De Ana"]
    Account.objects.update(salesperson_name="stale")
    ana.save(update_fields=["last_login"])  # what a login saves: no refresh, no query
    assert set(Account.objects.values_list("salesperson_name", flat=True)) == {"stale"}


def test_status_counts_are_kept_by_the_database(user):
    seller, other = UserFactory(), UserFactory()
    account = AccountFactory(salesperson=seller)
    AccountFactory(salesperson=seller, status=Account.Status.SUSPENDED)
    assert tally() == {(seller.pk, "active"): 1, (seller.pk, "suspended"): 1}
    Account.objects.filter(pk=account.pk).update(status="inactive", salesperson=other)
    assert tally() == {(other.pk, "inactive"): 1, (seller.pk, "suspended"): 1}
    Account.objects.filter(pk=account.pk).delete()
    assert tally() == {(seller.pk, "suspended"): 1}


def test_home_counts_read_the_kept_counts_scoped_to_the_user(django_assert_num_queries):
    seller, manager = UserFactory(role="sales"), UserFactory(role="manager")
    AccountFactory.create_batch(2, salesperson=seller)
    AccountFactory(status=Account.Status.RESTRICTED)
    assert account_counts_by_status(manager) == {"active": 2, "restricted": 1}
    newcomer = UserFactory(role="sales")
    with django_assert_num_queries(2):  # the user's role, then the counts
        assert account_counts_by_status(newcomer) == {}
    assert account_counts_by_status(seller) == {"active": 2}
    roleless = UserFactory()
    roleless.groups.clear()
    assert account_counts_by_status(User.objects.get(pk=roleless.pk)) == {}


@pytest.mark.parametrize("field", ["code", "email", "tax_id"])
def test_a_whole_code_email_or_tax_id_takes_the_indexed_fast_path(user, field):
    account = AccountFactory(email="ventas@quetzal.com.pa")
    AccountFactory(email="otra@quetzal.com.pa")
    value = getattr(account, field)
    page = account_page(user=user, filters=AccountFilters(q=value), params=QueryDict(""))
    assert [a.pk for a in page.object_list] == [account.pk]


def test_a_search_with_too_many_matches_says_more_than(client, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    monkeypatch.setattr("clientela.accounts.selectors.COUNT_CAP", 3)
    client.force_login(UserFactory(role="manager"))
    AccountFactory.create_batch(5, contact_name="Ana Comercial")
    html = client.get("/accounts/?q=comercial").content.decode()
    assert "Más de 3 cuentas" in html
    assert html.count('class="nowrap code"') == 3


def test_a_search_with_few_matches_gives_the_exact_count(client):
    client.force_login(UserFactory(role="manager"))
    AccountFactory.create_batch(2, contact_name="Ana Comercial")
    AccountFactory(contact_name="Otra Persona")
    assert "2 cuentas" in client.get("/accounts/?q=comercial").content.decode()


def test_profile_with_every_panel_filled_stays_within_ten_queries(
    client, django_assert_max_num_queries
):
    from clientela.activities.tests.factories import ActivityFactory

    manager = UserFactory(role="manager")
    account = AccountFactory()
    ContactFactory.create_batch(3, account=account)
    OpportunityFactory.create_batch(3, account=account)
    CaseFactory.create_batch(2, account=account)
    ActivityFactory.create_batch(3, account=account)
    services.account_update(user=manager, account=account, data={"city": "Boquete"}, version=1)
    client.force_login(manager)
    # The Actividades panel loads itself by htmx: the profile stays at ten (issue 12).
    with django_assert_max_num_queries(10):
        response = client.get(f"/accounts/{account.code}/")
    assert response.status_code == 200


def test_api_search_sorts_only_capped_candidates_and_says_so(client, monkeypatch):
    monkeypatch.setattr("clientela.accounts.selectors.COUNT_CAP", 3)
    client.force_login(UserFactory(role="manager"))
    AccountFactory.create_batch(5, contact_name="Ana Comercial")
    data = client.get("/api/v1/accounts", {"q": "comercial"}).json()
    assert data["count"] == 3 and data["count_is_capped"] is True
    assert len(data["items"]) == 3
    names = [item["name"] for item in data["items"]]
    assert names == sorted(names)


def test_api_list_count_is_exact_below_the_cap(client):
    client.force_login(UserFactory(role="manager"))
    AccountFactory.create_batch(4)
    data = client.get("/api/v1/accounts").json()
    assert (data["count"], data["count_is_capped"]) == (4, False)
