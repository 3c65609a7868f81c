"""Issue 14, item 4: every text input of the API is stripped before its rules run, and
single-line fields refuse line breaks, control characters and bidi overrides."""

import pytest
from django.test import Client
from pydantic import ValidationError

import clientela.api.main  # noqa: F401  (imports every app's schemas)
from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory
from clientela.api.schemas import StorableText
from clientela.api.services import api_token_create
from clientela.core.text import MULTILINE_FIELDS
from clientela.opportunities.models import Opportunity

REFUSED = ["a\nb", "a\rb", "a\tb", "a\x1bb", "a\u202eb", "a\u2066b", "a\u2069b", "a\x85b"]
SINGLE_LINE_ES = "No se permiten saltos de línea"


def _schemas(base=StorableText):
    for schema in base.__subclasses__():
        yield schema
        yield from _schemas(schema)


def _text_fields(schema):
    for name, info in schema.model_fields.items():
        if "str" in repr(info.annotation) or "Enum" in repr(info.annotation):
            yield name


SCHEMAS = sorted(set(_schemas()), key=lambda s: (s.__module__, s.__qualname__))
SWEEP = [(schema, name) for schema in SCHEMAS for name in _text_fields(schema)]


def test_the_sweep_covers_every_app():
    modules = {schema.__module__ for schema in _schemas()}
    for app in ("accounts", "contacts", "opportunities", "cases", "documents", "catalogs"):
        assert f"clientela.{app}.apis" in modules


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: s.__name__)
def test_every_api_schema_strips_text(schema):
    validators = schema.__pydantic_decorators__.field_validators
    assert "storable" in validators
    assert validators["storable"].info.fields == ("*",)


@pytest.mark.parametrize(("schema", "name"), SWEEP, ids=[f"{s.__name__}.{n}" for s, n in SWEEP])
def test_every_single_line_api_input_refuses_control_characters(schema, name):
    for value in REFUSED:
        try:
            schema.model_validate({name: value})
            errors = []
        except ValidationError as exc:
            errors = [e for e in exc.errors() if e["loc"] and e["loc"][0] == name]
        if name in MULTILINE_FIELDS and value in ("a\nb", "a\rb", "a\tb"):
            assert not errors, (name, value, errors)
        elif name not in MULTILINE_FIELDS:
            assert errors, (schema.__name__, name, repr(value))


@pytest.fixture
def client(db):
    _record, token = api_token_create(user=UserFactory(role="manager"), name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def account_body(**overrides):
    CustomerTypeFactory()
    data = {
        "person_kind": "legal",
        "name": "Inversiones Núñez, S.A.",
        "tax_id": "155596713-2-2015",
        "contact_name": "Lucía Peña",
        "email": "info@nunez.com.pa",
        "phone": "223-4567",
        "customer_type": "CORP",
    }
    return {**data, **overrides}


def post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data=data, content_type="application/json")


@pytest.mark.django_db
def test_a_name_of_spaces_is_refused_on_create_and_patch(client):
    response = post(client, "/api/v1/accounts", account_body(name="   "))
    assert response.status_code == 422, response.content
    assert "name" in response.json()["errors"]
    assert not Account.objects.exists()
    account = AccountFactory(name="Cuenta Original")
    response = patch(client, f"/api/v1/accounts/{account.code}", {"name": " \t ", "version": 1})
    assert response.status_code == 422
    account.refresh_from_db()
    assert account.name == "Cuenta Original"
    response = patch(client, f"/api/v1/accounts/{account.code}", {"city": "David", "version": 1})
    assert response.status_code == 200


@pytest.mark.django_db
def test_text_is_stored_stripped(client):
    response = post(client, "/api/v1/accounts", account_body(name="  Núñez Hermanos  "))
    assert response.status_code == 201, response.content
    assert Account.objects.get().name == "Núñez Hermanos"


@pytest.mark.django_db
@pytest.mark.parametrize("value", REFUSED, ids=repr)
def test_a_single_line_field_refuses_control_characters_with_a_spanish_message(client, value):
    response = post(client, "/api/v1/accounts", account_body(name=value + " S.A."))
    assert response.status_code == 422
    assert response.json()["errors"]["name"][0].startswith(SINGLE_LINE_ES)
    assert not Account.objects.exists()


@pytest.mark.django_db
def test_opportunity_names_are_stripped_and_checked(client):
    account = AccountFactory()
    url = "/api/v1/opportunities"
    data = {"account": account.code, "name": "   ", "stage": "prospecting", "amount": "10"}
    assert post(client, url, data).status_code == 422
    assert post(client, url, {**data, "name": "Venta\u202eX"}).status_code == 422
    created = post(client, url, {**data, "name": " Venta ", "description": "Línea 1\nLínea 2"})
    assert created.status_code == 201, created.content
    opportunity = Opportunity.objects.get()
    assert (opportunity.name, opportunity.description) == ("Venta", "Línea 1\nLínea 2")
    response = patch(client, f"{url}/{opportunity.pk}", {"name": "  ", "version": 1})
    assert response.status_code == 422


@pytest.mark.django_db
def test_query_strings_are_stripped_and_checked(client):
    AccountFactory(name="Farmacia Panamá")
    assert client.get("/api/v1/accounts?q=%20farmacia%20").json()["count"] == 1
    assert client.get("/api/v1/accounts?q=far%0Amacia").status_code == 422
