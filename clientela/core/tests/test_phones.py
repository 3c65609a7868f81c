"""Phones (issue 15): read in the customer's country, extensions kept, shown nationally to the
viewer's region and internationally elsewhere, with tel: and WhatsApp links."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation
from phonenumber_field.phonenumber import PhoneNumber

from clientela.core.phones import (
    RegionPhoneField,
    RegionPhoneFormMixin,
    format_phone,
    is_mobile,
    parse_phone,
    storage_value,
    tel_uri,
    whatsapp_url,
)
from clientela.core.templatetags.clientela import phone, phone_link, whatsapp_link

# (region, as people there type it, E.164, a mobile?)
TYPED = [
    ("CO", "300 123 4567", "+573001234567", True),
    ("CO", "(601) 234 5678", "+576012345678", False),
    ("MX", "55 1234 5678", "+525512345678", True),
    ("MX", "33 1234 5678", "+523312345678", True),
    ("CR", "8312 3456", "+50683123456", True),
    ("CR", "2222-3333", "+50622223333", False),
    ("GT", "5123 4567", "+50251234567", True),
    ("DO", "(809) 234-5678", "+18092345678", True),
    ("AR", "011 15-2345-6789", "+5491123456789", True),
    ("AR", "9 11 2345-6789", "+5491123456789", True),
    ("PA", "6123-4567", "+50761234567", True),
    ("PA", "263-4567", "+5072634567", False),
    ("PA", "+57 300 123 4567", "+573001234567", True),  # a country code wins over the region
]


@pytest.mark.parametrize(("region", "typed", "e164", "mobile"), TYPED)
def test_number_typed_as_its_country_writes_it_is_read_in_that_region(region, typed, e164, mobile):
    number = parse_phone(typed, region)
    assert isinstance(number, PhoneNumber)
    assert number.as_e164 == e164
    assert is_mobile(number) == mobile


def test_colombian_mobile_is_refused_when_read_as_panamanian():
    with pytest.raises(ValidationError) as exc:
        parse_phone("300 123 4567", "PA")
    assert exc.value.code == "invalid_phone"


@pytest.mark.parametrize("suffix", ["ext 12", "x12", "ext. 12", "anexo 12", "extensión 12"])
def test_extensions_are_kept(suffix):
    number = parse_phone(f"263-4567 {suffix}", "PA")
    assert number.extension == "12"
    assert format_phone(number, "PA") == "263-4567 ext. 12"
    assert tel_uri(number) == "tel:+507-263-4567;ext=12"
    assert storage_value(number) == "+5072634567;ext=12"
    assert parse_phone(storage_value(number), "CO").extension == "12"


@pytest.mark.parametrize(
    "typed", ["", "   ", "abc", "123", "6123-45678-999", "+999 1234", "1" * 70]
)
def test_what_is_not_a_phone_is_refused_with_a_translated_example(typed):
    with translation.override("es"), pytest.raises(ValidationError) as exc:
        parse_phone(typed, "CO")
    with translation.override("es"):
        assert exc.value.messages == [
            "Ingrese un número de teléfono válido de Colombia (por ejemplo 321 1234567) "
            "o empiece con +."
        ]


@pytest.mark.parametrize(
    ("number", "viewer", "shown"),
    [
        ("+50761234567", "PA", "6123-4567"),
        ("+50761234567", "CO", "+507 6123-4567"),
        ("+573001234567", "CO", "300 1234567"),
        ("+573001234567", "PA", "+57 300 1234567"),
        ("+525512345678", "MX", "55 1234 5678"),
        ("+18092345678", "DO", "(809) 234-5678"),
        ("+18092345678", "PA", "+1 809-234-5678"),
    ],
)
def test_numbers_are_national_for_the_viewer_region_and_international_elsewhere(
    number, viewer, shown
):
    assert format_phone(number, viewer) == shown


def test_viewer_region_is_the_installation_region():
    with override_settings(CLIENTELA_REGION="CO"):
        assert phone("+573001234567") == "300 1234567"
        assert phone("+50761234567") == "+507 6123-4567"
    assert phone("+50761234567") == "6123-4567"


def test_phone_filter_leaves_what_is_not_a_number_alone():
    assert phone("") == ""
    assert phone(None) == ""
    assert phone("not a phone") == "not a phone"
    assert phone("+573001234567", "CO") == "300 1234567"


def test_whatsapp_link_only_for_mobiles():
    assert whatsapp_url("+573001234567") == "https://wa.me/573001234567"
    assert whatsapp_url("+50761234567") == "https://wa.me/50761234567"
    assert whatsapp_url("+5072634567") == ""  # a Panamanian landline
    assert whatsapp_url("") == ""
    assert whatsapp_url("garbage") == ""


def test_phone_link_and_whatsapp_link_are_escaped_html():
    assert phone_link("+50761234567") == '<a href="tel:+507-6123-4567">6123-4567</a>'
    assert phone_link("<b>") == "<b>"  # not a number: returned as text, escaped by the template
    with translation.override("es"):
        assert whatsapp_link("+50761234567") == (
            '<a href="https://wa.me/50761234567" target="_blank" rel="noopener noreferrer" '
            'class="whatsapp">WhatsApp</a>'
        )
    assert whatsapp_link("+5072634567") == ""


def test_phone_partial_shows_call_and_chat_links():
    html = Template('{% include "partials/phone.html" with number=n %}').render(
        Context({"n": "+50761234567"})
    )
    assert 'href="tel:+507-6123-4567"' in html
    assert 'href="https://wa.me/50761234567"' in html
    landline = Template('{% include "partials/phone.html" with number=n %}').render(
        Context({"n": "+5072634567"})
    )
    assert "wa.me" not in landline
    assert "<b>" not in Template('{% include "partials/phone.html" with number=n %}').render(
        Context({"n": "<b>"})
    )


# ── The form field ───────────────────────────────────────────────────────────────────────────────


class AccountLikeForm(RegionPhoneFormMixin, forms.Form):
    country = forms.CharField()
    phone = RegionPhoneField(region="country")
    mobile = RegionPhoneField(region="country", required=False)


class ContactLikeForm(RegionPhoneFormMixin, forms.Form):
    phone = RegionPhoneField(region=lambda form: form.account_country, required=False)

    def __init__(self, *args, account_country="", **kwargs):
        self.account_country = account_country
        super().__init__(*args, **kwargs)


def test_field_reads_the_number_in_the_country_typed_in_the_same_form():
    form = AccountLikeForm({"country": "CO", "phone": "300 123 4567", "mobile": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"].as_e164 == "+573001234567"
    assert form.cleaned_data["mobile"] == ""


def test_field_refuses_the_number_of_another_country_without_its_code():
    form = AccountLikeForm({"country": "PA", "phone": "300 123 4567"})
    assert not form.is_valid()
    assert form.errors["phone"][0].startswith("Ingrese un número de teléfono válido de Panamá")


def test_field_takes_its_region_from_a_callable():
    form = ContactLikeForm({"phone": "55 1234 5678 ext 3"}, account_country="MX")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"].as_e164 == "+525512345678"
    assert form.cleaned_data["phone"].extension == "3"


def test_field_falls_back_to_the_default_country():
    form = ContactLikeForm({"phone": "6123-4567"}, account_country="")
    assert form.is_valid(), form.errors
    form = AccountLikeForm({"country": "ZZ", "phone": "6123-4567"})
    assert form.is_valid(), form.errors


def test_required_message_is_formal_spanish():
    with translation.override("es"):
        form = AccountLikeForm({"country": "CO", "phone": ""})
        assert form.errors["phone"] == ["Ingrese un número de teléfono."]


def test_field_shows_a_stored_number_in_its_owner_format():
    form = AccountLikeForm(initial={"country": "CO", "phone": "+573001234567"})
    assert 'value="300 1234567"' in str(form["phone"])
    assert 'type="tel"' in str(form["phone"])
