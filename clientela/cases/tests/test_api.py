from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clientela.accounts.models import Account
from clientela.api.services import api_token_create
from clientela.audit.models import HistoryEntry
from clientela.cases.models import Case, CaseComment
from clientela.cases.tests.factories import (
    AccountFactory,
    CaseCommentFactory,
    CaseFactory,
    ContactFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases"


def api_client(role="manager", user=None):
    user = user or UserFactory(role=role)
    _record, token = api_token_create(user=user, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.user = user
    return client


def post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def patch(client, number, data, **headers):
    return client.patch(f"{URL}/{number}", data=data, content_type="application/json", **headers)


def move(client, number, data, **headers):
    return client.post(
        f"{URL}/{number}/status", data=data, content_type="application/json", **headers
    )


def body(account, **overrides):
    data = {"account": account.code, "subject": "No llega la factura de marzo"}
    data.update(overrides)
    return data


# ── CRUD ────────────────────────────────────────────────────────────────────────────────────────


def test_create_read_update_delete_through_the_same_services():
    client = api_client()
    account = AccountFactory()
    contact = ContactFactory(account=account, first_name="Lucía", last_name="Peña")
    assignee = UserFactory(role="support")
    response = post(
        client,
        URL,
        body(
            account,
            contact=contact.pk,
            description="Desde el portal.",
            priority="urgent",
            assignee=assignee.username,
        ),
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["number"] == "K-000001"
    assert created["account"] == account.code
    assert created["contact"] == contact.pk
    assert created["contact_name"] == "Lucía Peña"
    assert created["assignee"] == assignee.username
    assert created["status"] == "new" and created["priority"] == "urgent"
    assert created["resolved_at"] is None and created["is_overdue"] is False
    assert created["created_by"] == client.user.username
    assert response["ETag"] == '"1"'

    response = client.get(f"{URL}/K-000001")
    assert response.status_code == 200
    assert response.json()["subject"] == "No llega la factura de marzo"
    assert response["ETag"] == '"1"'

    response = patch(client, "K-000001", {"priority": "low", "contact": None, "version": 1})
    assert response.status_code == 200, response.content
    changed = response.json()
    assert changed["priority"] == "low"
    assert changed["contact"] is None and changed["contact_name"] is None
    assert changed["version"] == 2
    assert response["ETag"] == '"2"'
    case = Case.objects.get()
    assert case.due_at - case.opened_at == timedelta(hours=120)  # low's response time

    assert client.delete(f"{URL}/K-000001").status_code == 204
    assert not Case.objects.exists()
    actions = list(HistoryEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["create", "update", "delete"]


def test_unknown_account_contact_and_assignee_are_422_naming_the_field():
    client = api_client()
    account = AccountFactory()
    response = post(client, URL, {**body(account), "account": "C-999999"})
    assert response.status_code == 422
    assert "account" in response.json()["errors"]
    response = post(client, URL, body(account, assignee="nadie", contact=10**9))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"assignee", "contact"}
    assert not Case.objects.exists()


def test_validation_errors_name_the_fields():
    client = api_client()
    account = AccountFactory()
    response = post(client, URL, body(account, subject="  x ", priority="pronto"))
    assert response.status_code == 422
    assert "priority" in response.json()["errors"]
    response = post(client, URL, body(account, subject="  x "))
    assert response.status_code == 422
    assert "subject" in response.json()["errors"]
    response = post(client, URL, {"subject": "Sin cuenta"})
    assert "account" in response.json()["errors"]
    assert not Case.objects.exists()


def test_a_contact_of_another_account_is_refused():
    client = api_client()
    account = AccountFactory()
    stranger = ContactFactory(account=AccountFactory())
    response = post(client, URL, body(account, contact=stranger.pk))
    assert response.status_code == 422
    assert response.json()["errors"]["contact"] == [
        "Este contacto no pertenece a la cuenta del caso."
    ]
    assert not Case.objects.exists()

    case = CaseFactory(account=account)
    response = patch(client, case.number, {"contact": stranger.pk, "version": 1})
    assert response.status_code == 422
    assert "contact" in response.json()["errors"]
    case.refresh_from_db()
    assert case.contact is None and case.version == 1


def test_assignee_who_cannot_work_the_account_is_refused():
    account = AccountFactory()
    colleague = UserFactory(role="sales")  # not this account's salesperson
    response = post(api_client(), URL, body(account, assignee=colleague.username))
    assert response.status_code == 422
    assert "assignee" in response.json()["errors"]


def test_system_and_unknown_fields_are_refused_on_create():
    client = api_client()
    account = AccountFactory()
    for field, value in [
        ("number", "K-999999"),
        ("status", "resolved"),
        ("resolution", "Hecho"),
        ("due_at", "2030-01-01T00:00:00Z"),
        ("resolved_at", "2030-01-01T00:00:00Z"),
        ("opened_at", "2020-01-01T00:00:00Z"),
        ("version", 7),
        ("created_by", "admin"),
        ("x", 1),
    ]:
        response = post(client, URL, body(account, **{field: value}))
        assert response.status_code == 422, field
        assert field in response.json()["errors"], field
    assert not Case.objects.exists()


def test_system_fields_and_the_account_are_refused_on_patch():
    client = api_client()
    case = CaseFactory()
    other = AccountFactory()
    for field, value in [
        ("account", other.code),
        ("number", "K-999999"),
        ("status", "resolved"),
        ("resolution", "Hecho"),
        ("due_at", "2030-01-01T00:00:00Z"),
        ("updated_by", "admin"),
    ]:
        response = patch(client, case.number, {field: value, "version": 1})
        assert response.status_code == 422, field
        assert field in response.json()["errors"], field
    assert Case.objects.get().version == 1


def test_null_for_a_required_field_is_a_422_not_a_server_error():
    client = api_client()
    case = CaseFactory()
    for field in ("subject", "description", "priority"):
        response = patch(client, case.number, {field: None, "version": 1})
        assert response.status_code == 422, field
        assert field in response.json()["errors"]


def test_nul_characters_are_bad_input_not_a_server_error():
    account = AccountFactory()
    response = post(api_client(), URL, body(account, subject="Factura\x00X"))
    assert response.status_code == 422


def test_a_closed_case_must_be_reopened_before_a_change():
    case = CaseFactory(status="closed")
    response = patch(api_client(), case.number, {"subject": "Otro asunto", "version": 1})
    assert response.status_code == 422
    assert Case.objects.get().subject == case.subject


# ── Workflow ────────────────────────────────────────────────────────────────────────────────────


def test_status_moves_through_the_workflow_service():
    client = api_client()
    case = CaseFactory()
    response = move(client, case.number, {"status": "in_progress", "version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"
    assert response["ETag"] == '"2"'

    response = move(client, case.number, {"status": "resolved", "version": 2})
    assert response.status_code == 422
    assert "resolution" in response.json()["errors"]

    response = move(
        client, case.number, {"status": "resolved", "resolution": "Reenviada.", "version": 2}
    )
    assert response.status_code == 200
    resolved = response.json()
    assert resolved["status"] == "resolved" and resolved["resolution"] == "Reenviada."
    assert resolved["resolved_at"] is not None

    response = move(client, case.number, {"status": "in_progress"}, HTTP_IF_MATCH='"3"')
    assert response.status_code == 200
    assert response.json()["resolution"] == "" and response.json()["resolved_at"] is None


def test_a_move_the_workflow_forbids_is_a_422_in_spanish_on_status():
    case = CaseFactory(status="in_progress")
    response = move(api_client(), case.number, {"status": "new", "version": 1})
    assert response.status_code == 422
    message = response.json()["errors"]["status"][0]
    assert message.startswith("Un caso en estatus «En proceso» no puede pasar a «Nuevo»")
    assert Case.objects.get().status == "in_progress"


def test_an_unknown_status_is_a_422():
    case = CaseFactory()
    response = move(api_client(), case.number, {"status": "archived", "version": 1})
    assert response.status_code == 422
    assert "status" in response.json()["errors"]


def test_taking_a_new_case_assigns_it_and_starts_it():
    client = api_client("support")
    case = CaseFactory()
    response = client.post(f"{URL}/{case.number}/take")
    assert response.status_code == 200
    assert response.json()["assignee"] == client.user.username
    assert response.json()["status"] == "in_progress"


# ── Concurrency ─────────────────────────────────────────────────────────────────────────────────


def test_stale_version_is_a_409_by_body_or_if_match():
    client = api_client()
    case = CaseFactory()
    assert patch(client, case.number, {"subject": "Primero", "version": 1}).status_code == 200
    stale = patch(client, case.number, {"subject": "Segundo", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    stale = patch(client, case.number, {"subject": "Segundo"}, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409
    assert move(client, case.number, {"status": "in_progress", "version": 1}).status_code == 409
    ok = patch(client, case.number, {"subject": "Segundo"}, HTTP_IF_MATCH='"2"')
    assert ok.status_code == 200
    assert Case.objects.get().subject == "Segundo"


def test_a_change_without_any_version_is_refused():
    client = api_client()
    case = CaseFactory()
    response = patch(client, case.number, {"subject": "Sin versión"})
    assert response.status_code == 422
    assert "version" in response.json()["errors"]
    response = move(client, case.number, {"status": "in_progress"})
    assert response.status_code == 422
    assert "version" in response.json()["errors"]
    assert Case.objects.get().version == 1


# ── Comments ────────────────────────────────────────────────────────────────────────────────────


def test_comments_are_listed_oldest_first_and_paged():
    client = api_client()
    case = CaseFactory()
    now = timezone.now()
    for minutes, text in [(3, "tercero"), (1, "primero"), (2, "segundo")]:
        CaseCommentFactory(case=case, body=text, created_at=now + timedelta(minutes=minutes))
    CaseCommentFactory(body="de otro caso")
    data = client.get(f"{URL}/{case.number}/comments").json()
    assert data["count"] == 3
    assert [c["body"] for c in data["items"]] == ["primero", "segundo", "tercero"]
    page = client.get(f"{URL}/{case.number}/comments?page_size=2&page=2").json()
    assert [c["body"] for c in page["items"]] == ["tercero"]


def test_a_comment_is_stored_and_returned_as_written():
    client = api_client("support")
    case = CaseFactory()
    text = "<script>alert('x')</script> & “comillas”"
    response = post(client, f"{URL}/{case.number}/comments", {"body": text})
    assert response.status_code == 201, response.content
    assert response.json()["body"] == text
    assert response.json()["author"] == client.user.username
    assert CaseComment.objects.get().body == text


def test_a_blank_comment_is_refused():
    case = CaseFactory()
    response = post(api_client(), f"{URL}/{case.number}/comments", {"body": "   "})
    assert response.status_code == 422
    assert "body" in response.json()["errors"]
    assert not CaseComment.objects.exists()


# ── Lists ───────────────────────────────────────────────────────────────────────────────────────


def test_list_shows_open_cases_in_queue_order_by_default():
    client = api_client()
    now = timezone.now()
    late = CaseFactory(priority="low", opened_at=now - timedelta(days=30))
    urgent = CaseFactory(priority="urgent")
    normal = CaseFactory(priority="normal")
    CaseFactory(status="resolved")
    numbers = [c["number"] for c in client.get(URL).json()["items"]]
    assert numbers == [late.number, urgent.number, normal.number]
    assert client.get(URL).json()["items"][0]["is_overdue"] is True


def test_list_filters_with_the_queues_names():
    client = api_client()
    me = client.user
    account = AccountFactory()
    mine = CaseFactory(account=account, assignee=me, priority="high", subject="Impresora rota")
    other = UserFactory()
    theirs = CaseFactory(assignee=other)
    nobody = CaseFactory()
    resolved = CaseFactory(status="resolved", account=account)
    closed = CaseFactory(status="closed")

    def numbers(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return {c["number"] for c in response.json()["items"]}

    assert numbers(scope="mine") == {mine.number}
    assert numbers(scope="unassigned") == {nobody.number}
    assert numbers(priority="high") == {mine.number}
    assert numbers(account=account.code) == {mine.number}
    assert numbers(account=account.code, status="resolved") == {resolved.number}
    assert numbers(status="closed") == {closed.number}
    assert numbers(assignee=other.username) == {theirs.number}
    assert numbers(q="impresora") == {mine.number}
    assert len(numbers(all_statuses=True)) == 5


def test_list_orders_by_an_allowed_column():
    client = api_client()
    first = CaseFactory(subject="Alfa")
    second = CaseFactory(subject="Beta")
    items = client.get(URL, {"ordering": "-subject"}).json()["items"]
    assert [c["number"] for c in items] == [second.number, first.number]
    items = client.get(URL, {"ordering": "number"}).json()["items"]
    assert [c["number"] for c in items] == [first.number, second.number]


@pytest.mark.parametrize(
    "params",
    [
        {"ordering": "subject;DROP TABLE cases_case"},
        {"ordering": "(select 1)"},
        {"ordering": "search_text"},
        {"scope": "everything"},
        {"status": "archived"},
        {"priority": "1 OR 1=1"},
        {"page_size": 201},
    ],
)
def test_filters_and_ordering_outside_the_allow_list_are_a_422(params):
    response = api_client().get(URL, params)
    assert response.status_code == 422
    assert set(params) <= set(response.json()["errors"])


def test_list_query_count_does_not_grow_with_page_size(django_assert_max_num_queries):
    client = api_client()
    for _ in range(3):
        CaseFactory(contact=ContactFactory(), assignee=UserFactory())
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    for _ in range(30):
        CaseFactory(contact=ContactFactory(), assignee=UserFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{URL}?page_size=200").json()["items"]) == 33


def test_comment_list_query_count_does_not_grow(django_assert_max_num_queries):
    client = api_client()
    case = CaseFactory()
    CaseCommentFactory.create_batch(2, case=case)
    with django_assert_max_num_queries(10) as few:
        client.get(f"{URL}/{case.number}/comments")
    for _ in range(20):
        CaseCommentFactory(case=case, author=UserFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"{URL}/{case.number}/comments").json()["count"] == 22


# ── Roles ───────────────────────────────────────────────────────────────────────────────────────


def test_sales_works_the_cases_of_their_own_accounts():
    client = api_client("sales")
    account = AccountFactory(salesperson=client.user)
    response = post(client, URL, body(account))
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    assert patch(client, number, {"subject": "Cambio", "version": 1}).status_code == 200
    assert move(client, number, {"status": "in_progress", "version": 2}).status_code == 200
    assert post(client, f"{URL}/{number}/comments", {"body": "Hola"}).status_code == 201
    # …but a case is closed, not deleted, by a salesperson.
    assert client.delete(f"{URL}/{number}").status_code == 403
    assert Case.objects.filter(number=number).exists()


def test_sales_gets_404_for_the_cases_of_other_accounts():
    client = api_client("sales")
    case = CaseFactory(subject="Ajeno")
    number = case.number
    assert client.get(f"{URL}/{number}").status_code == 404
    assert patch(client, number, {"subject": "X", "version": 1}).status_code == 404
    assert move(client, number, {"status": "in_progress", "version": 1}).status_code == 404
    assert client.post(f"{URL}/{number}/take").status_code == 404
    assert client.get(f"{URL}/{number}/comments").status_code == 404
    assert post(client, f"{URL}/{number}/comments", {"body": "Hola"}).status_code == 404
    assert client.delete(f"{URL}/{number}").status_code == 404
    assert client.get(URL, {"all_statuses": True}).json()["count"] == 0
    # Opening a case on that account: the account does not exist for them.
    response = post(client, URL, body(case.account))
    assert response.status_code == 422
    assert "account" in response.json()["errors"]
    case.refresh_from_db()
    assert (case.subject, case.version, case.status) == ("Ajeno", 1, "new")
    assert not CaseComment.objects.exists()


def test_support_works_every_case_but_cannot_delete():
    client = api_client("support")
    case = CaseFactory()
    assert post(client, URL, body(AccountFactory())).status_code == 201
    assert patch(client, case.number, {"subject": "Revisado", "version": 1}).status_code == 200
    assert client.delete(f"{URL}/{case.number}").status_code == 403
    assert Case.objects.filter(pk=case.pk).exists()


def test_viewer_reads_and_gets_403_for_every_write():
    client = api_client("viewer")
    case = CaseFactory(subject="Intacto")
    number = case.number
    assert client.get(f"{URL}/{number}").status_code == 200
    assert client.get(f"{URL}/{number}/comments").status_code == 200
    assert client.get(URL).json()["count"] == 1
    assert post(client, URL, body(case.account)).status_code == 403
    assert patch(client, number, {"subject": "Cambio", "version": 1}).status_code == 403
    assert move(client, number, {"status": "in_progress", "version": 1}).status_code == 403
    assert client.post(f"{URL}/{number}/take").status_code == 403
    assert post(client, f"{URL}/{number}/comments", {"body": "Hola"}).status_code == 403
    assert client.delete(f"{URL}/{number}").status_code == 403
    case.refresh_from_db()
    assert (case.subject, case.version, case.status, case.assignee) == ("Intacto", 1, "new", None)
    assert Case.objects.count() == 1 and not CaseComment.objects.exists()


def test_unknown_number_is_a_404():
    assert api_client().get(f"{URL}/K-999999").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"{URL}/K-00%00",
        f"{URL}/K-00%00/comments",
        f"{URL}?q=a%00b",
        f"{URL}?account=C%00",
        f"{URL}?assignee=a%00",
    ],
)
def test_nul_characters_in_the_url_are_not_a_server_error(url):
    assert api_client().get(url).status_code in (400, 404, 422)


def test_the_openapi_document_keeps_case_and_account_enums_apart():
    schema = api_client().get("/api/v1/openapi.json").json()["components"]["schemas"]

    def enum_of(out, field):
        ref = schema[out]["properties"][field]["$ref"].rsplit("/", 1)[-1]
        return schema[ref]["enum"]

    assert enum_of("CaseOut", "status") == list(Case.Status.values)
    assert enum_of("CaseOut", "priority") == list(Case.Priority.values)
    assert enum_of("AccountOut", "status") == list(Account.Status.values)
    assert enum_of("AccountOut", "priority") == list(Account.Priority.values)


def test_a_boolean_is_not_a_version_or_an_id():
    client = api_client()
    case = CaseFactory()
    response = move(client, case.number, {"status": "in_progress", "version": True})
    assert response.status_code == 422
    assert "version" in response.json()["errors"]
    response = patch(client, case.number, {"contact": True, "version": 1})
    assert response.status_code == 422
    assert "contact" in response.json()["errors"]
    assert Case.objects.get().version == 1
