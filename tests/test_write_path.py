"""The one write path (clientela.core.writes, clientela.core.forms), as every module uses
it: what holds for one record kind holds for all."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from clientela.accounts import services as accounts
from clientela.accounts.selectors import account_get_for_user
from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory
from clientela.api.services import api_token_create
from clientela.audit.models import HistoryEntry
from clientela.cases import services as cases
from clientela.cases.tests.factories import CaseFactory
from clientela.contacts import services as contacts
from clientela.contacts.tests.factories import ContactFactory
from clientela.core.exceptions import StaleVersionError
from clientela.documents import services as documents
from clientela.documents.tests.factories import DocumentFactory
from clientela.opportunities import services as opportunities
from clientela.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def _unchanged(record, fields):
    return {name: getattr(record, name) for name in fields}


def _account(manager):
    account = AccountFactory()
    return (
        account,
        lambda data, version: accounts.account_update(
            user=manager, account=account, data=data, version=version
        ),
        accounts.EDITABLE_FIELDS,
    )


def _contact(manager):
    contact = ContactFactory(account=AccountFactory())
    return (
        contact,
        lambda data, version: contacts.contact_update(
            user=manager, contact=contact, data=data, version=version
        ),
        contacts.EDITABLE_FIELDS,
    )


def _opportunity(manager):
    opportunity = OpportunityFactory(amount=Decimal("1500.00"))
    return (
        opportunity,
        lambda data, version: opportunities.opportunity_update(
            user=manager, opportunity=opportunity, data=data, version=version
        ),
        opportunities.EDITABLE_FIELDS,
    )


def _case(manager):
    case = CaseFactory()
    return (
        case,
        lambda data, version: cases.case_update(
            user=manager, case=case, data=data, version=version
        ),
        cases.EDITABLE_FIELDS,
    )


def _document(manager):
    document = DocumentFactory()
    return (
        document,
        lambda data, version: documents.document_update(
            user=manager, document=document, data=data, version=version
        ),
        documents.EDITABLE_FIELDS,
    )


KINDS = {
    "account": _account,
    "contact": _contact,
    "opportunity": _opportunity,
    "case": _case,
    "document": _document,
}


@pytest.mark.parametrize("kind", KINDS)
def test_saving_an_unchanged_record_changes_nothing(kind):
    """No new version (other open tabs keep working) and no history entry."""
    manager = UserFactory(role="manager")
    record, save, fields = KINDS[kind](manager)
    record.refresh_from_db()
    version, entries = record.version, HistoryEntry.objects.count()
    saved = save(_unchanged(record, fields), record.version)
    record.refresh_from_db()
    assert not saved.changed and saved.changes == {}
    assert record.version == version
    assert HistoryEntry.objects.count() == entries


@pytest.mark.parametrize("kind", KINDS)
def test_a_stale_save_is_refused_in_every_module(kind):
    manager = UserFactory(role="manager")
    record, save, fields = KINDS[kind](manager)
    record.refresh_from_db()
    with pytest.raises(StaleVersionError) as exc:
        save(_unchanged(record, fields), record.version + 1)
    assert exc.value.current.pk == record.pk


def test_a_real_change_bumps_the_version_once_and_says_what_changed():
    manager = UserFactory(role="manager")
    account = AccountFactory(city="David")
    saved = accounts.account_update(
        user=manager, account=account, data={"city": "Colón"}, version=account.version
    )
    assert saved.changes == {"city": ("David", "Colón")}
    assert saved.record.version == account.version + 1
    assert saved.record.updated_by == manager


def test_the_form_round_trip_of_an_untouched_account_is_not_a_change(client):
    manager = UserFactory(role="manager")
    account = AccountFactory(salesperson=manager)
    client.force_login(manager)
    page = client.get(f"/accounts/{account.code}/edit/")
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["salesperson"] = manager.username
    data["customer_type"] = account.customer_type_id
    for flag in ("taxable", "is_supplier"):
        if not data[flag]:
            data.pop(flag)
    data["version"] = account.version
    response = client.post(f"/accounts/{account.code}/edit/", data)
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.version == 1
    assert not HistoryEntry.objects.filter(action="update").exists()


def test_get_for_user_answers_404_for_the_invisible_and_403_for_the_forbidden():
    seller = UserFactory(role="sales")
    viewer = UserFactory(role="viewer")
    mine = AccountFactory(salesperson=seller)
    theirs = AccountFactory()
    assert account_get_for_user(seller, mine.code, action="change") == mine
    with pytest.raises(Http404):
        account_get_for_user(seller, theirs.code)
    with pytest.raises(PermissionDenied):
        account_get_for_user(viewer, mine.code, action="change")
    with pytest.raises(PermissionDenied):
        account_get_for_user(seller, mine.code, action="delete")


# ── Warnings: the same for the form and the API ─────────────────────────────────────────────

# CARNADA S.A.S., active in Ecuador's SRI registry, fails the company-RUC checksum the SRI does
# not guarantee: saved, with a warning. (A Panama NT is no longer ambiguous: the person kind
# chooses its DV.)
DISPUTED_RUC = "1793213150001"


def test_the_account_form_flashes_the_tax_id_warning(client):
    manager = UserFactory(role="manager")
    CustomerTypeFactory(code="CORP")
    client.force_login(manager)
    response = client.post(
        "/accounts/new/",
        {
            "person_kind": "legal",
            "name": "Carnada S.A.S.",
            "tax_id": DISPUTED_RUC,
            "contact_name": "Luis Núñez",
            "email": "luis@example.com",
            "phone": "(02) 212-3456",
            "country": "EC",
            "customer_type": CustomerTypeFactory._meta.model.objects.get(code="CORP").pk,
            "priority": "medium",
            "status": "active",
            "payment_terms": "cash",
            "taxable": "on",
        },
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("RUC" in m for m in messages), messages


def test_the_accounts_api_returns_the_same_tax_id_warning():
    manager = UserFactory(role="manager")
    CustomerTypeFactory(code="CORP")
    _record, token = api_token_create(user=manager, name="test")
    from django.test import Client

    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = {
        "person_kind": "legal",
        "name": "Carnada S.A.S.",
        "tax_id": DISPUTED_RUC,
        "contact_name": "Luis Núñez",
        "email": "luis@example.com",
        "phone": "(02) 212-3456",
        "country": "EC",
        "customer_type": "CORP",
    }
    created = api.post("/api/v1/accounts", data=body, content_type="application/json")
    assert created.status_code == 201, created.content
    (warning,) = created.json()["warnings"]
    assert "RUC" in warning
    code = created.json()["code"]
    patched = api.patch(
        f"/api/v1/accounts/{code}",
        data={"city": "David", "version": 1},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["warnings"] == []  # the tax id was not sent: nothing to settle again
