"""vCard 3.0 downloads: one contact and the filtered directory; accents survive."""

import pytest
import vobject

from clientela.contacts.tests.factories import AccountFactory, ContactFactory, UserFactory
from clientela.contacts.vcard import vcard_filename

pytestmark = pytest.mark.django_db


def parse(body: bytes):
    return list(vobject.readComponents(body.decode("utf-8")))


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_one_contact_round_trips_with_accents_and_enye(logged_client):
    account = AccountFactory(name="Compañía Ñandú; Hermanos, S.A.")
    contact = ContactFactory(
        first_name="Begoña",
        last_name="Ñáñez Güell",
        job_title="Jefa de Compras",
        email="begona@nandu.com.pa",
        phone="+5072345678",
        mobile="+50761234567",
        notes="Prefiere llamadas después de las 10:00;\nnunca los lunes, por favor. " * 3,
        account=account,
    )
    response = logged_client.get(f"/contacts/{contact.pk}/vcard/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="Begona-Nanez-Guell.vcf"'
    assert response.content.startswith(b"BEGIN:VCARD\r\nVERSION:3.0\r\n")
    (card,) = parse(response.content)
    assert card.version.value == "3.0"
    assert card.n.value.family == "Ñáñez Güell"
    assert card.n.value.given == "Begoña"
    assert card.fn.value == "Begoña Ñáñez Güell"
    assert card.org.value == ["Compañía Ñandú; Hermanos, S.A."]
    assert card.title.value == "Jefa de Compras"
    assert card.email.value == "begona@nandu.com.pa"
    phones = {tel.value: tel.type_paramlist for tel in card.contents["tel"]}
    assert phones == {"+5072345678": ["WORK", "VOICE"], "+50761234567": ["CELL", "VOICE"]}
    assert card.note.value == contact.notes
    assert card.uid.value == f"urn:clientela:contact:{contact.pk}"


def test_lines_are_folded_without_breaking_characters(logged_client):
    contact = ContactFactory(last_name="Ñ" * 90, first_name="", account=None, notes="")
    body = logged_client.get(f"/contacts/{contact.pk}/vcard/").content
    for line in body.split(b"\r\n"):
        line.decode("utf-8")  # every physical line is valid UTF-8 by itself
        assert len(line) <= 76
    assert parse(body)[0].n.value.family == "Ñ" * 90


def test_contact_without_account_has_no_org(logged_client):
    contact = ContactFactory(account=None, phone="", mobile="", email="", job_title="")
    (card,) = parse(logged_client.get(f"/contacts/{contact.pk}/vcard/").content)
    assert "org" not in card.contents
    assert "tel" not in card.contents


def test_directory_download_follows_the_filters_across_pages(logged_client, settings):
    settings.PAGE_SIZE = 2
    account = AccountFactory(name="Cuenta Descarga")
    for last in ["Ñáñez", "Núñez", "Peña"]:
        ContactFactory(first_name="Ana", last_name=last, account=account)
    ContactFactory(first_name="Fuera", last_name="Del Filtro")
    response = logged_client.get("/contacts/vcard/", {"account": account.code, "page": "2"})
    assert response.status_code == 200
    assert response.streaming
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="contactos-') and disposition.endswith(
        '.vcf"'
    )
    cards = parse(streamed(response))
    assert [card.n.value.family for card in cards] == ["Ñáñez", "Núñez", "Peña"]
    assert {card.org.value[0] for card in cards} == {"Cuenta Descarga"}


def test_directory_download_uses_the_search(logged_client):
    ContactFactory(first_name="Begoña", last_name="Ñáñez")
    ContactFactory(first_name="Otro", last_name="Zárate")
    cards = parse(streamed(logged_client.get("/contacts/vcard/?q=nanez")))
    assert [card.fn.value for card in cards] == ["Begoña Ñáñez"]


def test_directory_download_is_scoped_to_the_salesperson(client):
    seller = UserFactory(role="sales")
    ContactFactory(last_name="Mío", account=AccountFactory(salesperson=seller))
    ContactFactory(last_name="Ajeno")
    client.force_login(seller)
    cards = parse(streamed(client.get("/contacts/vcard/")))
    assert [card.n.value.family for card in cards] == ["Mío"]


def test_viewer_downloads_neither_one_card_nor_the_directory(client):
    # A vCard is an export (SPEC §7: viewers read, no export; issue 14).
    contact = ContactFactory()
    client.force_login(UserFactory(role="viewer"))
    assert client.get(f"/contacts/{contact.pk}/vcard/").status_code == 403
    assert client.get("/contacts/vcard/").status_code == 403
    assert (
        f"/contacts/{contact.pk}/vcard/"
        not in client.get(f"/contacts/{contact.pk}/").content.decode()
    )


def test_support_downloads_one_card(client):
    contact = ContactFactory()
    client.force_login(UserFactory(role="support"))
    assert client.get(f"/contacts/{contact.pk}/vcard/").status_code == 200
    assert (
        f"/contacts/{contact.pk}/vcard/" in client.get(f"/contacts/{contact.pk}/").content.decode()
    )


def test_directory_download_query_count_does_not_grow(logged_client, django_assert_max_num_queries):
    ContactFactory.create_batch(3)
    with django_assert_max_num_queries(10) as few:
        streamed(logged_client.get("/contacts/vcard/"))
    ContactFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = streamed(logged_client.get("/contacts/vcard/"))
    assert body.count(b"BEGIN:VCARD") == 33


@pytest.mark.parametrize(
    ("name", "filename"),
    [
        ("Begoña Ñáñez", "Begona-Nanez.vcf"),
        ('Ana "la jefa" / Peña\r\n', "Ana-la-jefa-Pena.vcf"),
        ("李小龍", "contact.vcf"),
        ("", "contact.vcf"),
    ],
)
def test_filename_is_safe_ascii(name, filename):
    assert vcard_filename(name) == filename
