import csv
import io

import pytest
from django.urls import reverse

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.api.services import api_token_create

from .files import ACCOUNT_HEADER, account_row, csv_bytes

pytestmark = pytest.mark.django_db


def _auth(user):
    token = api_token_create(user=user, name="importer")
    return {"HTTP_AUTHORIZATION": f"Bearer {token[1]}"}


@pytest.fixture
def headers(importer_admin):
    return _auth(importer_admin)


def test_post_imports_checks_a_file_and_answers_the_job_with_its_status_url(
    client, headers, corporate, django_capture_on_commit_callbacks
):
    data = csv_bytes([ACCOUNT_HEADER, account_row(1), account_row(2, email="malo")])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/imports",
            {"file": io.BytesIO(data), "kind": "accounts", "mode": "upsert", "dry_run": "true"},
            **headers,
        )
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["status_url"] == f"/api/v1/imports/{job['id']}"
    status = client.get(job["status_url"], **headers).json()
    assert (status["status"], status["created"], status["refused"]) == ("checked", 1, 1)
    assert status["refusals"][0]["line"] == 3
    assert not Account.objects.exists()


def test_post_imports_with_dry_run_false_imports_every_row_or_none(
    client, headers, corporate, django_capture_on_commit_callbacks
):
    data = csv_bytes([ACCOUNT_HEADER, account_row(1), account_row(2)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/imports",
            {"file": io.BytesIO(data), "kind": "accounts", "dry_run": "false"},
            **headers,
        )
    job = client.get(response.json()["status_url"], **headers).json()
    assert (job["status"], job["created"]) == ("done", 2)
    assert Account.objects.count() == 2


def test_a_file_without_header_is_a_422_beside_file(client, headers):
    data = csv_bytes([["Peña", "8-1-1"]])
    response = client.post(
        "/api/v1/imports", {"file": io.BytesIO(data), "kind": "accounts"}, **headers
    )
    assert response.status_code == 422
    assert "file" in response.json()["errors"]


def test_a_viewer_gets_403_from_post_imports(client):
    response = client.post(
        "/api/v1/imports",
        {"file": io.BytesIO(b"a"), "kind": "accounts"},
        **_auth(UserFactory(role="viewer")),
    )
    assert response.status_code == 403


def test_accounts_export_streams_the_filtered_list_in_scope(client):
    seller = UserFactory(role="sales")
    AccountFactory(salesperson=seller, city="David", name="Mía, S.A.")
    AccountFactory(name="Ajena, S.A.")
    response = client.get(
        "/api/v1/accounts/export", {"format": "csv", "q": "S.A."}, **_auth(seller)
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == ["Mía, S.A."]
    xlsx = client.get("/api/v1/accounts/export", {"format": "xlsx"}, **_auth(seller))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_accounts_export_is_403_for_a_viewer(client):
    response = client.get("/api/v1/accounts/export", **_auth(UserFactory(role="viewer")))
    assert response.status_code == 403


def test_both_operations_are_in_the_openapi_document(client, headers):
    paths = client.get("/api/v1/openapi.json", **headers).json()["paths"]
    assert "post" in paths["/api/v1/imports"]
    assert "get" in paths["/api/v1/imports/{id}"]
    assert "get" in paths["/api/v1/accounts/export"]
    params = {p["name"] for p in paths["/api/v1/accounts/export"]["get"]["parameters"]}
    assert {"format", "q", "status", "customer_type", "salesperson", "ordering"} <= params
    assert reverse("api:get_import", args=[1]) == "/api/v1/imports/1"
