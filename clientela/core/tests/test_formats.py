import datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from clientela.core.templatetags.clientela import money, phone


def render(source: str, **context) -> str:
    return Template("{% load clientela %}" + source).render(Context(context))


def test_money_uses_panama_format_in_spanish_not_a_decimal_comma():
    with translation.override("es"):
        assert money(Decimal("1234.5"), "USD") == "USD 1,234.50"
        assert money(Decimal("1234567.891"), "USD") == "USD 1,234,567.89"


def test_money_is_the_same_in_english():
    with translation.override("en"):
        assert money(Decimal("1234.5"), "USD") == "USD 1,234.50"


def test_money_of_nothing_is_empty():
    assert money(None) == ""


def test_dates_are_day_first_in_both_languages():
    for language in ["es", "en"]:
        with translation.override(language):
            assert (
                render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=datetime.date(2026, 3, 7))
                == "07/03/2026"
            )


def test_numbers_group_with_commas_in_spanish():
    with translation.override("es"):
        assert render("{% load humanize %}{{ n|intcomma }}", n=1234567) == "1,234,567"


def test_plain_numbers_in_templates_are_never_grouped():
    # Hidden version inputs and ids in URLs must survive a round trip through a form.
    with translation.override("es"):
        assert render("{{ n }}", n=12345) == "12345"


def test_phone_is_national_for_panama_and_international_elsewhere():
    assert phone("+50761234567") == "6123-4567"
    assert phone("+5716012345").startswith("+57 ")
    assert phone("") == ""
    assert phone("not a phone") == "not a phone"
