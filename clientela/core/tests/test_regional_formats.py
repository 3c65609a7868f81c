"""Regional formats (issue 15): every region of CLIENTELA_REGION renders numbers and dates as
its people write them, in Spanish and in English."""

import datetime
import importlib
from decimal import Decimal

import pytest
from babel import Locale
from django import forms
from django.template import Context, Template
from django.test import override_settings
from django.utils import formats, translation

from clientela.core.formats.regions import LANGUAGES, REGIONS, module_constants
from clientela.core.templatetags.clientela import money
from clientela.core.tests.test_settings import run_manage


@pytest.fixture
def region(request):
    code = request.param
    with override_settings(FORMAT_MODULE_PATH=[f"clientela.core.formats.{code.lower()}"]):
        formats.reset_format_cache()
        yield code
    formats.reset_format_cache()


# What a million and a quarter looks like in each region (CLDR's separators).
AMOUNTS = {
    "PA": "1,234,567.89",
    "MX": "1,234,567.89",
    "GT": "1,234,567.89",
    "SV": "1,234,567.89",
    "HN": "1,234,567.89",
    "NI": "1,234,567.89",
    "DO": "1,234,567.89",
    "PE": "1,234,567.89",
    "CO": "1.234.567,89",
    "EC": "1.234.567,89",
    "CL": "1.234.567,89",
    "AR": "1.234.567,89",
    "UY": "1.234.567,89",
    "PY": "1.234.567,89",
    "BO": "1.234.567,89",
    "VE": "1.234.567,89",
    "CR": "1\xa0234\xa0567,89",
}


def test_every_region_of_the_issue_has_a_format_table():
    assert set(AMOUNTS) == set(REGIONS)


@pytest.mark.parametrize("region", sorted(REGIONS), indirect=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_money_uses_the_region_separators_in_both_languages(region, language):
    with translation.override(language):
        assert money(Decimal("1234567.891"), "USD") == f"USD {AMOUNTS[region]}"


@pytest.mark.parametrize("region", sorted(REGIONS), indirect=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_are_shown_and_typed_day_first_in_every_region(region, language):
    with translation.override(language):
        shown = Template('{{ d|date:"SHORT_DATE_FORMAT" }} {{ d|date }}').render(
            Context({"d": datetime.date(2026, 3, 7)})
        )
        assert shown == "07/03/2026 07/03/2026"
        field = forms.DateField()
        assert field.clean("07/03/2026") == datetime.date(2026, 3, 7)
        assert field.clean("2026-03-07") == datetime.date(2026, 3, 7)  # a native date input


@pytest.mark.parametrize("region", sorted(REGIONS), indirect=True)
def test_decimal_inputs_read_the_region_separator(region):
    with translation.override("es"):
        field = forms.DecimalField(localize=True)
        decimal = formats.get_format("DECIMAL_SEPARATOR")
        assert field.clean(f"1234{decimal}5") == Decimal("1234.5")


@pytest.mark.parametrize("code", sorted(REGIONS))
def test_separators_and_first_day_agree_with_cldr(code):
    # babel ships CLDR: its first_week_day counts from Monday = 0, Django's from Sunday = 0.
    cldr = Locale.parse(f"es_{code}")
    symbols = cldr.number_symbols["latn"]
    spec = REGIONS[code]
    assert (spec.decimal_separator, spec.thousand_separator) == (
        symbols["decimal"],
        symbols["group"],
    )
    assert spec.first_day_of_week == (cldr.first_week_day + 1) % 7


@pytest.mark.parametrize("code", sorted(REGIONS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_region_module_is_built_from_the_table(code, language):
    module = importlib.import_module(f"clientela.core.formats.{code.lower()}.{language}.formats")
    for name, value in module_constants(code, language).items():
        assert getattr(module, name) == value


def test_panama_keeps_its_formats():
    constants = module_constants("PA", "es")
    assert (constants["DECIMAL_SEPARATOR"], constants["THOUSAND_SEPARATOR"]) == (".", ",")
    assert constants["DATE_INPUT_FORMATS"][0] == "%d/%m/%Y"
    assert constants["MONTH_DAY_FORMAT"] == "j \\d\\e F"
    assert module_constants("PA", "en")["MONTH_DAY_FORMAT"] == "F j"


def test_another_region_starts_the_app():
    result = run_manage("check", CLIENTELA_REGION="co", CLIENTELA_TESTING="1")
    assert result.returncode == 0, result.stderr


def test_an_unknown_region_stops_the_app_naming_the_known_ones():
    result = run_manage("check", CLIENTELA_REGION="XX", CLIENTELA_TESTING="1")
    assert result.returncode != 0
    assert "CLIENTELA_REGION 'XX' is not one of AR, BO, CL" in result.stderr
