import pytest
from django.test import Client

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory
from clientela.api.services import api_token_create
from clientela.audit.models import HistoryEntry

pytestmark = pytest.mark.django_db


def api_client(role="manager", user=None):
    user = user or UserFactory(role=role)
    _record, token = api_token_create(user=user, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.user = user
    return client


def body(**overrides):
    CustomerTypeFactory()
    data = {
        "person_kind": "legal",
        "name": "Inversiones Núñez, S.A.",
        "tax_id": "155596713-2-2015",
        "contact_name": "Lucía Peña",
        "email": "Info@Nunez.com.pa",
        "phone": "223-4567",
        "customer_type": "CORP",
    }
    data.update(overrides)
    return data


def post(client, data):
    return client.post("/api/v1/accounts", data=data, content_type="application/json")


def patch(client, code, data, **headers):
    return client.patch(
        f"/api/v1/accounts/{code}", data=data, content_type="application/json", **headers
    )


def test_create_read_update_delete_through_the_same_services():
    client = api_client()
    response = post(client, body())
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["code"].startswith("C-")
    assert created["tax_dv"] == "59"
    assert created["email"] == "info@nunez.com.pa"
    assert created["phone"] == "+5072234567"
    assert created["salesperson"] == client.user.username
    assert response["ETag"] == '"1"'

    response = client.get(f"/api/v1/accounts/{created['code']}")
    assert response.json()["name"] == "Inversiones Núñez, S.A."
    assert response["ETag"] == '"1"'

    response = patch(client, created["code"], {"city": "David", "version": 1})
    assert response.status_code == 200
    assert response.json()["city"] == "David"
    assert response.json()["version"] == 2

    assert client.delete(f"/api/v1/accounts/{created['code']}").status_code == 204
    assert not Account.objects.exists()
    actions = list(HistoryEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["create", "update", "delete"]


def test_list_pages_filters_searches_and_counts():
    client = api_client()
    AccountFactory(name="Farmacia Panamá", status="suspended")
    AccountFactory.create_batch(3)
    response = client.get("/api/v1/accounts?q=panama&status=suspended")
    data = response.json()
    assert data["count"] == 1
    assert data["items"][0]["name"] == "Farmacia Panamá"
    page = client.get("/api/v1/accounts?page_size=2&page=2&ordering=-name").json()
    assert page["count"] == 4 and len(page["items"]) == 2


def test_list_query_count_does_not_grow_with_page_size(django_assert_max_num_queries):
    client = api_client()
    AccountFactory.create_batch(3)
    with django_assert_max_num_queries(10) as few:
        client.get("/api/v1/accounts")
    AccountFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/accounts?page_size=200").json()["items"]) == 33


def test_page_size_above_200_is_refused():
    response = api_client().get("/api/v1/accounts?page_size=201")
    assert response.status_code == 422
    assert "page_size" in response.json()["errors"]


@pytest.mark.parametrize("ordering", ["name;DROP TABLE accounts_account", "(select 1)", "password"])
def test_ordering_outside_the_allow_list_is_a_422(ordering):
    response = api_client().get("/api/v1/accounts", {"ordering": ordering})
    assert response.status_code == 422
    assert "ordering" in response.json()["errors"]


def test_validation_errors_name_the_fields():
    response = post(api_client(), body(email="no-es-correo", tax_dv="11"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "email" in errors and "tax_dv" in errors
    assert not Account.objects.exists()


def test_unknown_and_system_fields_are_refused():
    client = api_client()
    for field, value in [("code", "C-999999"), ("version", 7), ("created_by", "admin"), ("x", 1)]:
        response = post(client, body(**{field: value}))
        assert response.status_code == 422, field
        assert field in response.json()["errors"]
    assert not Account.objects.exists()


def test_a_salesperson_cannot_assign_an_account_to_someone_else():
    other = UserFactory(role="sales")
    response = post(api_client("sales"), body(salesperson=other.username))
    assert response.status_code == 403
    assert not Account.objects.exists()


def test_duplicate_tax_id_is_a_409_with_the_existing_code():
    client = api_client()
    first = post(client, body()).json()
    response = post(client, body(name="Copia"))
    assert response.status_code == 409
    assert response.json()["existing_code"] == first["code"]


def test_stale_version_is_a_409_by_body_or_if_match():
    client = api_client()
    code = post(client, body()).json()["code"]
    assert patch(client, code, {"city": "Colón", "version": 1}).status_code == 200
    stale = patch(client, code, {"city": "David", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert patch(client, code, {"city": "David"}, HTTP_IF_MATCH='"1"').status_code == 409
    assert patch(client, code, {"city": "David"}, HTTP_IF_MATCH='"2"').status_code == 200
    assert Account.objects.get().city == "David"


def test_a_patch_without_any_version_is_refused():
    client = api_client()
    code = post(client, body()).json()["code"]
    response = patch(client, code, {"city": "David"})
    assert response.status_code == 422
    assert "version" in response.json()["errors"]


def test_nul_characters_are_bad_input_not_a_server_error():
    response = post(api_client(), body(name="Empresa\x00X"))
    assert response.status_code == 422


@pytest.mark.parametrize("role", ["sales"])
def test_invisible_accounts_answer_404_for_every_verb(role):
    account = AccountFactory()
    client = api_client(role)
    assert client.get(f"/api/v1/accounts/{account.code}").status_code == 404
    assert patch(client, account.code, {"city": "X", "version": 1}).status_code == 404
    assert client.delete(f"/api/v1/accounts/{account.code}").status_code == 404
    assert client.get("/api/v1/accounts").json()["count"] == 0


@pytest.mark.parametrize("role", ["support", "viewer"])
def test_read_only_roles_get_403_and_change_nothing(role):
    account = AccountFactory(name="Intacta")
    client = api_client(role)
    assert client.get(f"/api/v1/accounts/{account.code}").status_code == 200
    assert patch(client, account.code, {"name": "Cambio", "version": 1}).status_code == 403
    assert client.delete(f"/api/v1/accounts/{account.code}").status_code == 403
    assert post(client, body()).status_code == 403
    assert Account.objects.get().name == "Intacta"


def test_catalogs_and_users_are_listed():
    client = api_client()
    CustomerTypeFactory(code="PYME", name="PyME")
    codes = [i["code"] for i in client.get("/api/v1/catalogs/customer-types").json()["items"]]
    assert "PYME" in codes
    users = client.get("/api/v1/users").json()
    assert any(
        u["username"] == client.user.username and u["role"] == "manager" for u in users["items"]
    )


def test_users_search_pages_and_counts_its_matches():
    # The fuzzer found a 500 here: the search was sliced before the pager counted it.
    client = api_client()
    users = client.get("/api/v1/users", {"q": client.user.username, "page_size": 50}).json()
    assert [u["username"] for u in users["items"]] == [client.user.username]
    assert users["count"] == 1
    none = client.get("/api/v1/users", {"q": "0" * 150, "page": 1, "page_size": 50})
    assert none.status_code == 200
    assert none.json()["items"] == []


@pytest.mark.parametrize(
    ("field", "value"), [("taxable", 0), ("is_supplier", "yes"), ("credit_days", True)]
)
def test_booleans_and_numbers_must_have_their_json_type(field, value):
    response = post(api_client(), body(**{field: value}))
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_lone_surrogates_are_bad_input_not_a_server_error():
    client = api_client()
    response = client.post(
        "/api/v1/accounts",
        data='{"name": "\\ud800"}',
        content_type="application/json",
    )
    assert response.status_code == 422
