from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clientela.activities.models import Activity
from clientela.activities.tests.factories import AccountFactory, ActivityFactory, UserFactory
from clientela.api.services import api_token_create
from clientela.cases.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/activities"


def api_client(role="manager", user=None):
    user = user or UserFactory(role=role)
    _record, token = api_token_create(user=user, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.user = user
    return client


def test_create_read_patch_done_delete():
    client = api_client()
    account = AccountFactory()
    contact = ContactFactory(account=account)
    response = client.post(
        URL,
        data={
            "account": account.code,
            "kind": "meeting",
            "subject": "Visita",
            "contact": contact.pk,
            "starts_at": "2027-01-15T09:30:00-05:00",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["account"] == account.code and body["contact"] == contact.pk
    assert body["assigned_to"] == client.user.username and body["done"] is False
    pk = body["id"]
    response = client.patch(
        f"{URL}/{pk}",
        data={"subject": "Visita a planta", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["subject"] == "Visita a planta"
    stale = client.patch(
        f"{URL}/{pk}", data={"subject": "Otra", "version": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    done = client.post(f"{URL}/{pk}/done", data={"done": True}, content_type="application/json")
    assert done.status_code == 200 and done.json()["done"] is True
    assert done.json()["done_by"] == client.user.username
    assert client.delete(f"{URL}/{pk}").status_code == 204
    assert not Activity.objects.exists()


@pytest.mark.parametrize("value", ["0", "1733000000", "2026-12-03T10:00:00"])
def test_a_date_filter_takes_only_a_calendar_date(value):
    # Found by schemathesis: pydantic read "0" as 1970-01-01.
    response = api_client().get(URL, {"due_to": value})
    assert response.status_code == 422
    assert "due_to" in response.json()["errors"]


@pytest.mark.parametrize("value", [0, 1, "true"])
def test_done_must_be_a_json_boolean(value):
    activity = ActivityFactory()
    response = api_client().post(
        f"{URL}/{activity.pk}/done", data={"done": value}, content_type="application/json"
    )
    assert response.status_code == 422
    activity.refresh_from_db()
    assert activity.done is False


def test_contact_of_another_account_is_422():
    client = api_client()
    response = client.post(
        URL,
        data={"account": AccountFactory().code, "subject": "X", "contact": ContactFactory().pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "contact" in response.json()["errors"]


def test_filters_account_assigned_done_and_due_range():
    client = api_client()
    seller = UserFactory(role="sales")
    account = AccountFactory(salesperson=seller)
    ActivityFactory(account=account, subject="Mañana", starts_at=timezone.now() + timedelta(days=1))
    ActivityFactory(account=account, subject="Hecha", done=True, done_at=timezone.now())
    ActivityFactory(subject="Otra cuenta")
    found = client.get(URL, {"account": account.code, "done": "false"}).json()
    assert [a["subject"] for a in found["items"]] == ["Mañana"]
    found = client.get(URL, {"assigned": seller.username}).json()
    assert found["count"] == 2
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    found = client.get(URL, {"due_from": tomorrow, "due_to": tomorrow}).json()
    assert [a["subject"] for a in found["items"]] == ["Mañana"]


def test_salesperson_gets_404_for_other_accounts_activity():
    client = api_client(role="sales")
    activity = ActivityFactory(subject="Ajena")
    assert client.get(f"{URL}/{activity.pk}").status_code == 404
    assert (
        client.post(
            f"{URL}/{activity.pk}/done", data={}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get(URL).json()["count"] == 0


def test_my_day():
    client = api_client(role="sales")
    account = AccountFactory(salesperson=client.user)
    ActivityFactory(
        account=account, subject="Atrasada", starts_at=timezone.now() - timedelta(days=3)
    )
    ActivityFactory(account=account, subject="Hoy", starts_at=timezone.now())
    body = client.get(f"{URL}/my-day").json()
    assert [a["subject"] for a in body["overdue"]] == ["Atrasada"]
    assert [a["subject"] for a in body["today"]] == ["Hoy"]
    assert (
        client.get(f"{URL}/my-day", {"user": UserFactory(role="sales").username}).status_code == 403
    )


def test_my_day_names_the_authors_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    client = api_client(role="sales")
    account = AccountFactory(salesperson=client.user)
    ActivityFactory(account=account, starts_at=timezone.now(), created_by=client.user)
    with django_assert_max_num_queries(40) as few:
        client.get(f"{URL}/my-day")
    for days in range(-3, 4):
        ActivityFactory(account=account, starts_at=timezone.now() + timedelta(days=days))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(f"{URL}/my-day").json()
    assert body["today"][0]["created_by"] == client.user.username


def test_in_openapi_document():
    paths = api_client().get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/activities" in paths and "/api/v1/activities/my-day" in paths
