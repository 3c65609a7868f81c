"""Issue 14, item 10: viewers read, no export (SPEC §7), in the API as on the pages. A
vCard is an export; so is a list page larger than a screen's (settings.PAGE_SIZE, 50):
a role without the export permission pages at most 50 at a time (422 on page_size).

Columns: acc50 = accounts with page_size 50; the others page_size 200 (accounts,
contacts, opportunities, cases, an account's documents, a case's comments, a catalog);
vcard = one contact's vCard.
"""

import pytest
from django.test import Client

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.api.services import api_token_create
from clientela.cases.tests.factories import CaseFactory
from clientela.contacts.tests.factories import ContactFactory
from clientela.core.tests.matrix import Outcome, parse_table, run_cell
from clientela.documents.tests.factories import DocumentFactory
from clientela.opportunities.tests.factories import OpportunityFactory

TABLE = """
                 acc50  acc200  con200  opp200  cas200  doc200  com200  cat200  vcard
admin    own     200+   200+    200+    200+    200+    200+    200     200     200
manager  own     200+   200+    200+    200+    200+    200+    200     200     200
sales    own     200+   200+    200+    200+    200+    200+    200     200     200
sales    other   200-   200-    200-    200-    200-    404     404     200     404
support  own     200+   200+    200+    200+    200+    200+    200     200     200
viewer   own     200+   422     422     422     422     422     422     200     403
viewer   other   200+   422     422     422     422     422     422     200     403
"""

MARKER = "Marcador-Exportar"


def _get(path):
    def act(client, records):
        response = client.get(path.format(**records))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return Outcome(response.status_code, body.decode(errors="replace"))

    return act


ACTIONS = {
    "acc50": _get("/api/v1/accounts?page_size=50"),
    "acc200": _get("/api/v1/accounts?page_size=200"),
    "con200": _get("/api/v1/contacts?page_size=200"),
    "opp200": _get("/api/v1/opportunities?page_size=200"),
    "cas200": _get("/api/v1/cases?page_size=200&scope=all"),
    "doc200": _get("/api/v1/accounts/{account}/documents?page_size=200"),
    "com200": _get("/api/v1/cases/{case}/comments?page_size=200"),
    "cat200": _get("/api/v1/catalogs/customer-types?page_size=200"),
    "vcard": _get("/api/v1/contacts/{contact}/vcard"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("cell", parse_table(TABLE), ids=lambda cell: cell.id)
def test_viewers_may_not_export_through_the_api(cell):
    actor = UserFactory(role=cell.role)
    owner = actor if cell.owner == "own" else UserFactory(role="sales")
    account = AccountFactory(salesperson=owner, name=MARKER)
    contact = ContactFactory(account=account, last_name=MARKER)
    OpportunityFactory(account=account, name=MARKER)
    case = CaseFactory(account=account, subject=MARKER)
    DocumentFactory(account=account, original_name=f"{MARKER}.pdf")
    records = {"account": account.code, "contact": contact.pk, "case": case.number}
    _record, token = api_token_create(user=actor, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    run_cell(cell, client, lambda c: ACTIONS[cell.action](c, records), marker=MARKER)
