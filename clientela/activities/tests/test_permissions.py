"""Who may do what with activities (SPEC §7), as a table: see clientela.core.tests.matrix.

"own" is an activity of an account whose salesperson is the actor; "other" one of a
colleague's account (not assigned to the actor). Support logs and works activities of
every account; the viewer only reads."""

import pytest
from django.utils import timezone

from clientela.activities.models import Activity
from clientela.activities.tests.factories import AccountFactory, ActivityFactory, UserFactory
from clientela.core.tests.matrix import Outcome, parse_table, run_cell

TABLE = """
                 list  view  create  edit  done  delete  ics  panel
admin    own     200+  200   302     302   302   302     200  200
admin    other   200+  200   302     302   302   302     200  200
manager  own     200+  200   302     302   302   302     200  200
manager  other   200+  200   302     302   302   302     200  200
sales    own     200+  200   302     302   302   302     200  200
sales    other   200-  404   422     404   404   404     404  404
support  own     200+  200   302     302   302   403     200  200
support  other   200+  200   302     302   302   403     200  200
viewer   own     200+  200   403     403   403   403     200  200
viewer   other   200+  200   403     403   403   403     200  200
"""

SUBJECT = "Actividad Objetivo Única"

ACTIONS = {
    "list": lambda c, a: c.get("/activities/"),
    "view": lambda c, a: c.get(f"/activities/{a.pk}/"),
    "create": lambda c, a: c.post(
        "/activities/new/",
        {
            "account": a.account.code,
            "kind": "call",
            "subject": "Nueva",
            "starts_at": "01/02/2027 10:00",
        },
    ),
    "edit": lambda c, a: c.post(
        f"/activities/{a.pk}/edit/",
        {
            "kind": "call",
            "subject": "Renombrada",
            "starts_at": "01/02/2027 10:00",
            "version": str(a.version),
        },
    ),
    "done": lambda c, a: c.post(f"/activities/{a.pk}/done/", {"done": "1"}),
    "delete": lambda c, a: c.post(f"/activities/{a.pk}/delete/"),
    "ics": lambda c, a: c.get(f"/activities/{a.pk}.ics"),
    "panel": lambda c, a: c.get(f"/activities/panel/?account={a.account.code}"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("cell", parse_table(TABLE), ids=lambda cell: cell.id)
def test_activity_permission_matrix(cell, client):
    actor = UserFactory(role=cell.role)
    colleague = UserFactory(role="sales")
    owner = actor if cell.owner == "own" else colleague
    activity = ActivityFactory(
        account=AccountFactory(salesperson=owner), subject=SUBJECT, assigned_to=owner
    )
    client.force_login(actor)

    def act(c):
        response = ACTIONS[cell.action](c, activity)
        return Outcome(response.status_code, response.content.decode(errors="replace"))

    run_cell(cell, client, act, marker=SUBJECT)


@pytest.mark.django_db
def test_salesperson_sees_and_works_activities_assigned_to_them(client):
    seller = UserFactory(role="sales")
    activity = ActivityFactory(account=AccountFactory(), subject=SUBJECT, assigned_to=seller)
    client.force_login(seller)
    assert SUBJECT in client.get("/activities/").content.decode()
    assert client.get(f"/activities/{activity.pk}/").status_code == 200
    assert client.post(f"/activities/{activity.pk}/done/", {"done": "1"}).status_code == 302
    assert Activity.objects.get().done


@pytest.mark.django_db
def test_refused_actions_write_no_history(client):
    from clientela.audit.models import HistoryEntry

    client.force_login(UserFactory(role="viewer"))
    activity = ActivityFactory(starts_at=timezone.now())
    for action in ("edit", "done", "delete", "create"):
        assert ACTIONS[action](client, activity).status_code == 403
    assert not HistoryEntry.objects.exists()
    assert Activity.objects.get().version == 1


@pytest.mark.django_db
def test_user_without_role_sees_no_activity(client):
    from clientela.users.models import User

    ActivityFactory(subject="Invisible")
    client.force_login(User.objects.create_user("sinrol", password="x"))
    assert "Invisible" not in client.get("/activities/").content.decode()
