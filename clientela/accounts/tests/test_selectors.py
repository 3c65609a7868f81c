import pytest
from django.http import Http404

from clientela.accounts.models import Account
from clientela.accounts.selectors import AccountFilters, account_get_for_user, account_list
from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory

pytestmark = pytest.mark.django_db


def names(user, **filters):
    return [a.name for a in account_list(user=user, filters=AccountFilters(**filters))]


def test_search_is_accent_and_case_insensitive(user):
    AccountFactory(name="Construcciones Panamá Norte")
    AccountFactory(name="Otra Cosa")
    assert names(user, q="panama") == ["Construcciones Panamá Norte"]
    assert names(user, q="PANAMÁ norte") == ["Construcciones Panamá Norte"]


def test_search_finds_code_tax_id_email_phone_and_contact(user):
    account = AccountFactory(
        name="Ferretería Chiriquí",
        contact_name="Begoña Ñáñez",
        email="compras@ferre.com.pa",
        phone="+50761234567",
    )
    AccountFactory(name="Nada que ver")
    for query in [
        account.code,
        account.tax_id,
        "compras@ferre",
        "6123-4567",
        "+507 6123 4567",
        "nanez",
    ]:
        assert names(user, q=query) == ["Ferretería Chiriquí"], query


def test_inactive_accounts_are_hidden_unless_filtered(user):
    AccountFactory(name="Activa")
    AccountFactory(name="Dormida", status=Account.Status.INACTIVE)
    assert names(user) == ["Activa"]
    assert names(user, status="inactive") == ["Dormida"]
    assert sorted(names(user, status="all")) == ["Activa", "Dormida"]


def test_filters_combine(user):
    seller = UserFactory(username="ana.gomez")
    pyme = CustomerTypeFactory(code="PYME", name="PyME")
    AccountFactory(name="Objetivo", salesperson=seller, customer_type=pyme, is_supplier=True)
    AccountFactory(name="Otro vendedor", customer_type=pyme, is_supplier=True)
    AccountFactory(name="Otro tipo", salesperson=seller, is_supplier=True)
    AccountFactory(name="No proveedor", salesperson=seller, customer_type=pyme)
    result = names(user, salesperson="ana.gomez", customer_type="PYME", is_supplier=True)
    assert result == ["Objetivo"]


def test_sort_by_column_descending(user):
    for name in ["Beta", "Alfa", "Gamma"]:
        AccountFactory(name=name)
    assert names(user, sort="-name") == ["Gamma", "Beta", "Alfa"]


def test_unknown_sort_falls_back_to_name(user):
    for name in ["Beta", "Alfa"]:
        AccountFactory(name=name)
    assert names(user, sort="password; DROP TABLE") == ["Alfa", "Beta"]


def test_get_for_user_raises_404_for_unknown_code(user):
    with pytest.raises(Http404):
        account_get_for_user(user, "C-999999")


def test_inactive_user_sees_nothing(user):
    account = AccountFactory()
    user.is_active = False
    with pytest.raises(Http404):
        account_get_for_user(user, account.code)
