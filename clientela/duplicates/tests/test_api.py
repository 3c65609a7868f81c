"""API (SPEC §11): list candidate groups, merge with field choices, undo, and
`possible_duplicates` in the create answer; all in the OpenAPI document."""

import pytest

from clientela.accounts.models import Account
from clientela.accounts.tests.test_api import api_client, body, post
from clientela.core.tests.matrix import database_snapshot
from clientela.duplicates import scan
from clientela.duplicates.models import Merge

from .helpers import ContactFactory, UserFactory, new_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    owner = UserFactory(username="duena", role="manager")
    survivor = new_account(owner)
    merged = new_account(owner, name="GRUPO RODRIGUEZ, S.A.", tax_id="155124-1-2019")
    return survivor, merged


def test_create_answers_possible_duplicates_without_blocking():
    client = api_client()
    first = post(client, body())
    assert first.status_code == 201 and first.json()["possible_duplicates"] == []
    second = post(
        client, body(name="INVERSIONES NUNEZ", tax_id="155596714-2-2015", phone="223-4567")
    )
    assert second.status_code == 201
    found = second.json()["possible_duplicates"]
    assert [d["code"] for d in found] == [first.json()["code"]]
    assert {r["code"] for r in found[0]["reasons"]} >= {"name", "phone"}


def test_list_merge_and_undo(pair):
    survivor, merged = pair
    scan.scan("account", full=True)
    client = api_client()
    listed = client.get("/api/v1/duplicates")
    assert listed.status_code == 200
    item = listed.json()["items"][0]
    assert {r["code"] for r in item["records"]} == {survivor.code, merged.code}
    assert item["reasons"] and item["reasons"][0]["text"]
    answer = client.post(
        f"/api/v1/accounts/{survivor.code}/merge",
        data={"merged": merged.code, "values": {"name": "merged"}},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.json()
    merge_id = answer.json()["id"]
    assert answer.json()["fields"]["name"][2] == "merged"
    assert Account.objects.get(pk=survivor.pk).name == "GRUPO RODRIGUEZ, S.A."
    # The old code's API path answers 301 to the survivor.
    moved = client.get(f"/api/v1/accounts/{merged.code}")
    assert moved.status_code == 301
    assert moved["Location"] == f"/api/v1/accounts/{survivor.code}"
    undone = client.post(f"/api/v1/merges/{merge_id}/undo")
    assert undone.status_code == 200 and undone.json()["undone_at"]
    assert client.get(f"/api/v1/accounts/{merged.code}").status_code == 200
    again = client.post(f"/api/v1/merges/{merge_id}/undo")
    assert again.status_code == 422 and again.json()["detail"]


def test_bad_field_choice_is_a_422_and_changes_nothing(pair):
    survivor, merged = pair
    client = api_client()
    before = database_snapshot()
    answer = client.post(
        f"/api/v1/accounts/{survivor.code}/merge",
        data={"merged": merged.code, "values": {"code": "merged"}},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert database_snapshot() == before


@pytest.mark.parametrize(("role", "status"), [("sales", 404), ("support", 403), ("viewer", 403)])
def test_roles_that_may_not_merge_change_nothing(pair, role, status):
    survivor, merged = pair
    client = api_client(role=role)
    before = database_snapshot()
    answer = client.post(
        f"/api/v1/accounts/{survivor.code}/merge",
        data={"merged": merged.code},
        content_type="application/json",
    )
    assert answer.status_code == status
    assert database_snapshot() == before
    assert client.get("/api/v1/duplicates").status_code == 403


def test_contacts_merge_through_the_api():
    owner = UserFactory(username="duena", role="manager")
    account = new_account(owner)
    ana = ContactFactory(account=account, first_name="Ana", last_name="Gómez", email="ana@x.pa")
    dup = ContactFactory(account=account, first_name="ANA", last_name="GOMEZ", email="Ana@X.pa")
    client = api_client()
    answer = client.post(
        f"/api/v1/contacts/{ana.pk}/merge",
        data={"merged": str(dup.pk)},
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert Merge.objects.get().kind == "contact"


def test_openapi_lists_the_duplicates_operations():
    schema = api_client().get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/duplicates",
        "/api/v1/accounts/{code}/merge",
        "/api/v1/contacts/{id}/merge",
        "/api/v1/merges/{id}/undo",
    ):
        assert path in schema["paths"], path
    created = schema["paths"]["/api/v1/accounts"]["post"]["responses"]["201"]
    assert "possible_duplicates" in str(schema["components"]) and created
