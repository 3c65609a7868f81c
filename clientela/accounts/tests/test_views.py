import re

import pytest
from django.core.exceptions import ValidationError

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    CustomerTypeFactory()
    data = {
        "person_kind": "legal",
        "name": "Inversiones Núñez, S.A.",
        "tax_id": "155596713-2-2015",
        "tax_dv": "",
        "contact_name": "Lucía Peña",
        "email": "info@nunez.com.pa",
        "phone": "234-5678",
        "phone_alt": "",
        "mobile": "6123-4567",
        "website": "https://nunez.com.pa",
        "address": "Calle 50",
        "city": "Panamá",
        "state": "Panamá",
        "country": "PA",
        "customer_type": str(CustomerTypeFactory().pk),
        "priority": "medium",
        "economic_activity": "",
        "price_list": "",
        "taxable": "on",
        "status": "active",
        "salesperson": "",
        "payment_terms": "cash",
        "credit_days": "",
        "credit_limit": "",
        "ledger_account": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "url",
    ["/", "/accounts/", "/accounts/new/", "/settings/", "/accounts/C-000001/"],
)
def test_anonymous_user_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_page_is_public_and_spanish_by_default(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert response.status_code == 200
    assert "Iniciar sesión" in response.content.decode()


def test_language_switcher_turns_the_interface_english(logged_client):
    logged_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = logged_client.get("/accounts/")
    assert "New account" in response.content.decode()


def test_menu_shows_only_built_modules(logged_client):
    html = logged_client.get("/").content.decode()
    assert 'href="/accounts/new/"' in html
    assert 'href="/accounts/"' in html
    assert 'href="/cases/"' in html
    assert 'href="/opportunities/"' in html and 'href="/opportunities/board/"' in html
    assert 'href="/settings/"' not in html  # not an administrator


def test_settings_is_for_administrators_only(client, user, admin_user):
    client.force_login(user)
    assert client.get("/settings/").status_code == 403
    client.force_login(admin_user)
    response = client.get("/settings/")
    assert response.status_code == 200
    assert "/admin/catalogs/customertype/" in response.content.decode()


def test_create_form_marks_required_fields(logged_client):
    html = logged_client.get("/accounts/new/").content.decode()
    for name in ["name", "tax_id", "email", "phone", "customer_type"]:
        tag = re.search(rf'<[^>]+name="{name}"[^>]*>', html).group(0)
        assert 'aria-required="true"' in tag, name
    assert 'class="asterisk"' in html


def test_create_redirects_to_profile(logged_client):
    response = logged_client.post("/accounts/new/", form_data())
    account = Account.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{account.code}/"
    assert str(account.mobile) == "+50761234567"


def test_failed_create_keeps_input_and_shows_errors_beside_fields(logged_client):
    response = logged_client.post(
        "/accounts/new/", form_data(email="no-es-correo", tax_dv="11", name="Empresa Ñandú")
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert Account.objects.count() == 0
    assert 'value="Empresa Ñandú"' in html
    assert 'value="no-es-correo"' in html
    assert 'id="id_email_error"' in html
    assert "Ingrese una dirección de correo electrónico válida" in html
    # The model's rules are checked in the same submit, not one error at a time.
    assert 'id="id_tax_dv_error"' in html


def test_model_rule_errors_are_shown_even_when_form_types_pass(logged_client):
    response = logged_client.post("/accounts/new/", form_data(tax_dv="11"))
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_tax_dv_error"' in html


def test_duplicate_tax_id_links_to_existing_account(logged_client):
    logged_client.post("/accounts/new/", form_data())
    existing = Account.objects.get()
    response = logged_client.post("/accounts/new/", form_data(name="Copia"))
    assert response.status_code == 422
    assert f'href="/accounts/{existing.code}/"' in response.content.decode()


def test_edit_with_stale_version_keeps_input_and_warns(logged_client, user):
    logged_client.post("/accounts/new/", form_data())
    account = Account.objects.get()
    Account.objects.filter(pk=account.pk).update(version=2, name="Cambiado por otro")
    response = logged_client.post(
        f"/accounts/{account.code}/edit/", form_data(name="Mi cambio", version="1")
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'value="Mi cambio"' in html
    assert "Cambiado por otro" in html
    assert 'name="version" value="2"' in html
    assert Account.objects.get().name == "Cambiado por otro"


def test_edit_saves_and_redirects(logged_client):
    logged_client.post("/accounts/new/", form_data())
    account = Account.objects.get()
    response = logged_client.post(
        f"/accounts/{account.code}/edit/", form_data(name="Renombrada", version="1")
    )
    assert response.status_code == 302
    assert Account.objects.get().name == "Renombrada"


def test_unknown_account_is_404(logged_client):
    assert logged_client.get("/accounts/C-424242/").status_code == 404


def test_profile_shows_every_field_group_and_banner(logged_client):
    account = AccountFactory(status=Account.Status.RESTRICTED, city="David")
    html = logged_client.get(f"/accounts/{account.code}/").content.decode()
    assert account.code in html
    assert "David" in html
    assert 'role="alert"' in html
    for field in ["person_kind", "tax_dv", "credit_limit", "ledger_account", "is_supplier"]:
        assert f'data-field="{field}"' in html


def test_list_query_count_does_not_grow_with_rows(logged_client, django_assert_max_num_queries):
    AccountFactory.create_batch(3)
    with django_assert_max_num_queries(8) as few:
        logged_client.get("/accounts/")
    AccountFactory.create_batch(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = logged_client.get("/accounts/")
    assert response.content.decode().count('class="badge status-') == 43


def test_list_pages_by_fifty(logged_client):
    AccountFactory.create_batch(51)
    html = logged_client.get("/accounts/").content.decode()
    assert html.count('class="badge status-') == 50
    assert "?page=2" in html


def test_htmx_request_gets_only_the_results_fragment(logged_client):
    AccountFactory(name="Fragmento")
    response = logged_client.get("/accounts/?q=fragmento", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Fragmento" in html
    assert "<html" not in html
    assert 'id="results"' in html
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(logged_client):
    response = logged_client.get(
        "/accounts/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


def test_invalid_filter_values_do_not_crash(logged_client):
    response = logged_client.get("/accounts/?status=bogus&sort=(select 1)&page=abc&is_supplier=x")
    assert response.status_code == 200


def test_user_autocomplete_lists_matching_users(logged_client):
    from clientela.accounts.tests.factories import UserFactory

    UserFactory(username="ana.gomez", first_name="Ana", last_name="Gómez")
    html = logged_client.get(
        "/users/autocomplete/?field=salesperson&salesperson=gomez"
    ).content.decode()
    assert 'value="ana.gomez"' in html


def test_account_autocomplete_offers_only_visible_accounts(client):
    from clientela.accounts.tests.factories import UserFactory

    seller = UserFactory(role="sales")
    AccountFactory(name="Propia Chiriquí", salesperson=seller)
    AccountFactory(name="Ajena Chiriquí")
    client.force_login(seller)
    html = client.get("/accounts/autocomplete/?field=account&account=chiriqui").content.decode()
    assert "Propia Chiriquí" in html
    assert "Ajena" not in html


def test_account_code_field_refuses_invisible_account():
    from clientela.accounts.forms import AccountCodeField
    from clientela.accounts.tests.factories import UserFactory

    seller = UserFactory(role="sales")
    mine = AccountFactory(salesperson=seller)
    other = AccountFactory()
    field = AccountCodeField()
    field.user = seller
    assert field.clean(f"{mine.code} · {mine.name}") == mine
    with pytest.raises(ValidationError) as exc:
        field.clean(other.code)
    assert exc.value.code == "invalid"
