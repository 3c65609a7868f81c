"""Who may do what with documents (SPEC §7), as a table: see clientela.core.tests.matrix.

`list` is the profile's Documentos panel, `panel` the panel alone (htmx), `view` the
document's page; a salesperson works only the documents of their own accounts; support
and viewers read and download but neither upload, edit nor delete."""

import pytest
from django.urls import reverse

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.core.tests.matrix import Outcome, parse_table, run_cell
from clientela.core.tests.object_store import stored_names

from .factories import DocumentFactory, pdf_upload

TABLE = """
                 list  panel  view  upload  download  preview  edit  delete
admin    own     200+  200+   200   302     200       200      302   302
admin    other   200+  200+   200   302     200       200      302   302
manager  own     200+  200+   200   302     200       200      302   302
manager  other   200+  200+   200   302     200       200      302   302
sales    own     200+  200+   200   302     200       200      302   302
sales    other   404   404    404   404     404       404      404   404
support  own     200+  200+   200   403     200       200      403   403
support  other   200+  200+   200   403     200       200      403   403
viewer   own     200+  200+   200   403     200       200      403   403
viewer   other   200+  200+   200   403     200       200      403   403
"""

MARKER = "Escritura de constitución única.pdf"

ACTIONS = {
    "list": lambda c, a, d: c.get(f"/accounts/{a.code}/"),
    "panel": lambda c, a, d: c.get(
        reverse("account_documents", args=[a.code]), HTTP_HX_REQUEST="true"
    ),
    "view": lambda c, a, d: c.get(f"/documents/{d.pk}/"),
    "upload": lambda c, a, d: c.post(
        reverse("account_documents", args=[a.code]),
        {"files": [pdf_upload("nuevo.pdf", text="Otro contrato")], "category": "legal"},
    ),
    "download": lambda c, a, d: c.get(f"/documents/{d.pk}/download/"),
    "preview": lambda c, a, d: c.get(f"/documents/{d.pk}/preview/"),
    "edit": lambda c, a, d: c.post(
        f"/documents/{d.pk}/edit/", {"category": "tax", "description": "x", "version": "1"}
    ),
    "delete": lambda c, a, d: c.post(f"/documents/{d.pk}/delete/"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("cell", parse_table(TABLE), ids=lambda cell: cell.id)
def test_document_permission_matrix(cell, client):
    actor = UserFactory(role=cell.role)
    colleague = UserFactory(role="sales")
    owner = actor if cell.owner == "own" else colleague
    account = AccountFactory(salesperson=owner)
    document = DocumentFactory(account=account, original_name=MARKER)
    client.force_login(actor)

    def act(c):
        response = ACTIONS[cell.action](c, account, document)
        body = b"" if response.streaming else response.content
        return Outcome(response.status_code, body.decode(errors="replace"))

    run_cell(cell, client, act, marker=MARKER)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["support", "viewer"])
def test_read_only_roles_see_no_upload_edit_or_delete_controls(role, client):
    account = AccountFactory()
    document = DocumentFactory(account=account)
    client.force_login(UserFactory(role=role))
    html = client.get(f"/accounts/{account.code}/").content.decode()
    assert f"/documents/{document.pk}/download/" in html
    assert 'name="files"' not in html
    assert f"/documents/{document.pk}/edit/" not in html
    assert f"/documents/{document.pk}/delete/" not in html


@pytest.mark.django_db
def test_a_refused_upload_reads_no_file(client, media):
    """403 and 404 answer before the body is parsed: nothing reaches the upload handlers."""
    account = AccountFactory()
    client.force_login(UserFactory(role="viewer"))
    response = client.post(
        reverse("account_documents", args=[account.code]), {"files": [pdf_upload()]}
    )
    assert response.status_code == 403
    assert not hasattr(response.wsgi_request, "_files")  # request.FILES never parsed
    assert stored_names() == []
