import importlib

import pytest
from django.apps import apps

from clientela.catalogs.ciiu_data import DIVISIONS, SECTIONS
from clientela.catalogs.models import CustomerType, EconomicActivity

pytestmark = pytest.mark.django_db

migration = importlib.import_module("clientela.catalogs.migrations.0002_default_catalogs")


def test_ciiu_ships_all_sections_and_divisions_in_spanish():
    assert len(SECTIONS) == 21 and len(DIVISIONS) == 88
    migration.load(apps, None)
    assert EconomicActivity.objects.filter(section__isnull=True).count() == 21
    division = EconomicActivity.objects.get(code="62")
    assert division.section.code == "J"
    assert division.name.startswith("Programación informática")


def test_loading_catalogs_twice_changes_nothing():
    migration.load(apps, None)
    before = EconomicActivity.objects.count(), CustomerType.objects.count()
    migration.load(apps, None)
    assert (EconomicActivity.objects.count(), CustomerType.objects.count()) == before


def test_default_customer_types_are_spanish():
    migration.load(apps, None)
    names = set(CustomerType.objects.values_list("name", flat=True))
    assert {"Corporativo", "PyME", "Gobierno", "Consumidor final"} <= names


@pytest.mark.django_db(transaction=True)
def test_reference_data_comes_back_after_a_flush():
    from django.core.management import call_command

    from clientela.core.models import Sequence

    call_command("flush", interactive=False, verbosity=0)
    assert CustomerType.objects.filter(code="CORP").exists()
    assert EconomicActivity.objects.filter(code="62").exists()
    assert set(Sequence.objects.values_list("name", flat=True)) >= {"account", "case"}


def test_an_emptied_catalog_is_not_refilled_while_others_have_data():
    from clientela.catalogs.apps import _restore_defaults

    migration.load(apps, None)
    CustomerType.objects.filter(code="GOB").delete()
    _restore_defaults(sender=None)
    assert not CustomerType.objects.filter(code="GOB").exists()
