"""The account profile's Contactos panel: add, edit and remove contacts in place."""

import pytest

from clientela.contacts.models import Contact
from clientela.contacts.tests.factories import AccountFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def panel_data(**overrides):
    data = {
        "first_name": "Begoña",
        "last_name": "Ñáñez",
        "job_title": "Contadora",
        "email": "begona@empresa.com.pa",
        "phone": "",
        "mobile": "6123-4567",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_profile_shows_the_panel_with_primary_first(logged_client, account):
    ContactFactory(account=account, first_name="Zoila", last_name="Zapata")
    ContactFactory(account=account, first_name="Mario", last_name="Mora", is_primary=True)
    html = logged_client.get(f"/accounts/{account.code}/").content.decode()
    assert 'id="panel-contacts"' in html
    panel = html[html.index('id="panel-contacts"') :]
    assert panel.index("Mario Mora") < panel.index("Zoila Zapata")
    assert f'hx-get="/contacts/panel/{account.code}/?add=1"' in panel


def test_panel_query_count_does_not_grow_with_contacts(
    logged_client, account, django_assert_max_num_queries
):
    ContactFactory.create_batch(2, account=account)
    with django_assert_max_num_queries(12) as few:
        logged_client.get(f"/contacts/panel/{account.code}/", **HTMX)
    ContactFactory.create_batch(30, account=account)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = logged_client.get(f"/contacts/panel/{account.code}/", **HTMX).content.decode()
    assert html.count('<li class="contact-card') == 32


def test_panel_caps_the_list_and_links_to_the_directory(logged_client, account):
    ContactFactory.create_batch(51, account=account)
    html = logged_client.get(f"/contacts/panel/{account.code}/", **HTMX).content.decode()
    assert html.count('<li class="contact-card') == 50
    assert f'href="/contacts/?account={account.code}"' in html


def test_add_form_opens_inside_the_panel(logged_client, account):
    response = logged_client.get(f"/contacts/panel/{account.code}/?add=1", **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith("<section")
    assert f'hx-post="/contacts/panel/{account.code}/new/"' in html
    assert 'id="contact_last_name"' in html
    assert 'name="account"' not in html  # the panel's account is fixed


def test_add_in_place_answers_with_the_updated_panel(logged_client, account):
    response = logged_client.post(f"/contacts/panel/{account.code}/new/", panel_data(), **HTMX)
    html = response.content.decode()
    contact = Contact.objects.get()
    assert response.status_code == 200
    assert contact.account == account
    assert "Begoña Ñáñez" in html
    assert 'role="status"' in html
    assert "hx-post" not in html.split("contact-cards")[0]  # no form left open
    assert response["HX-Trigger"] == "clientela:contacts-changed"


def test_failed_add_keeps_what_was_typed_inside_the_panel(logged_client, account):
    response = logged_client.post(
        f"/contacts/panel/{account.code}/new/",
        panel_data(last_name="", email="no-es-correo", job_title="Jefa de Compras"),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert Contact.objects.count() == 0
    assert html.lstrip().startswith("<section")
    assert 'value="Jefa de Compras"' in html
    assert 'value="no-es-correo"' in html
    assert 'id="contact_last_name_error"' in html
    assert 'id="contact_email_error"' in html


def test_adding_a_primary_moves_the_flag(logged_client, account):
    old = ContactFactory(account=account, is_primary=True)
    logged_client.post(f"/contacts/panel/{account.code}/new/", panel_data(is_primary="on"), **HTMX)
    old.refresh_from_db()
    assert not old.is_primary
    assert Contact.objects.get(account=account, is_primary=True).last_name == "Ñáñez"


def test_edit_form_opens_in_the_contacts_row(logged_client, account):
    contact = ContactFactory(account=account, job_title="Contador")
    html = logged_client.get(
        f"/contacts/panel/{account.code}/?edit={contact.pk}", **HTMX
    ).content.decode()
    assert f'hx-post="/contacts/panel/{account.code}/{contact.pk}/edit/"' in html
    assert f'id="contact{contact.pk}_job_title"' in html
    assert 'value="Contador"' in html
    assert 'name="version" value="1"' in html


def test_edit_in_place_saves(logged_client, account):
    contact = ContactFactory(account=account, job_title="Contador")
    response = logged_client.post(
        f"/contacts/panel/{account.code}/{contact.pk}/edit/",
        panel_data(job_title="Gerente de Finanzas", version="1"),
        **HTMX,
    )
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.job_title == "Gerente de Finanzas"
    assert "Gerente de Finanzas" in response.content.decode()


def test_failed_edit_stays_open_with_the_errors(logged_client, account):
    contact = ContactFactory(account=account, job_title="Contador")
    response = logged_client.post(
        f"/contacts/panel/{account.code}/{contact.pk}/edit/",
        panel_data(job_title="Tesorera", email="malo", version="1"),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="contact{contact.pk}_email_error"' in html
    assert 'value="Tesorera"' in html
    contact.refresh_from_db()
    assert contact.job_title == "Contador"


def test_stale_edit_in_place_keeps_input_and_offers_to_overwrite(logged_client, account):
    contact = ContactFactory(account=account, job_title="Contador")
    Contact.objects.filter(pk=contact.pk).update(version=3)
    response = logged_client.post(
        f"/contacts/panel/{account.code}/{contact.pk}/edit/",
        panel_data(job_title="Mío", version="1"),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'value="Mío"' in html
    assert 'name="version" value="3"' in html


def test_remove_in_place(logged_client, account):
    contact = ContactFactory(account=account, last_name="Quitado")
    response = logged_client.post(f"/contacts/panel/{account.code}/{contact.pk}/delete/", **HTMX)
    assert response.status_code == 200
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert 'id="panel-contacts"' in response.content.decode()


def test_make_primary_in_place(logged_client, account):
    old = ContactFactory(account=account, is_primary=True)
    new = ContactFactory(account=account)
    response = logged_client.post(f"/contacts/panel/{account.code}/{new.pk}/primary/", **HTMX)
    assert response.status_code == 200
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.is_primary, new.is_primary) == (False, True)


def test_a_plain_post_redirects_to_the_profile(logged_client, account):
    response = logged_client.post(f"/contacts/panel/{account.code}/new/", panel_data())
    assert response.status_code == 303
    assert response["Location"] == f"/accounts/{account.code}/#panel-contacts"


def test_a_plain_failed_post_shows_the_full_form(logged_client, account):
    response = logged_client.post(f"/contacts/panel/{account.code}/new/", panel_data(last_name=""))
    html = response.content.decode()
    assert response.status_code == 422
    assert "<html" in html
    assert 'id="contact_last_name_error"' in html
    assert f'action="/contacts/panel/{account.code}/new/"' in html


def test_large_ids_and_versions_are_not_formatted_with_thousands_separators(logged_client, account):
    contact = ContactFactory(id=12345, account=account)
    Contact.objects.filter(pk=contact.pk).update(version=1234)
    html = logged_client.get(f"/contacts/panel/{account.code}/", **HTMX).content.decode()
    assert "?edit=12345" in html and 'id="contact-12345"' in html
    html = logged_client.get(f"/contacts/panel/{account.code}/?edit=12345", **HTMX).content.decode()
    assert 'name="version" value="1234"' in html
    html = logged_client.get("/contacts/12345/edit/").content.decode()
    assert 'name="version" value="1234"' in html


def test_a_plain_browser_request_for_the_panel_gets_full_pages(logged_client, account):
    contact = ContactFactory(account=account)
    base = f"/contacts/panel/{account.code}/"
    assert logged_client.get(base)["Location"] == f"/accounts/{account.code}/#panel-contacts"
    assert (
        logged_client.get(f"{base}?add=1")["Location"] == f"/contacts/new/?account={account.code}"
    )
    assert logged_client.get(f"{base}?edit={contact.pk}")["Location"] == (
        f"/contacts/{contact.pk}/edit/"
    )


def test_contact_of_another_account_is_404_in_a_panel(logged_client, account):
    elsewhere = ContactFactory()
    for url in [
        f"/contacts/panel/{account.code}/{elsewhere.pk}/edit/",
        f"/contacts/panel/{account.code}/{elsewhere.pk}/delete/",
        f"/contacts/panel/{account.code}/{elsewhere.pk}/primary/",
    ]:
        assert logged_client.post(url, panel_data(version="1"), **HTMX).status_code == 404
    assert (
        logged_client.get(
            f"/contacts/panel/{account.code}/?edit={elsewhere.pk}", **HTMX
        ).status_code
        == 404
    )
    assert Contact.objects.filter(pk=elsewhere.pk).exists()


def test_viewer_sees_the_panel_without_actions_and_cannot_open_forms(client, account):
    ContactFactory(account=account)
    client.force_login(UserFactory(role="viewer"))
    html = client.get(f"/accounts/{account.code}/").content.decode()
    panel = html[html.index('id="panel-contacts"') :]
    assert "?add=1" not in panel and "?edit=" not in panel and "/delete/" not in panel
    response = client.get(f"/contacts/panel/{account.code}/?add=1", **HTMX)
    assert response.status_code == 403


def test_salesperson_gets_404_for_a_colleagues_panel(client):
    seller = UserFactory(role="sales")
    other = AccountFactory()
    client.force_login(seller)
    assert client.get(f"/contacts/panel/{other.code}/", **HTMX).status_code == 404
    response = client.post(f"/contacts/panel/{other.code}/new/", panel_data(), **HTMX)
    assert response.status_code == 404
    assert Contact.objects.count() == 0
