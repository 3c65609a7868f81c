"""Issue 14, item 1: the OpenAPI document is valid and a client generated from it works."""

import importlib
import json
import sys

import pytest
from django.test import Client
from openapi_spec_validator import validate

from clientela.accounts.tests.factories import CustomerTypeFactory, UserFactory
from clientela.api.services import api_token_create

from . import run


@pytest.fixture
def document(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_openapi_document_is_valid(document):
    validate(document)


def test_operation_ids_are_short_unique_and_camel_case(document):
    ids = [op["operationId"] for path in document["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert all(op_id.isalnum() and op_id[0].islower() for op_id in ids), ids
    assert {"listAccounts", "createAccount", "getAccount", "updateAccount"} <= set(ids)
    assert {"listContacts", "listOpportunities", "listCases", "listCustomerTypes"} <= set(ids)


def test_query_parameter_examples_are_single_values(document):
    for path in document["paths"].values():
        for operation in path.values():
            for parameter in operation.get("parameters", ()):
                assert not isinstance(parameter.get("examples"), list), parameter


@pytest.mark.django_db(transaction=True)
def test_generated_client_works_against_a_live_server(live_server, tmp_path, monkeypatch):
    CustomerTypeFactory()
    _record, token = api_token_create(user=UserFactory(role="manager"), name="generated")
    folder = run.generate(run.fetch_document(live_server.url), tmp_path)
    monkeypatch.syspath_prepend(str(folder))
    importlib.invalidate_caches()
    try:
        done = run.scenario(live_server.url, token)
    finally:
        for name in [m for m in sys.modules if m.startswith(run.PACKAGE)]:
            del sys.modules[name]
    assert done[-1] == "duplicate → 409"
