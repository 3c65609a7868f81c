"""Catalog entries have English names too, shown when the interface is in English (issue 15);
history keeps the installation's language whoever saves."""

import re

import pytest
from django.utils import translation

from clientela.accounts import services
from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.catalogs.ciiu_data import DIVISIONS, SECTIONS
from clientela.catalogs.models import CustomerType, EconomicActivity, LedgerAccount, PriceList

pytestmark = pytest.mark.django_db


def test_every_default_entry_has_an_english_name():
    for model in (CustomerType, EconomicActivity, LedgerAccount, PriceList):
        assert model.objects.exists()
        assert not model.objects.filter(name_en="").exists(), model
    assert EconomicActivity.objects.count() == len(SECTIONS) + len(DIVISIONS)


def test_names_follow_the_active_language():
    corporate = CustomerType.objects.get(code="CORP")
    software = EconomicActivity.objects.get(code="62")
    with translation.override("es"):
        assert (str(corporate), str(software)) == (
            "Corporativo",
            "62 · Programación informática, consultoría de informática y actividades conexas",
        )
    with translation.override("en"):
        assert (str(corporate), str(software)) == (
            "Corporate",
            "62 · Computer programming, consultancy and related activities",
        )


def test_an_entry_without_english_name_shows_its_name():
    own = CustomerType.objects.create(code="VIP", name="Cliente preferente")
    with translation.override("en"):
        assert str(own) == "Cliente preferente"


def test_pages_show_catalog_names_in_english(client):
    user = UserFactory()
    account = AccountFactory(salesperson=user, customer_type=CustomerType.objects.get(code="CORP"))
    client.force_login(user)
    client.cookies["django_language"] = "en"
    profile = client.get(account.get_absolute_url()).content.decode()
    listing = client.get("/accounts/").content.decode()
    form = client.get(f"/accounts/{account.code}/edit/").content.decode()
    assert "Corporate" in profile and "Corporativo" not in profile
    assert re.search(r"<td[^>]*>Corporate</td>", listing)
    assert ">Corporate</option>" in form
    assert ">Wholesale</option>" in form


def test_history_keeps_names_in_the_installations_language():
    user = UserFactory()
    account = AccountFactory(salesperson=user)
    with translation.override("en"):
        saved = services.account_update(
            user=user,
            account=account,
            data={"customer_type": CustomerType.objects.get(code="GOB")},
            version=1,
        )
    assert saved.changes["customer_type"][1] == "Gobierno"
