"""Who may do what with contacts (SPEC §7), as a table: see clientela.core.tests.matrix.

own/other: the contact's account belongs to the acting user or to a colleague.
create posts the full page with the account's code (a salesperson cannot pick a
colleague's account: the field refuses the code, 422); add is the profile panel's htmx
form; download is one contact's vCard; export the directory's .vcf (no export, and so no
vCard, for the viewer role, SPEC §7 and issue 14).
"""

import pytest

from clientela.contacts.models import Contact
from clientela.contacts.tests.factories import AccountFactory, ContactFactory, UserFactory
from clientela.core.tests.matrix import Outcome, parse_table, run_cell

TABLE = """
                 list  view  create  add  edit  primary  delete  download  export
admin    own     200+  200   302     200  302   200      302     200       200+
admin    other   200+  200   302     200  302   200      302     200       200+
manager  own     200+  200   302     200  302   200      302     200       200+
manager  other   200+  200   302     200  302   200      302     200       200+
sales    own     200+  200   302     200  302   200      302     200       200+
sales    other   200-  404   422     404  404   404      404     404       200-
support  own     200+  200   403     403  403   403      403     200       200+
support  other   200+  200   403     403  403   403      403     200       200+
viewer   own     200+  200   403     403  403   403      403     403       403
viewer   other   200+  200   403     403  403   403      403     403       403
"""

MARKER = "Ximénez-Objetivo"
HTMX = {"HTTP_HX_REQUEST": "true"}


def edit_data(contact: Contact, **changes: str) -> dict[str, str]:
    data = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "job_title": contact.job_title,
        "email": contact.email,
        "phone": "",
        "mobile": "",
        "notes": "",
        "account": contact.account.code if contact.account else "",
        "version": str(contact.version),
    }
    data.update(changes)
    return data


ACTIONS = {
    "list": lambda c, ct: c.get("/contacts/"),
    "view": lambda c, ct: c.get(f"/contacts/{ct.pk}/"),
    "create": lambda c, ct: c.post("/contacts/new/", edit_data(ct, last_name="Nuevo")),
    "add": lambda c, ct: c.post(
        f"/contacts/panel/{ct.account.code}/new/", edit_data(ct, last_name="Nuevo"), **HTMX
    ),
    "edit": lambda c, ct: c.post(f"/contacts/{ct.pk}/edit/", edit_data(ct, job_title="Otro")),
    "primary": lambda c, ct: c.post(f"/contacts/panel/{ct.account.code}/{ct.pk}/primary/", **HTMX),
    "delete": lambda c, ct: c.post(f"/contacts/{ct.pk}/delete/"),
    "download": lambda c, ct: c.get(f"/contacts/{ct.pk}/vcard/"),
    "export": lambda c, ct: c.get("/contacts/vcard/"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("cell", parse_table(TABLE), ids=lambda cell: cell.id)
def test_contact_permission_matrix(cell, client):
    actor = UserFactory(role=cell.role)
    colleague = UserFactory(role="sales")
    owner = actor if cell.owner == "own" else colleague
    account = AccountFactory(salesperson=owner, name="Cuenta de la Prueba")
    contact = ContactFactory(
        account=account, first_name="Ana", last_name=MARKER, job_title="Contadora"
    )
    client.force_login(actor)

    def act(c):
        response = ACTIONS[cell.action](c, contact)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return Outcome(response.status_code, body.decode(errors="replace"))

    run_cell(cell, client, act, marker=MARKER)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("creator", "expected"), [("self", 200), ("colleague", 404)], ids=["own", "colleagues"]
)
def test_salesperson_and_contacts_without_account(client, creator, expected):
    seller = UserFactory(role="sales")
    author = seller if creator == "self" else UserFactory(role="sales")
    contact = ContactFactory(account=None, created_by=author, last_name=MARKER)
    client.force_login(seller)
    assert client.get(f"/contacts/{contact.pk}/").status_code == expected
    assert (MARKER in client.get("/contacts/").content.decode()) == (expected == 200)
    edit = client.post(
        f"/contacts/{contact.pk}/edit/",
        {"last_name": "Cambiado", "first_name": "", "version": "1"},
    )
    assert edit.status_code == (302 if expected == 200 else 404)


@pytest.mark.django_db
def test_salesperson_creates_a_contact_without_account_and_keeps_seeing_it(client):
    seller = UserFactory(role="sales")
    client.force_login(seller)
    response = client.post("/contacts/new/", {"last_name": MARKER, "first_name": "Ana"})
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.account is None and contact.created_by == seller
    assert client.get(f"/contacts/{contact.pk}/").status_code == 200


@pytest.mark.django_db
def test_refused_action_on_a_visible_contact_changes_nothing(client):
    contact = ContactFactory(job_title="Contador")
    client.force_login(UserFactory(role="support"))
    response = client.post(f"/contacts/{contact.pk}/edit/", edit_data(contact, job_title="X"))
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.job_title == "Contador"
