import re

import pytest

from clientela.audit.models import HistoryEntry
from clientela.contacts.models import Contact
from clientela.contacts.tests.factories import AccountFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "first_name": "Begoña",
        "last_name": "Ñáñez",
        "job_title": "Jefa de Compras",
        "email": "Begona@Empresa.com.pa",
        "phone": "234-5678",
        "mobile": "6123-4567",
        "notes": "",
        "account": "",
    }
    data.update(overrides)
    return data


# ── Directory ───────────────────────────────────────────────────────────────────────────


def test_directory_is_in_the_menu(logged_client):
    html = logged_client.get("/").content.decode()
    assert 'href="/contacts/"' in html


def test_directory_lists_searches_and_marks_primary(logged_client):
    account = AccountFactory(name="Constructora Istmo")
    ContactFactory(first_name="Begoña", last_name="Ñáñez", account=account, is_primary=True)
    ContactFactory(first_name="Otro", last_name="Zárate")
    html = logged_client.get("/contacts/?q=nanez").content.decode()
    assert "Ñáñez, Begoña" in html
    assert "Zárate" not in html
    assert "Constructora Istmo" in html
    assert "1 contacto" in html
    assert "primary-badge" in html


def test_directory_query_count_does_not_grow_with_rows(
    logged_client, django_assert_max_num_queries
):
    ContactFactory.create_batch(3)
    with django_assert_max_num_queries(10) as few:
        logged_client.get("/contacts/")
    ContactFactory.create_batch(40)
    ContactFactory.create_batch(5, account=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = logged_client.get("/contacts/?sort=account")
    assert response.content.decode().count('href="/contacts/') >= 48


def test_directory_pages_by_fifty(logged_client):
    ContactFactory.create_batch(51)
    html = logged_client.get("/contacts/").content.decode()
    assert len(re.findall(r'<td><a href="/contacts/\d+/">', html)) == 50
    assert "page=2" in html


def test_htmx_request_gets_only_the_results_fragment(logged_client):
    ContactFactory(first_name="Fragmento", last_name="Único")
    response = logged_client.get("/contacts/?q=fragmento", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Único, Fragmento" in html
    assert "<html" not in html
    assert 'id="results"' in html
    assert "HX-Request" in response["Vary"]


def test_letter_bar_keeps_the_other_filters(logged_client):
    ContactFactory(first_name="", last_name="Ñáñez")
    ContactFactory(first_name="", last_name="Nieto")
    html = logged_client.get("/contacts/?q=n&letter=%C3%91").content.decode()
    assert "Ñáñez" in html and "Nieto" not in html
    assert 'aria-current="true">Ñ</a>' in html
    assert "?q=n&amp;letter=A" in html


def test_filter_by_account_accepts_the_autocomplete_text(logged_client):
    account = AccountFactory(name="Cuenta Filtro")
    ContactFactory(last_name="Adentro", account=account)
    ContactFactory(last_name="Afuera")
    html = logged_client.get(
        "/contacts/", {"account": f"{account.code} · Cuenta Filtro"}
    ).content.decode()
    assert "Adentro" in html and "Afuera" not in html


def test_invalid_filter_values_do_not_crash(logged_client):
    response = logged_client.get("/contacts/?letter=xx&sort=(select 1)&page=abc&account=zz")
    assert response.status_code == 200


# ── Full pages ──────────────────────────────────────────────────────────────────────────


def test_new_page_preselects_the_account_and_marks_required_fields(logged_client, account):
    html = logged_client.get(f"/contacts/new/?account={account.code}").content.decode()
    tag = re.search(r'<input[^>]+name="account"[^>]*>', html).group(0)
    assert f'value="{account.code}"' in tag
    tag = re.search(r'<input[^>]+name="last_name"[^>]*>', html).group(0)
    assert 'aria-required="true"' in tag
    assert 'class="asterisk"' in html


def test_new_page_ignores_an_account_the_user_may_not_see(client):
    seller = UserFactory(role="sales")
    other = AccountFactory()
    client.force_login(seller)
    html = client.get(f"/contacts/new/?account={other.code}").content.decode()
    tag = re.search(r'<input[^>]+name="account"[^>]*>', html).group(0)
    assert other.code not in tag


def test_create_redirects_to_the_contact_page(logged_client, account):
    response = logged_client.post("/contacts/new/", form_data(account=account.code))
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.pk}/"
    assert contact.account == account
    assert contact.email == "begona@empresa.com.pa"
    assert (str(contact.phone), str(contact.mobile)) == ("+5072345678", "+50761234567")


def test_phones_typed_nationally_are_read_in_the_accounts_country(logged_client):
    account = AccountFactory(country="CO")
    logged_client.post(
        "/contacts/new/", form_data(account=account.code, phone="", mobile="300 123 4567")
    )
    assert str(Contact.objects.get().mobile) == "+573001234567"


def test_failed_create_keeps_input_and_shows_errors_beside_fields(logged_client):
    response = logged_client.post(
        "/contacts/new/", form_data(last_name="", email="no-es-correo", mobile="12")
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert Contact.objects.count() == 0
    assert 'value="Begoña"' in html
    assert 'value="no-es-correo"' in html
    for field in ["last_name", "email", "mobile"]:
        assert f'id="id_{field}_error"' in html, field


def test_create_with_an_unknown_account_code_is_a_field_error(logged_client):
    response = logged_client.post("/contacts/new/", form_data(account="C-999999"))
    assert response.status_code == 422
    assert 'id="id_account_error"' in response.content.decode()


def test_primary_without_account_is_a_field_error(logged_client):
    response = logged_client.post("/contacts/new/", form_data(is_primary="on"))
    assert response.status_code == 422
    assert 'id="id_is_primary_error"' in response.content.decode()


def test_detail_page_shows_fields_account_and_history(logged_client, account, user):
    logged_client.post("/contacts/new/", form_data(account=account.code, notes="Línea uno"))
    contact = Contact.objects.get()
    html = logged_client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Begoña Ñáñez" in html
    assert f'href="/accounts/{account.code}/"' in html
    assert "Línea uno" in html
    assert f'href="/contacts/{contact.pk}/vcard/"' in html
    assert "Creado" in html  # the history entry's action


def test_edit_saves_and_redirects(logged_client):
    contact = ContactFactory(job_title="Contador")
    response = logged_client.post(
        f"/contacts/{contact.pk}/edit/",
        form_data(account=contact.account.code, job_title="Contadora", version="1"),
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.job_title == "Contadora" and contact.version == 2


def test_edit_form_shows_phones_nationally(logged_client):
    contact = ContactFactory(phone="+5072345678")
    html = logged_client.get(f"/contacts/{contact.pk}/edit/").content.decode()
    assert 'value="234-5678"' in html


def test_edit_with_stale_version_keeps_input_and_warns(logged_client):
    contact = ContactFactory(job_title="Contador")
    Contact.objects.filter(pk=contact.pk).update(version=2, job_title="Cambiado por otro")
    response = logged_client.post(
        f"/contacts/{contact.pk}/edit/",
        form_data(account=contact.account.code, job_title="Mi cambio", version="1"),
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'value="Mi cambio"' in html
    assert 'name="version" value="2"' in html
    contact.refresh_from_db()
    assert contact.job_title == "Cambiado por otro"


def test_delete_asks_for_confirmation_then_returns_to_the_account(logged_client):
    contact = ContactFactory()
    page = logged_client.get(f"/contacts/{contact.pk}/delete/")
    assert page.status_code == 200
    assert Contact.objects.filter(pk=contact.pk).exists()
    response = logged_client.post(f"/contacts/{contact.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{contact.account.code}/"
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_delete_of_a_contact_without_account_returns_to_the_directory(logged_client):
    contact = ContactFactory(account=None)
    response = logged_client.post(f"/contacts/{contact.pk}/delete/")
    assert response["Location"] == "/contacts/"


def test_unknown_contact_is_404(logged_client):
    assert logged_client.get("/contacts/999999/").status_code == 404


@pytest.mark.parametrize(
    "url", ["/contacts/", "/contacts/new/", "/contacts/1/", "/contacts/vcard/"]
)
def test_anonymous_user_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_every_change_is_on_the_accounts_history(logged_client, account):
    logged_client.post("/contacts/new/", form_data(account=account.code))
    contact = Contact.objects.get()
    logged_client.post(
        f"/contacts/{contact.pk}/edit/",
        form_data(account=account.code, job_title="Gerente", version="1"),
    )
    logged_client.post(f"/contacts/{contact.pk}/delete/")
    actions = list(
        HistoryEntry.objects.filter(account_id=account.pk, content_type__model="contact")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]
