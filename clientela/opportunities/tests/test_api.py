import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.api.services import api_token_create
from clientela.audit.models import HistoryEntry
from clientela.opportunities.models import Opportunity
from clientela.opportunities.selectors import SORTS
from clientela.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/opportunities"


def api_client(role="manager", user=None):
    user = user or UserFactory(role=role)
    _record, token = api_token_create(user=user, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.user = user
    return client


def body(account_, **overrides):
    data = {
        "account": account_.code,
        "name": "Suministro de equipos",
        "stage": "prospecting",
        "amount": "1234.50",
        "currency": "usd",
        "expected_close_date": "2026-09-30",
    }
    data.update(overrides)
    return data


def post(client, data):
    return client.post(URL, data=data, content_type="application/json")


def patch(client, pk, data, **headers):
    return client.patch(f"{URL}/{pk}", data=data, content_type="application/json", **headers)


def move(client, pk, data, **headers):
    return client.post(f"{URL}/{pk}/move", data=data, content_type="application/json", **headers)


@pytest.fixture
def seller():
    return UserFactory(role="sales")


@pytest.fixture
def own_account(seller):
    return AccountFactory(salesperson=seller, name="Ferretería Chiriquí")


@pytest.fixture
def credit_account(seller):
    return AccountFactory(
        salesperson=seller,
        payment_terms=Account.PaymentTerms.CREDIT,
        credit_days=30,
        credit_limit=Decimal("10000.00"),
    )


# ── CRUD ────────────────────────────────────────────────────────────────────────────────


def test_create_read_update_move_delete_through_the_same_services(own_account, seller):
    client = api_client()
    response = post(client, body(own_account))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["account"] == own_account.code
    assert created["account_name"] == "Ferretería Chiriquí"
    assert created["amount"] == "1234.50"
    assert created["currency"] == "USD"
    assert created["probability"] == 10  # the stage's usual
    assert created["owner"] == seller.username  # the account's salesperson
    assert created["closed_at"] is None
    assert created["created_by"] == client.user.username
    assert created["warnings"] == []
    assert response["ETag"] == '"1"'
    pk = created["id"]

    response = client.get(f"{URL}/{pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "Suministro de equipos"
    assert "warnings" not in response.json()
    assert response["ETag"] == '"1"'

    response = patch(client, pk, {"amount": "2000", "stage": "proposal", "version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["probability"] == 50
    assert response.json()["amount"] == "2000.00"
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'

    response = move(client, pk, {"stage": "won", "version": 2})
    assert response.status_code == 200, response.content
    moved = response.json()
    assert moved["stage"] == "won" and moved["probability"] == 100
    assert moved["closed_at"] is not None
    assert moved["version"] == 3

    assert client.delete(f"{URL}/{pk}").status_code == 204
    assert not Opportunity.objects.exists()
    actions = list(HistoryEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["create", "update", "update", "delete"]


def test_an_explicit_probability_is_kept_and_null_gives_back_the_stages(own_account):
    client = api_client()
    created = post(client, body(own_account, stage="negotiation", probability=60)).json()
    assert created["probability"] == 60
    response = patch(client, created["id"], {"probability": None, "version": 1})
    assert response.status_code == 200
    assert response.json()["probability"] == 75


def test_owner_and_account_by_their_public_ids(own_account):
    client = api_client()
    other = UserFactory(role="sales", username="luis.rios")
    created = post(client, body(own_account, owner="luis.rios")).json()
    assert created["owner"] == "luis.rios"
    assert Opportunity.objects.get().owner == other


# ── Rules ───────────────────────────────────────────────────────────────────────────────


def test_won_and_lost_set_closed_at_and_lost_needs_a_reason(own_account):
    client = api_client()
    response = post(client, body(own_account, stage="lost"))
    assert response.status_code == 422
    assert "lost_reason" in response.json()["errors"]
    assert not Opportunity.objects.exists()

    lost = post(client, body(own_account, stage="lost", lost_reason="Precio")).json()
    assert lost["closed_at"] is not None and lost["lost_reason"] == "Precio"
    assert lost["probability"] == 0
    won = post(client, body(own_account, stage="won")).json()
    assert won["closed_at"] is not None and won["probability"] == 100

    # Reopening clears the close date and the reason.
    response = move(client, lost["id"], {"stage": "proposal", "version": 1})
    assert response.json()["closed_at"] is None and response.json()["lost_reason"] == ""


def test_a_move_to_lost_without_a_reason_is_refused_and_changes_nothing(own_account):
    client = api_client()
    opportunity = OpportunityFactory(account=own_account)
    response = move(client, opportunity.pk, {"stage": "lost", "version": 1})
    assert response.status_code == 422
    assert "lost_reason" in response.json()["errors"]
    opportunity.refresh_from_db()
    assert opportunity.stage == "prospecting" and opportunity.version == 1

    response = move(client, opportunity.pk, {"stage": "lost", "lost_reason": "Plazo", "version": 1})
    assert response.status_code == 200
    assert response.json()["lost_reason"] == "Plazo"


@pytest.mark.parametrize("status", ["inactive", "suspended"])
def test_inactive_and_suspended_accounts_take_no_new_opportunity(status):
    account = AccountFactory(status=status)
    response = post(api_client(), body(account))
    assert response.status_code == 422
    assert account.code in response.json()["errors"]["account"][0]
    assert not Opportunity.objects.exists()


def test_unknown_account_and_owner_are_field_errors(own_account):
    client = api_client()
    response = post(client, body(own_account, account="C-999999", owner="nadie"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "account" in errors and "owner" in errors
    assert not Opportunity.objects.exists()


def test_validation_errors_name_the_fields(own_account):
    response = post(api_client(), body(own_account, name="x", currency="US1", amount="-1"))
    assert response.status_code == 422
    assert "amount" in response.json()["errors"]
    response = post(api_client(), body(own_account, name="x", currency="US1"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "name" in errors and "currency" in errors
    assert not Opportunity.objects.exists()


def test_a_patch_cannot_empty_required_fields(own_account):
    client = api_client()
    opportunity = OpportunityFactory(account=own_account)
    response = patch(client, opportunity.pk, {"name": None, "stage": None, "version": 1})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"name", "stage"}
    opportunity.refresh_from_db()
    assert opportunity.version == 1


def test_a_move_to_an_unknown_stage_is_a_422(own_account):
    opportunity = OpportunityFactory(account=own_account)
    response = move(api_client(), opportunity.pk, {"stage": "archived", "version": 1})
    assert response.status_code == 422
    assert "stage" in response.json()["errors"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("expected_close_date", 0),  # pydantic would read seconds since 1970
        ("expected_close_date", "0"),
        ("expected_close_date", "2026-09-30T10:00:00"),
        ("probability", True),  # pydantic would read 1
        ("probability", "50"),
    ],
)
def test_values_of_another_type_than_documented_are_refused(own_account, field, value):
    response = post(api_client(), body(own_account, **{field: value}))
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize("field", ["name", "description", "lost_reason", "currency", "owner"])
@pytest.mark.parametrize("text", ["Venta\\u0000X", "Venta\\ud8faX"])
def test_text_the_database_cannot_store_is_bad_input_not_a_server_error(own_account, field, text):
    # NUL (PostgreSQL refuses it) and a lone surrogate (not UTF-8), as JSON escapes.
    data = json.dumps(body(own_account, stage="lost", **{field: "?"})).replace('"?"', f'"{text}"')
    response = api_client().post(URL, data=data, content_type="application/json")
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize("param", ["q", "owner", "account"])
def test_nul_characters_in_filters_are_bad_input_not_a_server_error(param):
    response = api_client().get(URL, {param: "a\x00b"})
    # Refused for every URL of the site by RejectNulMiddleware, before any view.
    assert response.status_code == 400
    assert response.json()["detail"]


# ── Credit warning ──────────────────────────────────────────────────────────────────────


def test_the_credit_warning_reaches_api_clients_on_create_update_and_move(credit_account):
    client = api_client()
    OpportunityFactory(account=credit_account, amount=Decimal("6000.00"))
    response = post(client, body(credit_account, amount="5000", currency="USD"))
    assert response.status_code == 201
    warnings = response.json()["warnings"]
    assert len(warnings) == 1 and credit_account.code in warnings[0]
    pk = response.json()["id"]

    # Within the limit: saved, no warning.
    response = patch(client, pk, {"amount": "1000", "version": 1})
    assert response.status_code == 200 and response.json()["warnings"] == []
    response = patch(client, pk, {"amount": "4500", "version": 2})
    assert response.status_code == 200 and len(response.json()["warnings"]) == 1

    # Lost opportunities commit nothing; winning one back warns again.
    lost = move(client, pk, {"stage": "lost", "lost_reason": "Precio", "version": 3})
    assert lost.json()["warnings"] == []
    won = move(client, pk, {"stage": "won", "version": 4})
    assert won.status_code == 200 and len(won.json()["warnings"]) == 1
    assert Opportunity.objects.get(pk=pk).stage == "won"


# ── Concurrency ─────────────────────────────────────────────────────────────────────────


def test_stale_version_is_a_409_by_body_or_if_match(own_account):
    client = api_client()
    pk = OpportunityFactory(account=own_account).pk
    assert patch(client, pk, {"name": "Primera", "version": 1}).status_code == 200
    stale = patch(client, pk, {"name": "Segunda", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert patch(client, pk, {"name": "Segunda"}, HTTP_IF_MATCH='"1"').status_code == 409
    assert patch(client, pk, {"name": "Segunda"}, HTTP_IF_MATCH='"2"').status_code == 200
    assert Opportunity.objects.get().name == "Segunda"


def test_a_stale_move_is_a_409_and_moves_nothing(own_account):
    client = api_client()
    pk = OpportunityFactory(account=own_account).pk
    assert patch(client, pk, {"name": "Cambio", "version": 1}).status_code == 200
    response = move(client, pk, {"stage": "won", "version": 1})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert Opportunity.objects.get().stage == "prospecting"
    assert move(client, pk, {"stage": "won"}, HTTP_IF_MATCH='"2"').status_code == 200


@pytest.mark.parametrize("send", [patch, move])
@pytest.mark.parametrize("version", [None, True, "1"])
def test_a_write_without_a_version_number_is_refused(own_account, send, version):
    pk = OpportunityFactory(account=own_account).pk
    data = {"stage": "proposal"} if version is None else {"stage": "proposal", "version": version}
    response = send(api_client(), pk, data)
    assert response.status_code == 422
    assert "version" in response.json()["errors"]
    assert Opportunity.objects.get().version == 1


# ── Mass assignment ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("closed_at", "2026-01-01T00:00:00Z"),
        ("version", 7),
        ("created_by", "admin"),
        ("updated_by", "admin"),
        ("id", 99),
        ("search_text", "x"),
        ("account_name", "Otra"),
        ("x", 1),
    ],
)
def test_system_and_unknown_fields_are_refused_on_create(own_account, field, value):
    response = post(api_client(), body(own_account, **{field: value}))
    assert response.status_code == 422, field
    assert field in response.json()["errors"]
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize("field", ["closed_at", "created_by", "created_at", "id"])
def test_system_fields_are_refused_on_patch_and_move(own_account, field):
    client = api_client()
    opportunity = OpportunityFactory(account=own_account)
    for send in (patch, move):
        response = send(client, opportunity.pk, {"stage": "won", "version": 1, field: "1"})
        assert response.status_code == 422
        assert field in response.json()["errors"]
    opportunity.refresh_from_db()
    assert opportunity.stage == "prospecting" and opportunity.closed_at is None


# ── List ────────────────────────────────────────────────────────────────────────────────


def test_list_filters_with_the_uis_names_and_totals_the_filtered_set(own_account, seller):
    client = api_client()
    other_owner = UserFactory(role="sales", username="marta.diaz")
    OpportunityFactory(
        account=own_account,
        name="Licencias anuales",
        stage="negotiation",
        probability=75,
        amount=Decimal("1000.00"),
        expected_close_date=date(2026, 5, 10),
    )
    OpportunityFactory(
        account=own_account,
        name="Mantenimiento",
        stage="proposal",
        probability=50,
        amount=Decimal("400.00"),
        currency="EUR",
        owner=other_owner,
        expected_close_date=date(2026, 7, 1),
    )
    OpportunityFactory(
        name="Equipos",
        stage="won",
        closed_at="2026-01-01T00:00:00Z",
        amount=Decimal("50.00"),
    )

    def listed(**params):
        data = client.get(URL, params).json()
        return sorted(item["name"] for item in data["items"])

    assert listed(q="licencia") == ["Licencias anuales"]
    assert listed(q="ferreteria") == ["Licencias anuales", "Mantenimiento"]  # account name
    assert listed(stage="won") == ["Equipos"]
    assert listed(state="open") == ["Licencias anuales", "Mantenimiento"]
    assert listed(state="closed") == ["Equipos"]
    assert listed(owner="marta.diaz") == ["Mantenimiento"]
    assert listed(account=own_account.code.lower()) == ["Licencias anuales", "Mantenimiento"]
    assert listed(close_from="2026-06-01") == ["Mantenimiento"]
    assert listed(close_to="2026-06-01") == ["Licencias anuales"]

    data = client.get(URL, {"state": "open", "page_size": 1}).json()
    assert data["count"] == 2 and len(data["items"]) == 1
    assert data["totals"] == [
        {"currency": "EUR", "count": 1, "amount": "400.00", "weighted": "200.00"},
        {"currency": "USD", "count": 1, "amount": "1000.00", "weighted": "750.00"},
    ]


def test_list_orders_by_every_allowed_column(own_account):
    client = api_client()
    OpportunityFactory(account=own_account, name="B", amount=Decimal("1"))
    OpportunityFactory(account=own_account, name="A", amount=Decimal("2"), stage="proposal")
    for key in SORTS:
        for ordering in (key, f"-{key}"):
            response = client.get(URL, {"ordering": ordering})
            assert response.status_code == 200, ordering
            assert response.json()["count"] == 2
    names = [i["name"] for i in client.get(URL, {"ordering": "-amount"}).json()["items"]]
    assert names == ["A", "B"]


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("ordering", "name;DROP TABLE opportunities_opportunity"),
        ("ordering", "(select 1)"),
        ("ordering", "search_text"),
        ("ordering", "account__salesperson__password"),
        ("stage", "archived"),
        ("state", "all"),
        ("close_from", "2026-13-01"),
        ("close_to", "0"),
        ("close_to", "1767225600"),
        ("page_size", "201"),
    ],
)
def test_values_outside_the_allow_lists_are_a_422(param, value):
    response = api_client().get(URL, {param: value})
    assert response.status_code == 422
    assert param in response.json()["errors"]


def test_list_query_count_does_not_grow_with_page_size(django_assert_max_num_queries):
    client = api_client()
    OpportunityFactory.create_batch(3)
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    OpportunityFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{URL}?page_size=200&ordering=stage").json()["items"]) == 33


# ── Roles ───────────────────────────────────────────────────────────────────────────────


def test_a_salesperson_sees_and_works_only_their_accounts_opportunities(seller, own_account):
    client = api_client(user=seller)
    mine = OpportunityFactory(account=own_account)
    theirs = OpportunityFactory()
    data = client.get(URL).json()
    assert data["count"] == 1 and data["items"][0]["id"] == mine.pk
    assert client.get(f"{URL}/{theirs.pk}").status_code == 404
    assert patch(client, theirs.pk, {"name": "X", "version": 1}).status_code == 404
    assert move(client, theirs.pk, {"stage": "won", "version": 1}).status_code == 404
    assert client.delete(f"{URL}/{theirs.pk}").status_code == 404
    # Another's account is not one they can pick, as in the form.
    response = post(client, body(theirs.account))
    assert response.status_code == 422 and "account" in response.json()["errors"]
    theirs.refresh_from_db()
    assert theirs.version == 1 and Opportunity.objects.count() == 2

    assert post(client, body(own_account, owner=seller.username)).status_code == 201
    assert patch(client, mine.pk, {"name": "Propia", "version": 1}).status_code == 200
    assert client.delete(f"{URL}/{mine.pk}").status_code == 204


def test_a_salesperson_cannot_give_an_opportunity_to_someone_else(seller, own_account):
    client = api_client(user=seller)
    colleague = UserFactory(role="sales")
    response = post(client, body(own_account, owner=colleague.username))
    assert response.status_code == 403
    assert not Opportunity.objects.exists()

    opportunity = OpportunityFactory(account=own_account)
    response = patch(client, opportunity.pk, {"owner": colleague.username, "version": 1})
    assert response.status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.owner == seller and opportunity.version == 1


def test_a_manager_may_give_an_opportunity_to_someone_else(own_account):
    colleague = UserFactory(role="sales", username="pedro.vega")
    opportunity = OpportunityFactory(account=own_account)
    response = patch(api_client(), opportunity.pk, {"owner": "pedro.vega", "version": 1})
    assert response.status_code == 200
    assert response.json()["owner"] == "pedro.vega"
    opportunity.refresh_from_db()
    assert opportunity.owner == colleague


@pytest.mark.parametrize("role", ["support", "viewer"])
def test_read_only_roles_get_403_and_change_nothing(role, own_account):
    opportunity = OpportunityFactory(account=own_account, name="Intacta")
    client = api_client(role)
    assert client.get(f"{URL}/{opportunity.pk}").status_code == 200
    assert client.get(URL).json()["count"] == 1
    assert patch(client, opportunity.pk, {"name": "Cambio", "version": 1}).status_code == 403
    assert move(client, opportunity.pk, {"stage": "won", "version": 1}).status_code == 403
    assert client.delete(f"{URL}/{opportunity.pk}").status_code == 403
    # Refused before the input is read, as the form's page is.
    assert post(client, body(own_account)).status_code == 403
    opportunity.refresh_from_db()
    assert (opportunity.name, opportunity.stage, opportunity.version) == (
        "Intacta",
        "prospecting",
        1,
    )
    assert Opportunity.objects.count() == 1
    assert not HistoryEntry.objects.filter(action__in=["update", "delete"]).exists()


def test_unknown_ids_are_404():
    client = api_client()
    assert client.get(f"{URL}/999999").status_code == 404
    assert move(client, 999999, {"stage": "won", "version": 1}).status_code == 404


def test_ids_beyond_the_database_range_are_404_not_a_server_error():
    assert api_client().get(f"{URL}/{2**70}").status_code == 404


def test_an_opportunity_moves_to_another_account_under_the_same_rules(own_account):
    client = api_client()
    opportunity = OpportunityFactory(account=own_account)
    suspended = AccountFactory(status="suspended")
    response = patch(client, opportunity.pk, {"account": suspended.code, "version": 1})
    assert response.status_code == 422 and "account" in response.json()["errors"]
    other = AccountFactory(name="Agrícola Veraguas")
    response = patch(client, opportunity.pk, {"account": other.code, "version": 1})
    assert response.status_code == 200
    assert response.json()["account"] == other.code
    assert response.json()["account_name"] == "Agrícola Veraguas"
    opportunity.refresh_from_db()
    assert opportunity.account == other and opportunity.version == 2
