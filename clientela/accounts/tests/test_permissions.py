"""Who may do what with accounts (SPEC §7), as a table: see clientela.core.tests.matrix."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clientela.accounts import services
from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.core.tests.matrix import Outcome, parse_table, run_cell

TABLE = """
                 list  view  create  edit  reassign  delete  upload  download
admin    own     200+  200   302     302   302       302     302     200
admin    other   200+  200   -       302   302       302     302     200
manager  own     200+  200   302     302   302       302     302     200
manager  other   200+  200   -       302   302       302     302     200
sales    own     200+  200   302     302   403       403     302     200
sales    other   200-  404   -       404   404       404     404     404
support  own     200+  200   403     403   403       403     403     200
support  other   200+  200   -       403   403       403     403     200
viewer   own     200+  200   403     403   403       403     403     200
viewer   other   200+  200   -       403   403       403     403     200
"""


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (80, 80), (0, 90, 170)).save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), "image/png")


def edit_data(account: Account, **changes: str) -> dict[str, str]:
    data = {
        "person_kind": account.person_kind,
        "name": account.name,
        "tax_id": account.tax_id,
        "tax_dv": account.tax_dv,
        "contact_name": account.contact_name,
        "email": account.email,
        "phone": str(account.phone),
        "country": str(account.country),
        "customer_type": str(account.customer_type_id),
        "priority": account.priority,
        "status": account.status,
        "salesperson": account.salesperson.username,
        "payment_terms": account.payment_terms,
        "taxable": "on",
        "version": str(account.version),
    }
    data.update(changes)
    return data


ACTIONS = {
    "list": lambda c, a, ctx: c.get("/accounts/?status=all"),
    "view": lambda c, a, ctx: c.get(f"/accounts/{a.code}/"),
    "create": lambda c, a, ctx: c.post(
        "/accounts/new/",
        edit_data(
            a,
            name="Cuenta Nueva",
            tax_id="155587169-2-2014",
            tax_dv="",
            salesperson=ctx["actor"].username,
        ),
    ),
    "edit": lambda c, a, ctx: c.post(f"/accounts/{a.code}/edit/", edit_data(a, name="Renombrada")),
    "reassign": lambda c, a, ctx: c.post(
        f"/accounts/{a.code}/edit/", edit_data(a, salesperson=ctx["third"].username)
    ),
    "delete": lambda c, a, ctx: c.post(f"/accounts/{a.code}/delete/"),
    "upload": lambda c, a, ctx: c.post(f"/accounts/{a.code}/logo/", {"logo": png()}),
    "download": lambda c, a, ctx: c.get(f"/accounts/{a.code}/logo/thumb.webp"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("cell", parse_table(TABLE), ids=lambda cell: cell.id)
def test_account_permission_matrix(cell, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actor = UserFactory(role=cell.role)
    colleague = UserFactory(role="sales")
    ctx = {"actor": actor, "third": UserFactory(role="sales")}
    owner = actor if cell.owner == "own" else colleague
    account = AccountFactory(salesperson=owner, name="Cuenta Objetivo Única")
    services.account_set_logo(user=UserFactory(role="admin"), account=account, upload=png())
    account.refresh_from_db()
    client.force_login(actor)

    def act(c):
        response = ACTIONS[cell.action](c, account, ctx)
        body = b"" if response.streaming else response.content
        return Outcome(response.status_code, body.decode(errors="replace"))

    run_cell(cell, client, act, marker="Cuenta Objetivo Única")


@pytest.mark.django_db
def test_refused_reassignment_leaves_the_salesperson(client):
    seller = UserFactory(role="sales")
    account = AccountFactory(salesperson=seller)
    client.force_login(seller)
    other = UserFactory(role="sales")
    response = client.post(
        f"/accounts/{account.code}/edit/", edit_data(account, salesperson=other.username)
    )
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.salesperson == seller


@pytest.mark.django_db
def test_sales_user_search_and_counts_exclude_other_accounts(client):
    seller = UserFactory(role="sales")
    AccountFactory(salesperson=seller, name="Mía Panamá")
    AccountFactory(name="Ajena Panamá")
    client.force_login(seller)
    html = client.get("/accounts/?q=panama").content.decode()
    assert "Mía Panamá" in html and "Ajena Panamá" not in html
    assert "1 cuenta" in html
    home = client.get("/").content.decode()
    assert "Ajena" not in home


@pytest.mark.django_db
def test_user_without_role_sees_nothing(client):
    from clientela.users.models import User

    AccountFactory(name="Invisible")
    nobody = User.objects.create_user("sinrol", password="x")
    client.force_login(nobody)
    assert "Invisible" not in client.get("/accounts/").content.decode()
