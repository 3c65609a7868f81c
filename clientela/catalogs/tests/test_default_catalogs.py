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
