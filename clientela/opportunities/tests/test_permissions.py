"""Who may do what with opportunities (SPEC §7), as a table: see clientela.core.tests.matrix.

"own" means the opportunity's account has the acting user as its salesperson. A
salesperson creating on another's account gets the form back (422: the account code is
not one they can choose); a record outside their scope answers 404; a forbidden action
on a visible record answers 403; every refusal leaves the database unchanged.
"""

import pytest

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.core.tests.matrix import Outcome, parse_table, run_cell
from clientela.opportunities.models import Opportunity
from clientela.opportunities.tests.factories import OpportunityFactory

TABLE = """
                 list  board  view  create  edit  move  reassign  delete
admin    own     200+  200+   200   302     302   302   302       302
admin    other   200+  200+   200   302     302   302   302       302
manager  own     200+  200+   200   302     302   302   302       302
manager  other   200+  200+   200   302     302   302   302       302
sales    own     200+  200+   200   302     302   302   403       302
sales    other   200-  200-   404   422     404   404   404       404
support  own     200+  200+   200   403     403   403   403       403
support  other   200+  200+   200   403     403   403   403       403
viewer   own     200+  200+   200   403     403   403   403       403
viewer   other   200+  200+   200   403     403   403   403       403
"""

MARKER = "Oportunidad Objetivo Única"


def edit_data(opportunity: Opportunity, **changes: str) -> dict[str, str]:
    data = {
        "account": opportunity.account.code,
        "name": opportunity.name,
        "stage": opportunity.stage,
        "amount": str(opportunity.amount),
        "currency": opportunity.currency,
        "probability": str(opportunity.probability),
        "expected_close_date": "",
        "owner": opportunity.owner.username,
        "lost_reason": "",
        "description": "",
        "version": str(opportunity.version),
    }
    data.update(changes)
    return data


ACTIONS = {
    "list": lambda c, o, ctx: c.get("/opportunities/"),
    "board": lambda c, o, ctx: c.get("/opportunities/board/"),
    "view": lambda c, o, ctx: c.get(f"/opportunities/{o.pk}/"),
    "create": lambda c, o, ctx: c.post(
        "/opportunities/new/", edit_data(o, name="Nueva", owner="", version="")
    ),
    "edit": lambda c, o, ctx: c.post(
        f"/opportunities/{o.pk}/edit/", edit_data(o, name="Renombrada")
    ),
    "move": lambda c, o, ctx: c.post(
        f"/opportunities/{o.pk}/move/", {"stage": "won", "version": str(o.version)}
    ),
    "reassign": lambda c, o, ctx: c.post(
        f"/opportunities/{o.pk}/edit/", edit_data(o, owner=ctx["third"].username)
    ),
    "delete": lambda c, o, ctx: c.post(f"/opportunities/{o.pk}/delete/"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("cell", parse_table(TABLE), ids=lambda cell: cell.id)
def test_opportunity_permission_matrix(cell, client):
    actor = UserFactory(role=cell.role)
    colleague = UserFactory(role="sales")
    ctx = {"actor": actor, "third": UserFactory(role="sales")}
    owner = actor if cell.owner == "own" else colleague
    account = AccountFactory(salesperson=owner)
    opportunity = OpportunityFactory(account=account, name=MARKER, stage="proposal")
    client.force_login(actor)

    def act(c):
        response = ACTIONS[cell.action](c, opportunity, ctx)
        return Outcome(response.status_code, response.content.decode(errors="replace"))

    run_cell(cell, client, act, marker=MARKER)


@pytest.mark.django_db
def test_refused_reassignment_leaves_the_owner(client):
    seller = UserFactory(role="sales")
    opportunity = OpportunityFactory(account=AccountFactory(salesperson=seller))
    client.force_login(seller)
    other = UserFactory(role="sales")
    response = client.post(
        f"/opportunities/{opportunity.pk}/edit/", edit_data(opportunity, owner=other.username)
    )
    assert response.status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.owner == seller


@pytest.mark.django_db
def test_sales_user_search_and_totals_exclude_other_accounts(client):
    seller = UserFactory(role="sales")
    OpportunityFactory(name="Mía Panamá", account=AccountFactory(salesperson=seller))
    OpportunityFactory(name="Ajena Panamá", amount="98765.00")
    client.force_login(seller)
    html = client.get("/opportunities/?q=panama").content.decode()
    assert "Mía Panamá" in html and "Ajena Panamá" not in html
    assert "1 oportunidad" in html and "98,765.00" not in html


@pytest.mark.django_db
def test_sales_user_cannot_preview_another_accounts_credit_through_the_form_check(client):
    seller = UserFactory(role="sales")
    other = AccountFactory(
        payment_terms="credit", credit_days=30, credit_limit="10.00", status="restricted"
    )
    client.force_login(seller)
    html = client.get(
        "/opportunities/form-check/", {"account": other.code, "amount": "99"}
    ).content.decode()
    assert "10.00" not in html and "banner" not in html
