"""Contacts: found within an account by name and across accounts by e-mail or mobile,
merged (cases follow, one primary per account) and un-merged."""

import pytest

from clientela.audit.selectors import history_page
from clientela.cases.models import Case
from clientela.contacts.models import Contact
from clientela.contacts.services import contact_update
from clientela.duplicates import scan, services
from clientela.duplicates.models import Candidate

from .helpers import CaseFactory, ContactFactory, UserFactory, new_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return UserFactory(username="gerente", role="manager")


def test_scan_finds_contacts_within_and_across_accounts(manager):
    one = new_account(manager)
    two = new_account(manager, name="Otra Empresa", tax_id="155999-1-2019", email="a@otra.pa")
    ana = ContactFactory(account=one, first_name="Ana", last_name="Gómez", email="", mobile="")
    ana_again = ContactFactory(
        account=one, first_name="ANA", last_name="GOMEZ", email="", mobile=""
    )
    luis = ContactFactory(
        account=one, first_name="Luis", last_name="Paz", email="luis@x.pa", mobile=""
    )
    luis_elsewhere = ContactFactory(
        account=two, first_name="L.", last_name="Paz Q.", email="LUIS@x.pa", mobile=""
    )
    # Same name in another account, nothing else shared: not proposed.
    ContactFactory(account=two, first_name="Ana", last_name="Gómez", email="", mobile="")
    scan.scan("contact", full=True)
    pairs = {(c.low_id, c.high_id) for c in Candidate.objects.filter(kind="contact")}
    assert pairs == {
        tuple(sorted((ana.pk, ana_again.pk))),
        tuple(sorted((luis.pk, luis_elsewhere.pk))),
    }


def test_contact_merge_moves_cases_keeps_one_primary_and_undoes(manager):
    account = new_account(manager)
    keep = ContactFactory(account=account, first_name="Ana", last_name="Gómez", is_primary=False)
    dup = ContactFactory(account=account, first_name="Ana", last_name="Gomez", is_primary=True)
    case = CaseFactory(account=account, contact=dup)
    contact_update(user=manager, contact=dup, data={"job_title": "Jefa"}, version=dup.version)
    dup.refresh_from_db()
    merge = services.record_merge(
        user=manager, survivor=keep, merged=dup, values={"is_primary": "merged"}
    )
    keep.refresh_from_db()
    assert keep.is_primary
    assert not Contact.objects.filter(pk=dup.pk).exists()
    assert Case.objects.get(pk=case.pk).contact_id == keep.pk
    assert Contact.objects.filter(account=account, is_primary=True).count() == 1
    # The merged contact's history reads on the survivor's, marked.
    assert any(line.merged for line in history_page(keep, 1).lines)
    services.merge_undo(user=manager, merge=merge)
    back = Contact.objects.get(pk=dup.pk)
    assert back.is_primary and back.last_name == "Gomez"
    keep.refresh_from_db()
    assert not keep.is_primary
    assert Case.objects.get(pk=case.pk).contact_id == dup.pk


def test_warning_while_typing_a_new_contact(client, manager):
    account = new_account(manager)
    ana = ContactFactory(account=account, first_name="Ana", last_name="Gómez", email="ana@x.pa")
    client.force_login(manager)
    same_mail = client.get(
        "/duplicates/contact-warning/", {"first_name": "A.", "last_name": "G", "email": "ANA@x.pa"}
    ).content.decode()
    assert ana.get_absolute_url() in same_mail and "mismo correo" in same_mail
    same_name = client.get(
        "/duplicates/contact-warning/",
        {"first_name": "ana", "last_name": "gomez", "account": account.code},
    ).content.decode()
    assert ana.get_absolute_url() in same_name
    elsewhere = client.get(
        "/duplicates/contact-warning/", {"first_name": "ana", "last_name": "gomez"}
    ).content.decode()
    assert "duplicate-warning" not in elsewhere
    form = client.get("/contacts/new/").content.decode()
    assert "/duplicates/contact-warning/" in form
