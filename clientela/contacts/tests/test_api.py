import pytest
from django.test import Client

from clientela.api.services import api_token_create
from clientela.audit.models import HistoryEntry
from clientela.contacts.models import Contact
from clientela.contacts.tests.factories import AccountFactory, ContactFactory, UserFactory
from clientela.contacts.vcard import contact_vcard

pytestmark = pytest.mark.django_db


def api_client(role="manager", user=None):
    user = user or UserFactory(role=role)
    _record, token = api_token_create(user=user, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.user = user
    return client


def body(**overrides):
    data = {
        "first_name": "Begoña",
        "last_name": "Ñáñez",
        "job_title": "Jefa de Compras",
        "email": "Begona@Empresa.com.pa",
        "phone": "234-5678",
        "mobile": "6123-4567",
    }
    data.update(overrides)
    return data


def post(client, data):
    return client.post("/api/v1/contacts", data=data, content_type="application/json")


def patch(client, pk, data, **headers):
    return client.patch(
        f"/api/v1/contacts/{pk}", data=data, content_type="application/json", **headers
    )


# ── CRUD and the form's rules ─────────────────────────────────────────────────────────────


def test_create_read_update_delete_through_the_same_services():
    client = api_client()
    account = AccountFactory(name="Constructora Istmo")
    response = post(client, body(account=account.code))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["display_name"] == "Begoña Ñáñez"
    assert created["email"] == "begona@empresa.com.pa"
    assert created["phone"] == "+5072345678"
    assert created["mobile"] == "+50761234567"
    assert created["account"] == account.code
    assert created["account_name"] == "Constructora Istmo"
    assert created["created_by"] == client.user.username
    assert created["version"] == 1
    assert response["ETag"] == '"1"'
    pk = created["id"]

    response = client.get(f"/api/v1/contacts/{pk}")
    assert response.status_code == 200
    assert response.json()["last_name"] == "Ñáñez"
    assert response["ETag"] == '"1"'

    response = patch(client, pk, {"job_title": "Gerente", "version": 1})
    assert response.status_code == 200, response.content
    changed = response.json()
    assert changed["job_title"] == "Gerente"
    assert changed["version"] == 2
    # Fields the patch left out keep their values.
    assert changed["mobile"] == "+50761234567"
    assert changed["account"] == account.code
    assert response["ETag"] == '"2"'

    assert client.delete(f"/api/v1/contacts/{pk}").status_code == 204
    assert not Contact.objects.exists()
    actions = list(
        HistoryEntry.objects.filter(account_id=account.pk, content_type__model="contact")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def test_a_contact_without_account_has_nulls_and_phones_read_in_our_country():
    response = post(api_client(), body(phone="", mobile="6123 4567"))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["account"] is None and data["account_name"] is None
    assert data["phone"] == ""
    assert data["mobile"] == "+50761234567"


def test_phones_typed_nationally_are_read_in_the_accounts_country():
    account = AccountFactory(country="CO")
    response = post(api_client(), body(account=account.code, phone="", mobile="300 123 4567"))
    assert response.status_code == 201, response.content
    assert response.json()["mobile"] == "+573001234567"
    assert str(Contact.objects.get().mobile) == "+573001234567"


def test_moving_a_contact_reads_new_phones_in_the_new_accounts_country():
    client = api_client()
    contact = ContactFactory(account=AccountFactory(country="PA"))
    colombian = AccountFactory(country="CO")
    response = patch(
        client, contact.pk, {"account": colombian.code, "mobile": "300 123 4567", "version": 1}
    )
    assert response.status_code == 200, response.content
    assert response.json()["mobile"] == "+573001234567"
    assert response.json()["phone"] == "+5072345678"  # kept, already E.164


def test_a_new_primary_takes_the_flag_from_the_current_one():
    client = api_client()
    account = AccountFactory()
    old = ContactFactory(account=account, is_primary=True)
    response = post(client, body(account=account.code, is_primary=True))
    assert response.status_code == 201, response.content
    assert response.json()["is_primary"] is True
    old.refresh_from_db()
    assert old.is_primary is False
    assert old.version == 2
    assert Contact.objects.filter(account=account, is_primary=True).count() == 1


def test_patch_making_a_contact_primary_moves_the_flag():
    client = api_client()
    account = AccountFactory()
    old = ContactFactory(account=account, is_primary=True)
    new = ContactFactory(account=account)
    response = patch(client, new.pk, {"is_primary": True, "version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["is_primary"] is True
    old.refresh_from_db()
    assert old.is_primary is False


def test_a_primary_needs_an_account():
    response = post(api_client(), body(is_primary=True))
    assert response.status_code == 422
    assert "is_primary" in response.json()["errors"]
    assert not Contact.objects.exists()


def test_validation_errors_name_the_fields():
    response = post(api_client(), body(last_name="  ", email="no-es-correo", mobile="12"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"last_name", "email", "mobile"} <= set(errors)
    assert not Contact.objects.exists()


def test_last_name_is_required():
    data = body()
    del data["last_name"]
    response = post(api_client(), data)
    assert response.status_code == 422
    assert "last_name" in response.json()["errors"]


def test_an_unknown_account_code_is_a_field_error():
    response = post(api_client(), body(account="C-999999"))
    assert response.status_code == 422
    assert "account" in response.json()["errors"]


def test_a_patch_with_invalid_values_changes_nothing():
    client = api_client()
    contact = ContactFactory(job_title="Contadora")
    response = patch(client, contact.pk, {"job_title": "Otra", "email": "x", "version": 1})
    assert response.status_code == 422
    assert "email" in response.json()["errors"]
    contact.refresh_from_db()
    assert contact.job_title == "Contadora" and contact.version == 1


def test_null_clears_a_field_and_account_null_detaches_the_contact():
    client = api_client()
    contact = ContactFactory()
    response = patch(client, contact.pk, {"account": None, "mobile": None, "version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["account"] is None
    assert response.json()["mobile"] == ""


@pytest.mark.parametrize(
    "field,value",
    [
        ("id", 7),
        ("version", 7),
        ("created_by", "admin"),
        ("updated_by", "admin"),
        ("created_at", "2026-01-01T00:00:00Z"),
        ("search_text", "x"),
        ("sort_name", "x"),
        ("initial", "X"),
        ("display_name", "X"),
        ("account_name", "X"),
        ("x", 1),
    ],
)
def test_unknown_and_system_fields_are_refused_on_create(field, value):
    response = post(api_client(), body(**{field: value}))
    assert response.status_code == 422, field
    assert field in response.json()["errors"]
    assert not Contact.objects.exists()


@pytest.mark.parametrize("field", ["id", "created_by", "search_text", "initial", "x"])
def test_unknown_and_system_fields_are_refused_on_patch(field):
    contact = ContactFactory()
    response = patch(api_client(), contact.pk, {field: "7", "version": 1})
    assert response.status_code == 422
    assert field in response.json()["errors"]
    contact.refresh_from_db()
    assert contact.version == 1


def test_nul_characters_are_bad_input_not_a_server_error():
    response = post(api_client(), body(last_name="Núñez\x00X"))
    assert response.status_code == 422
    assert not Contact.objects.exists()


# ── Versions ──────────────────────────────────────────────────────────────────────────────


def test_stale_version_is_a_409_by_body_or_if_match():
    client = api_client()
    contact = ContactFactory()
    assert patch(client, contact.pk, {"job_title": "Uno", "version": 1}).status_code == 200
    stale = patch(client, contact.pk, {"job_title": "Dos", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert patch(client, contact.pk, {"job_title": "Dos"}, HTTP_IF_MATCH='"1"').status_code == 409
    assert patch(client, contact.pk, {"job_title": "Dos"}, HTTP_IF_MATCH='"2"').status_code == 200
    assert Contact.objects.get().job_title == "Dos"


def test_a_patch_without_any_version_is_refused():
    contact = ContactFactory()
    response = patch(api_client(), contact.pk, {"job_title": "Otro"})
    assert response.status_code == 422
    assert "version" in response.json()["errors"]


# ── The directory ─────────────────────────────────────────────────────────────────────────


def test_list_searches_filters_by_account_and_pages():
    client = api_client()
    account = AccountFactory(name="Constructora Istmo")
    ContactFactory(first_name="Begoña", last_name="Ñáñez", account=account, is_primary=True)
    ContactFactory(first_name="Ana", last_name="Zárate", account=account)
    ContactFactory(first_name="Luis", last_name="Ábrego")
    ContactFactory(first_name="Sin", last_name="Cuenta", account=None)

    data = client.get("/api/v1/contacts", {"q": "nanez"}).json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["display_name"] == "Begoña Ñáñez"
    assert item["account"] == account.code and item["is_primary"] is True

    by_account = client.get("/api/v1/contacts", {"account": account.code}).json()
    assert by_account["count"] == 2
    by_name = client.get("/api/v1/contacts", {"account": "istmo"}).json()
    assert by_name["count"] == 2

    names = [i["last_name"] for i in client.get("/api/v1/contacts").json()["items"]]
    assert names == ["Ábrego", "Cuenta", "Ñáñez", "Zárate"]
    page = client.get("/api/v1/contacts", {"page_size": 2, "page": 2, "ordering": "-name"}).json()
    assert page["count"] == 4
    assert [i["last_name"] for i in page["items"]] == ["Cuenta", "Ábrego"]


def test_list_letter_bar_as_in_the_directory():
    client = api_client()
    ContactFactory(last_name="Ñáñez")
    ContactFactory(last_name="Núñez")
    ContactFactory(last_name="Ábrego")
    ContactFactory(last_name="3M Soporte")

    def last_names(letter):
        items = client.get("/api/v1/contacts", {"letter": letter}).json()["items"]
        return sorted(i["last_name"] for i in items)

    assert last_names("N") == ["Núñez", "Ñáñez"]
    assert last_names("Ñ") == ["Ñáñez"]
    assert last_names("A") == ["Ábrego"]
    assert last_names("#") == ["3M Soporte"]


def test_list_query_count_does_not_grow_with_page_size(django_assert_max_num_queries):
    client = api_client()
    ContactFactory.create_batch(3)
    with django_assert_max_num_queries(10) as few:
        client.get("/api/v1/contacts")
    ContactFactory.create_batch(30)
    ContactFactory.create_batch(5, account=None, created_by=UserFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/api/v1/contacts", {"page_size": 200, "ordering": "account"})
    assert len(response.json()["items"]) == 38


def test_page_size_above_200_is_refused():
    response = api_client().get("/api/v1/contacts?page_size=201")
    assert response.status_code == 422
    assert "page_size" in response.json()["errors"]


@pytest.mark.parametrize(
    "ordering", ["name;DROP TABLE contacts_contact", "(select 1)", "search_text", "account__name"]
)
def test_ordering_outside_the_allow_list_is_a_422(ordering):
    response = api_client().get("/api/v1/contacts", {"ordering": ordering})
    assert response.status_code == 422
    assert "ordering" in response.json()["errors"]


@pytest.mark.parametrize("letter", ["AB", "a'--", "1"])
def test_a_letter_outside_the_bar_is_a_422(letter):
    response = api_client().get("/api/v1/contacts", {"letter": letter})
    assert response.status_code == 422
    assert "letter" in response.json()["errors"]


# ── Who sees and does what ────────────────────────────────────────────────────────────────


def every_verb(client, contact):
    return {
        "get": client.get(f"/api/v1/contacts/{contact.pk}").status_code,
        "patch": patch(client, contact.pk, {"job_title": "X", "version": 1}).status_code,
        "delete": client.delete(f"/api/v1/contacts/{contact.pk}").status_code,
        "vcard": client.get(f"/api/v1/contacts/{contact.pk}/vcard").status_code,
    }


def test_a_salesperson_sees_their_accounts_contacts_and_their_own_without_account():
    client = api_client("sales")
    colleague = UserFactory(role="sales")
    mine = ContactFactory(account=AccountFactory(salesperson=client.user), last_name="Mía")
    own_loose = ContactFactory(account=None, created_by=client.user, last_name="Suelta")
    ContactFactory(account=AccountFactory(salesperson=colleague), last_name="Ajena")
    ContactFactory(account=None, created_by=colleague, last_name="Ajena Suelta")
    items = client.get("/api/v1/contacts").json()["items"]
    assert sorted(i["id"] for i in items) == sorted([mine.pk, own_loose.pk])
    for contact in (mine, own_loose):
        assert client.get(f"/api/v1/contacts/{contact.pk}").status_code == 200


def test_a_salesperson_gets_404_for_every_verb_on_others_contacts():
    client = api_client("sales")
    colleague = UserFactory(role="sales")
    theirs = ContactFactory(account=AccountFactory(salesperson=colleague), job_title="Intacto")
    loose = ContactFactory(account=None, created_by=colleague, job_title="Intacto")
    for contact in (theirs, loose):
        assert set(every_verb(client, contact).values()) == {404}
    assert Contact.objects.filter(job_title="Intacto").count() == 2


@pytest.mark.parametrize("role", ["admin", "manager", "support", "viewer"])
def test_contacts_without_account_are_visible_to_every_role_but_sales(role):
    client = api_client(role)
    loose = ContactFactory(account=None, created_by=UserFactory(role="sales"))
    assert client.get(f"/api/v1/contacts/{loose.pk}").status_code == 200
    assert client.get("/api/v1/contacts").json()["count"] == 1


def test_a_salesperson_cannot_pick_a_colleagues_account():
    client = api_client("sales")
    theirs = AccountFactory(salesperson=UserFactory(role="sales"))
    response = post(client, body(account=theirs.code))
    assert response.status_code == 422
    assert "account" in response.json()["errors"]
    assert not Contact.objects.exists()
    mine = ContactFactory(account=AccountFactory(salesperson=client.user))
    response = patch(client, mine.pk, {"account": theirs.code, "version": 1})
    assert response.status_code == 422
    mine.refresh_from_db()
    assert mine.account.salesperson == client.user


def test_a_salesperson_creates_on_their_account_and_without_one():
    client = api_client("sales")
    mine = AccountFactory(salesperson=client.user)
    assert post(client, body(account=mine.code)).status_code == 201
    response = post(client, body(last_name="Suelta"))
    assert response.status_code == 201
    pk = response.json()["id"]
    assert client.get(f"/api/v1/contacts/{pk}").status_code == 200
    assert api_client("sales").get(f"/api/v1/contacts/{pk}").status_code == 404


@pytest.mark.parametrize("role", ["support", "viewer"])
def test_read_only_roles_get_403_and_change_nothing(role):
    account = AccountFactory()
    contact = ContactFactory(account=account, job_title="Intacto")
    client = api_client(role)
    assert client.get(f"/api/v1/contacts/{contact.pk}").status_code == 200
    # A vCard is an export: support may, the viewer may not (SPEC §7, issue 14).
    vcard = client.get(f"/api/v1/contacts/{contact.pk}/vcard").status_code
    assert vcard == (403 if role == "viewer" else 200)
    assert patch(client, contact.pk, {"job_title": "Cambio", "version": 1}).status_code == 403
    assert client.delete(f"/api/v1/contacts/{contact.pk}").status_code == 403
    assert post(client, body(account=account.code)).status_code == 403
    assert post(client, body()).status_code == 403
    assert Contact.objects.get().job_title == "Intacto"
    assert Contact.objects.count() == 1


def test_unknown_contact_is_404():
    assert api_client().get("/api/v1/contacts/999999").status_code == 404


def test_without_credentials_the_api_answers_401(client):
    contact = ContactFactory()
    assert client.get("/api/v1/contacts").status_code == 401
    assert client.get(f"/api/v1/contacts/{contact.pk}/vcard").status_code == 401


# ── vCard ─────────────────────────────────────────────────────────────────────────────────


def test_vcard_is_the_same_card_as_the_ui():
    contact = ContactFactory(first_name="Begoña", last_name="Ñáñez", notes="Prefiere correo")
    client = api_client("support")
    response = client.get(f"/api/v1/contacts/{contact.pk}/vcard")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="Begona-Nanez.vcf"' in response["Content-Disposition"]
    contact = Contact.objects.select_related("account").get()
    assert response.content.decode() == contact_vcard(contact)
    ui = Client()
    ui.force_login(client.user)
    assert response.content == ui.get(f"/contacts/{contact.pk}/vcard/").content


def test_openapi_documents_the_vcard_as_text_vcard():
    schema = api_client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/contacts/{id}/vcard"]["get"]
    assert "text/vcard" in operation["responses"]["200"]["content"]
    letters = schema["components"]["schemas"]["ContactLetter"]["enum"]
    assert "Ñ" in letters and "#" in letters


@pytest.mark.parametrize("value", [0, 1, "true", "yes"])
def test_is_primary_takes_only_a_json_boolean(value):
    account = AccountFactory()
    response = post(api_client(), body(account=account.code, is_primary=value))
    assert response.status_code == 422
    assert "is_primary" in response.json()["errors"]
    contact = ContactFactory(account=account)
    response = patch(api_client(), contact.pk, {"is_primary": value, "version": 1})
    assert response.status_code == 422
