import pytest
from django.urls import reverse

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.cases.tests.factories import CaseFactory
from clientela.contacts.tests.factories import ContactFactory
from clientela.dashboard.search import code_target, search_everything
from clientela.documents.tests.factories import DocumentFactory
from clientela.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def _keys(groups):
    return {group.key: group for group in groups}


def test_one_query_finds_every_kind_of_record():
    owner = UserFactory(role="sales")
    account = AccountFactory(name="Ferretería Quetzal, S.A.", salesperson=owner)
    ContactFactory(account=account, first_name="Quetzalli", last_name="Ruiz")
    OpportunityFactory(account=account, name="Renovación Quetzal")
    CaseFactory(account=account, subject="Factura de Quetzal")
    DocumentFactory(account=account, original_name="quetzal-contrato.pdf")
    groups = _keys(search_everything(UserFactory(role="manager"), "quetzal"))
    assert set(groups) == {"accounts", "contacts", "opportunities", "cases", "documents"}
    assert groups["accounts"].items == [account]
    assert groups["accounts"].count == 1


def test_contact_mobile_found_in_any_spelling():
    contact = ContactFactory(mobile="+50761234567")
    manager = UserFactory(role="manager")
    for spelling in ("6123-4567", "+507 6123 4567", "61234567"):
        groups = _keys(search_everything(manager, spelling))
        assert contact in groups["contacts"].items, spelling


def test_account_found_by_tax_id_and_email():
    account = AccountFactory(email="compras@tucan.com.pa")
    manager = UserFactory(role="manager")
    assert _keys(search_everything(manager, account.tax_id))["accounts"].items == [account]
    assert _keys(search_everything(manager, "compras@tucan.com.pa"))["accounts"].items == [account]


def test_search_is_scoped_by_the_access_gate():
    mine = UserFactory(role="sales")
    other = UserFactory(role="sales")
    AccountFactory(name="Colibrí Uno", salesperson=mine)
    theirs = AccountFactory(name="Colibrí Dos", salesperson=other)
    CaseFactory(account=theirs, subject="Colibrí pendiente")
    groups = _keys(search_everything(mine, "colibri"))
    assert [a.name for a in groups["accounts"].items] == ["Colibrí Uno"]
    assert "cases" not in groups


def test_exact_code_jumps_to_the_record(client):
    manager = UserFactory(role="manager")
    account = AccountFactory(code="C-000158")
    case = CaseFactory(number="K-000042", account=account)
    client.force_login(manager)
    response = client.get(reverse("search"), {"q": "c-000158"})
    assert response.status_code == 302
    assert response["Location"] == account.get_absolute_url()
    response = client.get(reverse("search"), {"q": " K-000042 "})
    assert response["Location"] == case.get_absolute_url()


def test_code_of_an_invisible_record_does_not_jump():
    account = AccountFactory(code="C-000159", salesperson=UserFactory(role="sales"))
    assert code_target(UserFactory(role="sales"), account.code) is None


def test_search_page_groups_results_and_links_to_lists(client):
    AccountFactory(name="Guacamaya Azul")
    client.force_login(UserFactory(role="viewer"))
    response = client.get(reverse("search"), {"q": "guacamaya"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Guacamaya Azul" in body
    assert 'id="group-accounts"' in body


def test_search_page_says_when_nothing_is_found(client):
    client.force_login(UserFactory(role="manager"))
    response = client.get(reverse("search"), {"q": "zzzzqqq"})
    assert response.status_code == 200
    assert "zzzzqqq" in response.content.decode()


def test_search_page_queries_are_few(client, django_assert_max_num_queries):
    manager = UserFactory(role="manager")
    for n in range(8):
        account = AccountFactory(name=f"Tortuga {n}")
        ContactFactory(account=account, first_name="Tortuga")
        OpportunityFactory(account=account, name=f"Tortuga {n}")
        CaseFactory(account=account, subject=f"Tortuga {n}")
    client.force_login(manager)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("search"), {"q": "tortuga"})
    assert response.status_code == 200
