"""Who may do what with cases (SPEC §7), as a table: see clientela.core.tests.matrix.

"own" is a case of an account whose salesperson is the actor; "other" one of a colleague's
account. Support works the cases of every account; the viewer only reads. Creating a
case for an account the user may not see is refused by the form (422: no such account).
"""

import pytest

from clientela.cases.models import Case
from clientela.cases.tests.factories import AccountFactory, CaseFactory, UserFactory
from clientela.core.tests.matrix import Outcome, parse_table, run_cell

TABLE = """
                 list  view  create  edit  comment  assign  resolve  delete
admin    own     200+  200   302     302   302      302     302      302
admin    other   200+  200   302     302   302      302     302      302
manager  own     200+  200   302     302   302      302     302      302
manager  other   200+  200   302     302   302      302     302      302
sales    own     200+  200   302     302   302      302     302      403
sales    other   200-  404   422     404   404      404     404      404
support  own     200+  200   302     302   302      302     302      403
support  other   200+  200   302     302   302      302     302      403
viewer   own     200+  200   403     403   403      403     403      403
viewer   other   200+  200   403     403   403      403     403      403
"""

SUBJECT = "Caso Objetivo Único"

ACTIONS = {
    "list": lambda c, case: c.get("/cases/"),
    "view": lambda c, case: c.get(f"/cases/{case.number}/"),
    "create": lambda c, case: c.post(
        "/cases/new/",
        {"account": case.account.code, "subject": "Caso nuevo", "priority": "normal"},
    ),
    "edit": lambda c, case: c.post(
        f"/cases/{case.number}/edit/",
        {"subject": "Renombrado", "priority": "high", "version": str(case.version)},
    ),
    "comment": lambda c, case: c.post(f"/cases/{case.number}/comments/", {"body": "Hola"}),
    "assign": lambda c, case: c.post(f"/cases/{case.number}/assign/"),
    "resolve": lambda c, case: c.post(
        f"/cases/{case.number}/status/",
        {"status": "resolved", "resolution": "Listo.", "version": str(case.version)},
    ),
    "delete": lambda c, case: c.post(f"/cases/{case.number}/delete/"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("cell", parse_table(TABLE), ids=lambda cell: cell.id)
def test_case_permission_matrix(cell, client):
    actor = UserFactory(role=cell.role)
    colleague = UserFactory(role="sales")
    owner = actor if cell.owner == "own" else colleague
    case = CaseFactory(account=AccountFactory(salesperson=owner), subject=SUBJECT)
    client.force_login(actor)

    def act(c):
        response = ACTIONS[cell.action](c, case)
        return Outcome(response.status_code, response.content.decode(errors="replace"))

    run_cell(cell, client, act, marker=SUBJECT)


@pytest.mark.django_db
def test_sales_user_search_and_counts_exclude_other_accounts(client):
    seller = UserFactory(role="sales")
    CaseFactory(account=AccountFactory(salesperson=seller), subject="Mío Panamá")
    CaseFactory(subject="Ajeno Panamá")
    client.force_login(seller)
    html = client.get("/cases/?q=panama").content.decode()
    assert "Mío Panamá" in html and "Ajeno Panamá" not in html
    assert "1 caso" in html


@pytest.mark.django_db
def test_refused_actions_write_no_history(client):
    from clientela.audit.models import HistoryEntry

    client.force_login(UserFactory(role="viewer"))
    case = CaseFactory()
    for action in ("edit", "comment", "assign", "resolve"):
        assert ACTIONS[action](client, case).status_code == 403
    assert not HistoryEntry.objects.exists()
    assert Case.objects.get().version == 1


@pytest.mark.django_db
def test_user_without_role_sees_no_case(client):
    from clientela.users.models import User

    CaseFactory(subject="Invisible")
    client.force_login(User.objects.create_user("sinrol", password="x"))
    assert "Invisible" not in client.get("/cases/").content.decode()
