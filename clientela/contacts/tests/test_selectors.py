import pytest
from django.http import Http404

from clientela.contacts.selectors import (
    ContactFilters,
    contact_get_for_user,
    contact_list,
    contact_visible_to,
    contacts_of_account,
)
from clientela.contacts.tests.factories import AccountFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def names(user, **filters):
    return [c.display_name for c in contact_list(user=user, filters=ContactFilters(**filters))]


def test_search_is_accent_and_case_insensitive(user):
    ContactFactory(first_name="Begoña", last_name="Ñáñez")
    ContactFactory(first_name="Otro", last_name="Pérez")
    assert names(user, q="nanez") == ["Begoña Ñáñez"]
    assert names(user, q="BEGOÑA ÑÁÑEZ") == ["Begoña Ñáñez"]


def test_search_finds_email_phones_job_title_and_account(user):
    account = AccountFactory(name="Ferretería Chiriquí")
    ContactFactory(
        first_name="Lucía",
        last_name="Peña",
        email="lpena@ferre.com.pa",
        job_title="Jefa de Compras",
        phone="+5077751234",
        mobile="+50761239876",
        account=account,
    )
    ContactFactory(first_name="Nada", last_name="Que Ver", phone="", mobile="", job_title="")
    for query in [
        "lpena@ferre",
        "jefa compras",
        "775-1234",
        "6123-9876",
        "+507 6123 9876",
        "ferreteria chiriqui",
        account.code,
    ]:
        assert names(user, q=query) == ["Lucía Peña"], query


def test_filter_by_account_code(user):
    account = AccountFactory()
    ContactFactory(first_name="Dentro", account=account)
    ContactFactory(first_name="Fuera")
    assert names(user, account=account.code) == ["Dentro Núñez"]
    assert names(user, account=f"{account.code.lower()} · {account.name}") == ["Dentro Núñez"]


def test_filter_by_account_name_when_no_suggestion_was_picked(user):
    ContactFactory(first_name="Dentro", account=AccountFactory(name="Ferretería Chiriquí"))
    ContactFactory(first_name="Fuera", account=AccountFactory(name="Farmacia Central"))
    ContactFactory(first_name="Suelto", account=None)
    assert names(user, account="ferreteria") == ["Dentro Núñez"]


@pytest.mark.parametrize(
    ("letter", "expected"),
    [
        ("A", ["Ábrego", "Azuero"]),
        ("N", ["Ñáñez", "Nieto"]),
        ("Ñ", ["Ñáñez"]),
        ("Z", ["Zúñiga"]),
        ("#", ["3M"]),
        ("", ["3M", "Ábrego", "Azuero", "Ñáñez", "Nieto", "Zúñiga"]),
        ("bogus", ["3M", "Ábrego", "Azuero", "Ñáñez", "Nieto", "Zúñiga"]),
    ],
)
def test_letter_jump_folds_accents_and_n_includes_enye(user, letter, expected):
    for last in ["Zúñiga", "Nieto", "Ñáñez", "Azuero", "Ábrego", "3M"]:
        ContactFactory(first_name="", last_name=last)
    assert names(user, letter=letter) == expected


def test_sort_by_column_descending_and_unknown_sort_falls_back(user):
    for last in ["Beta", "Alfa", "Gamma"]:
        ContactFactory(first_name="", last_name=last)
    assert names(user, sort="-name") == ["Gamma", "Beta", "Alfa"]
    assert names(user, sort="password; DROP TABLE") == ["Alfa", "Beta", "Gamma"]


def test_sort_by_account_name(user):
    ContactFactory(first_name="", last_name="Uno", account=AccountFactory(name="Zeta"))
    ContactFactory(first_name="", last_name="Dos", account=AccountFactory(name="Alfa"))
    assert names(user, sort="account") == ["Dos", "Uno"]


def test_salesperson_sees_contacts_of_their_accounts_and_their_own_loose_ones():
    seller = UserFactory(role="sales")
    colleague = UserFactory(role="sales")
    ContactFactory(last_name="DeMiCuenta", account=AccountFactory(salesperson=seller))
    ContactFactory(last_name="DeOtraCuenta", account=AccountFactory(salesperson=colleague))
    ContactFactory(last_name="SueltoMio", account=None, created_by=seller)
    ContactFactory(last_name="SueltoAjeno", account=None, created_by=colleague)
    visible = sorted(contact_visible_to(seller).values_list("last_name", flat=True))
    assert visible == ["DeMiCuenta", "SueltoMio"]


@pytest.mark.parametrize("role", ["admin", "manager", "support", "viewer"])
def test_other_roles_see_every_contact_with_or_without_account(role):
    ContactFactory(last_name="ConCuenta")
    ContactFactory(last_name="Suelto", account=None, created_by=UserFactory(role="sales"))
    viewer = UserFactory(role=role)
    assert contact_visible_to(viewer).count() == 2


def test_inactive_salesperson_sees_nothing():
    seller = UserFactory(role="sales")
    ContactFactory(account=AccountFactory(salesperson=seller))
    ContactFactory(account=None, created_by=seller)
    seller.is_active = False
    assert contact_visible_to(seller).count() == 0


def test_get_for_user_raises_404_outside_the_scope():
    seller = UserFactory(role="sales")
    theirs = ContactFactory()
    with pytest.raises(Http404):
        contact_get_for_user(seller, theirs.pk)
    with pytest.raises(Http404):
        contact_get_for_user(seller, 999_999)


def test_panel_lists_primary_first_then_by_name():
    account = AccountFactory()
    ContactFactory(account=account, first_name="", last_name="Zapata")
    ContactFactory(account=account, first_name="", last_name="Ábrego")
    ContactFactory(account=account, first_name="", last_name="Mora", is_primary=True)
    assert [
        c.last_name for c in contacts_of_account(user=account.salesperson, account_id=account.pk)
    ] == ["Mora", "Ábrego", "Zapata"]


def test_list_query_count_does_not_grow_with_rows(user, django_assert_num_queries):
    ContactFactory.create_batch(3)
    assert user.role  # cached on the user, as it is for a request
    with django_assert_num_queries(1):
        list(contact_list(user=user, filters=ContactFilters(q="nunez")))
    ContactFactory.create_batch(20)
    with django_assert_num_queries(1):
        rows = list(contact_list(user=user, filters=ContactFilters(q="nunez")))
    assert len(rows) == 23
    assert all(row.account.name for row in rows)
