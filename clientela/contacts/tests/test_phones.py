"""A contact's phones are read in its account's country, with the account form's own field
(issue 15): on the full pages, in the profile's panel and through the API alike; extensions
kept; shown as the viewer dials them, with call and WhatsApp links."""

import json

import pytest
from django.test import Client
from django.utils import translation

from clientela.api.services import api_token_create
from clientela.contacts.models import Contact
from clientela.contacts.tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}

# (account's country, as typed there, E.164)
TYPED = [
    ("CO", "321 1234567", "+573211234567"),
    ("MX", "222 123 4567", "+522221234567"),
    ("CR", "8312 3456", "+50683123456"),
    ("GT", "5123 4567", "+50251234567"),
    ("SV", "7012 3456", "+50370123456"),
    ("HN", "9123-4567", "+50491234567"),
    ("NI", "8123 4567", "+50581234567"),
    ("DO", "(829) 234-5678", "+18292345678"),
    ("EC", "099 123 4567", "+593991234567"),
    ("PE", "912 345 678", "+51912345678"),
    ("CL", "9 6123 4567", "+56961234567"),
    ("AR", "011 15-2345-6789", "+5491123456789"),
    ("UY", "094 231 234", "+59894231234"),
    ("PY", "0961 456789", "+595961456789"),
    ("BO", "71234567", "+59171234567"),
    ("VE", "0412-1234567", "+584121234567"),
    ("PA", "6123-4567", "+50761234567"),
]


def form_data(**overrides):
    data = {
        "first_name": "Begoña",
        "last_name": "Ñáñez",
        "job_title": "",
        "email": "",
        "phone": "",
        "mobile": "",
        "account": "",
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def api(user):
    _record, token = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize(("country", "typed", "e164"), TYPED)
def test_the_contact_page_panel_and_api_read_a_mobile_in_the_accounts_country(
    logged_client, api, user, country, typed, e164
):
    account = AccountFactory(country=country, salesperson=user)
    page = logged_client.post("/contacts/new/", form_data(account=account.code, mobile=typed))
    assert page.status_code == 302
    panel = logged_client.post(
        f"/contacts/panel/{account.code}/new/",
        form_data(last_name="Mora", mobile=typed),
        **HTMX,
    )
    assert panel.status_code == 200, panel.content
    created = api.post(
        "/api/v1/contacts",
        data=json.dumps({"last_name": "Ruiz", "mobile": typed, "account": account.code}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["mobile"] == e164
    assert {c.mobile.as_e164 for c in Contact.objects.all()} == {e164}


def test_a_number_of_another_country_is_refused_with_an_example_of_the_accounts(
    logged_client, api, user
):
    account = AccountFactory(country="MX", salesperson=user)
    with translation.override("es"):
        response = logged_client.post(
            "/contacts/new/", form_data(account=account.code, phone="6123-4567")
        )
        refused = api.post(
            "/api/v1/contacts",
            data=json.dumps({"last_name": "Ruiz", "phone": "6123-4567", "account": account.code}),
            content_type="application/json",
        )
    message = (
        "Ingrese un número de teléfono válido de México (por ejemplo 222 123 4567) o empiece con +."
    )
    assert response.status_code == 422
    assert response.context["form"].errors["phone"] == [message]
    assert refused.status_code == 422
    assert refused.json()["errors"]["phone"] == [message]


def test_without_an_account_phones_are_read_in_the_installations_country(logged_client):
    logged_client.post("/contacts/new/", form_data(mobile="6123-4567"))
    assert Contact.objects.get().mobile.as_e164 == "+50761234567"


def test_an_extension_is_kept_and_survives_an_api_patch_of_another_field(logged_client, api, user):
    account = AccountFactory(country="CO", salesperson=user)
    logged_client.post(
        "/contacts/new/", form_data(account=account.code, phone="(601) 2345678 ext. 204")
    )
    contact = Contact.objects.get()
    assert contact.phone.extension == "204"
    patched = api.patch(
        f"/api/v1/contacts/{contact.pk}",
        data=json.dumps({"job_title": "Contadora", "version": 1}),
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["phone"] == "+576012345678;ext=204"
    # Typed with an extension through the API too.
    patched = api.patch(
        f"/api/v1/contacts/{contact.pk}",
        data=json.dumps({"phone": "601 234 5678 x 9", "version": 2}),
        content_type="application/json",
    )
    assert patched.json()["phone"] == "+576012345678;ext=9"


def test_contact_pages_link_phones_for_calling_and_mobiles_for_whatsapp(logged_client, user):
    account = AccountFactory(country="CO", salesperson=user)
    contact = ContactFactory(account=account, phone="+576012345678", mobile="+573211234567")
    detail = logged_client.get(f"/contacts/{contact.pk}/").content.decode()
    directory = logged_client.get("/contacts/").content.decode()
    profile = logged_client.get(f"/accounts/{account.code}/").content.decode()
    for html in (detail, directory, profile):
        assert '<a href="tel:+57-601-2345678">+57 601 2345678</a>' in html
        assert 'href="https://wa.me/573211234567"' in html
        assert "https://wa.me/576012345678" not in html  # a landline has no WhatsApp


def test_the_edit_form_shows_the_number_as_the_accounts_country_writes_it(logged_client, user):
    account = AccountFactory(country="MX", salesperson=user)
    contact = ContactFactory(account=account, phone="+522221234567", mobile="")
    html = logged_client.get(f"/contacts/{contact.pk}/edit/").content.decode()
    assert 'value="222 123 4567"' in html


def test_vcard_keeps_the_extension(logged_client, user):
    contact = ContactFactory(account=AccountFactory(salesperson=user), phone="+5072634567;ext=12")
    card = logged_client.get(f"/contacts/{contact.pk}/vcard/").content.decode()
    assert "TEL;TYPE=WORK,VOICE:+5072634567 ext. 12" in card
