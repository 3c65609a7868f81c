import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clientela.accounts import services as account_services
from clientela.audit.models import HistoryEntry
from clientela.contacts import services
from clientela.contacts.models import Contact
from clientela.contacts.tests.factories import AccountFactory, ContactFactory, UserFactory
from clientela.core.exceptions import StaleVersionError

pytestmark = pytest.mark.django_db


def entries(contact, action=None):
    qs = HistoryEntry.objects.filter(object_id=str(contact.pk), content_type__model="contact")
    return qs.filter(action=action) if action else qs


def test_create_validates_and_records_history_on_the_account(user, account):
    contact = services.contact_create(
        user=user,
        data={
            "first_name": "Begoña",
            "last_name": "Ñáñez",
            "email": "Begona@Empresa.COM.pa",
            "account": account,
        },
    ).record
    assert contact.email == "begona@empresa.com.pa"
    assert (contact.created_by, contact.updated_by, contact.version) == (user, user, 1)
    entry = entries(contact).get()
    assert entry.action == "create"
    assert entry.account_id == account.pk
    assert entry.changes["last_name"] == [None, "Ñáñez"]


def test_create_requires_a_last_name(user, account):
    with pytest.raises(ValidationError) as info:
        services.contact_create(user=user, data={"first_name": "Ana", "account": account})
    assert "last_name" in info.value.message_dict
    assert Contact.objects.count() == 0


def test_create_refuses_invalid_email(user):
    with pytest.raises(ValidationError) as info:
        services.contact_create(user=user, data={"last_name": "Peña", "email": "no-es-correo"})
    assert "email" in info.value.message_dict


def test_primary_without_account_is_refused_with_a_field_error(user):
    with pytest.raises(ValidationError) as info:
        services.contact_create(user=user, data={"last_name": "Peña", "is_primary": True})
    assert "is_primary" in info.value.message_dict


def test_new_primary_takes_the_flag_and_both_changes_are_recorded(user, account):
    old = services.contact_create(
        user=user, data={"last_name": "Antiguo", "account": account, "is_primary": True}
    ).record
    new = services.contact_create(
        user=user, data={"last_name": "Nuevo", "account": account, "is_primary": True}
    ).record
    old.refresh_from_db()
    assert new.is_primary and not old.is_primary
    assert old.version == 2
    change = entries(old, "update").get()
    assert change.changes == {"is_primary": ["true", "false"]}
    assert change.account_id == account.pk
    assert Contact.objects.filter(account=account, is_primary=True).get() == new


def test_update_making_primary_moves_the_flag(user, account):
    old = ContactFactory(account=account, is_primary=True)
    other = ContactFactory(account=account)
    services.contact_update(
        user=user, contact=other, data={"is_primary": True}, version=other.version
    )
    old.refresh_from_db()
    other.refresh_from_db()
    assert other.is_primary and not old.is_primary


def test_make_primary_moves_the_flag(user, account):
    old = ContactFactory(account=account, is_primary=True)
    other = ContactFactory(account=account)
    services.contact_make_primary(user=user, contact=other)
    old.refresh_from_db()
    other.refresh_from_db()
    assert (old.is_primary, other.is_primary) == (False, True)
    assert entries(old, "update").count() == 1
    assert entries(other, "update").count() == 1


def test_update_checks_the_version_and_changes_nothing_when_stale(user, account):
    contact = ContactFactory(account=account, job_title="Contador")
    Contact.objects.filter(pk=contact.pk).update(version=2)
    with pytest.raises(StaleVersionError):
        services.contact_update(
            user=user, contact=contact, data={"job_title": "Gerente"}, version=1
        )
    contact.refresh_from_db()
    assert contact.job_title == "Contador"


def test_update_records_changed_fields_only(user, account):
    contact = ContactFactory(account=account, job_title="Contador")
    services.contact_update(
        user=user, contact=contact, data={"job_title": "Contadora"}, version=contact.version
    )
    contact.refresh_from_db()
    assert contact.version == 2
    assert entries(contact, "update").get().changes == {"job_title": ["Contador", "Contadora"]}


def test_moving_a_contact_is_recorded_on_both_accounts(user, account):
    other_account = AccountFactory(salesperson=user)
    contact = ContactFactory(account=account)
    services.contact_update(
        user=user, contact=contact, data={"account": other_account}, version=contact.version
    )
    accounts = set(entries(contact, "update").values_list("account_id", flat=True))
    assert accounts == {account.pk, other_account.pk}


def test_salesperson_cannot_move_a_contact_to_a_colleagues_account():
    seller = UserFactory(role="sales")
    mine = AccountFactory(salesperson=seller)
    theirs = AccountFactory()
    contact = ContactFactory(account=mine)
    with pytest.raises(PermissionDenied):
        services.contact_update(
            user=seller, contact=contact, data={"account": theirs}, version=contact.version
        )
    contact.refresh_from_db()
    assert contact.account == mine


def test_salesperson_cannot_add_a_contact_to_a_colleagues_account():
    seller = UserFactory(role="sales")
    with pytest.raises(PermissionDenied):
        services.contact_create(
            user=seller, data={"last_name": "Peña", "account": AccountFactory()}
        )
    assert Contact.objects.count() == 0


def test_viewer_cannot_create():
    with pytest.raises(PermissionDenied):
        services.contact_create(user=UserFactory(role="viewer"), data={"last_name": "Peña"})


def test_delete_records_history_before_removing(user, account):
    contact = ContactFactory(account=account, last_name="Borrado")
    pk = contact.pk
    services.contact_delete(user=user, contact=contact)
    assert not Contact.objects.filter(pk=pk).exists()
    entry = HistoryEntry.objects.get(object_id=str(pk), action="delete")
    assert entry.account_id == account.pk
    assert entry.changes["last_name"] == ["Borrado", None]


def test_account_with_contacts_cannot_be_deleted_and_the_contact_survives():
    admin = UserFactory(role="admin")
    account = AccountFactory()
    contact = ContactFactory(account=account)
    with pytest.raises(ValidationError) as info:
        account_services.account_delete(user=admin, account=account)
    assert "contact" in " ".join(info.value.messages)
    assert Contact.objects.filter(pk=contact.pk, account=account).exists()


def test_renaming_an_account_refreshes_its_contacts_search_text(user, account):
    contact = ContactFactory(account=account)
    other = ContactFactory()
    account_services.account_update(
        user=user, account=account, data={"name": "Ferretería Ñandú"}, version=account.version
    )
    contact.refresh_from_db()
    assert "ferreteria nandu" in contact.search_text
    other_text = other.search_text
    other.refresh_from_db()
    assert other.search_text == other_text


def test_unknown_fields_are_refused(user):
    with pytest.raises(ValueError):
        services.contact_create(user=user, data={"last_name": "Peña", "version": 9})
