"""Issue 14, item 2: API error messages follow the request's language (Spanish by
default, English with Accept-Language: en), fields named as in SPEC §2."""

import pytest
from django.test import Client

from clientela.accounts.tests.factories import CustomerTypeFactory, UserFactory
from clientela.api.services import api_token_create

pytestmark = pytest.mark.django_db

# Fragments of pydantic's own English messages: none may reach a Spanish reply.
PYDANTIC_ENGLISH = ("Field required", "Input should", "String should", "Value error", "valid")


@pytest.fixture
def client():
    _record, token = api_token_create(user=UserFactory(role="manager"), name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def post(client, data, **headers):
    return client.post("/api/v1/accounts", data=data, content_type="application/json", **headers)


BAD = {
    "person_kind": "otro",
    "name": "x" * 201,
    "taxable": "quizá",
    "credit_days": 999,
    "credit_limit": "mucho",
    "salesperson": 12,
    "extra": 1,
}


def test_validation_errors_are_spanish_by_default(client):
    response = post(client, BAD)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "La solicitud tiene campos inválidos."
    errors = body["errors"]
    assert errors["person_kind"] == ["Ingrese uno de: 'natural', 'legal'."]
    assert errors["tax_id"] == ["Este campo es obligatorio."]
    assert errors["extra"] == ["Campo desconocido."]
    assert set(errors) >= {"name", "taxable", "credit_days", "credit_limit", "salesperson"}
    for messages in errors.values():
        for message in messages:
            assert not any(fragment in message for fragment in PYDANTIC_ENGLISH), message


def test_validation_errors_are_english_on_request(client):
    errors = post(client, BAD, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.8").json()["errors"]
    assert errors["person_kind"] == ["Enter one of: 'natural', 'legal'."]
    assert errors["tax_id"] == ["This field is required."]
    assert errors["name"] == ["Ensure this value has at most 200 characters."]
    assert errors["credit_days"] == ["Ensure this value is less than or equal to 365."]


def test_an_unsupported_language_gets_spanish(client):
    errors = post(client, {}, HTTP_ACCEPT_LANGUAGE="fr").json()["errors"]
    assert errors["name"] == ["Este campo es obligatorio."]


def test_model_rules_follow_the_language_too(client):
    data = {
        "person_kind": "legal",
        "name": "Inversiones Núñez, S.A.",
        "tax_id": "155596713-2-2015",
        "email": "no-es-correo",
        "phone": "223-4567",
        "customer_type": "CORP",
    }
    CustomerTypeFactory()
    spanish = post(client, data).json()["errors"]
    english = post(client, data, HTTP_ACCEPT_LANGUAGE="en").json()["errors"]
    assert spanish["email"] != english["email"]
    assert english["email"] == ["Enter a valid email address."]


def test_a_body_that_is_not_json_is_answered_in_the_language(client):
    response = client.post("/api/v1/accounts", data="{no", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "El cuerpo de la solicitud no es JSON válido."


def test_query_parameter_errors_are_translated(client):
    response = client.get("/api/v1/accounts?page_size=500", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "page_size": ["Ensure this value is less than or equal to 200."]
    }
