import pytest
from django.db import IntegrityError, transaction

from clientela.contacts.models import Contact, name_initial, name_sort_key
from clientela.contacts.tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("last_name", "initial"),
    [
        ("Ábrego", "A"),
        ("álvarez", "A"),
        ("Ñáñez", "Ñ"),
        ("ñique", "Ñ"),
        ("Núñez", "N"),
        ("Écija", "E"),
        ("De León", "D"),
        ("  Ortega", "O"),
        ("3M Contacto", "#"),
        ("'Quote", "#"),
        ("", "#"),
    ],
)
def test_initial_folds_accents_but_keeps_enye(last_name, initial):
    assert name_initial(last_name) == initial


def test_sort_key_puts_accented_names_with_their_letter():
    names = ["Zúñiga", "Ábrego", "Azuero", "Ñáñez", "Nieto", "Oro"]
    ordered = sorted(names, key=lambda last: name_sort_key(last, ""))
    assert ordered == ["Ábrego", "Azuero", "Ñáñez", "Nieto", "Oro", "Zúñiga"]


def test_save_fills_derived_columns_with_account_terms():
    account = AccountFactory(name="Constructora Panamá Norte")
    contact = ContactFactory(
        first_name="Begoña",
        last_name="Ñáñez",
        job_title="Jefa de Compras",
        email="begona@cpn.com.pa",
        phone="+5072345678",
        mobile="+50761234567",
        account=account,
    )
    assert contact.initial == "Ñ"
    assert contact.sort_name == "nanez begona"
    for term in ["begona", "nanez", "jefa de compras", "begona@cpn.com.pa", "panama norte"]:
        assert term in contact.search_text
    assert account.code.lower() in contact.search_text
    # E.164 digits and the national digits, as the account search keeps them.
    assert "61234567" in contact.search_text and "50761234567" in contact.search_text


def test_display_and_directory_names():
    contact = Contact(first_name="Begoña", last_name="Ñáñez")
    assert str(contact) == "Begoña Ñáñez"
    assert contact.directory_name == "Ñáñez, Begoña"
    assert Contact(last_name="Ñáñez").directory_name == "Ñáñez"


def test_clean_lowercases_email_and_strips_names():
    contact = Contact(first_name="  Ana ", last_name=" Peña ", email=" Ana.Pena@Empresa.COM ")
    contact.full_clean(validate_constraints=False)
    assert (contact.first_name, contact.last_name, contact.email) == (
        "Ana",
        "Peña",
        "ana.pena@empresa.com",
    )


def test_database_refuses_two_primaries_for_one_account():
    account = AccountFactory()
    ContactFactory(account=account, is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(account=account, is_primary=True)


def test_database_refuses_a_primary_without_account():
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(account=None, is_primary=True)


def test_primaries_of_different_accounts_coexist():
    ContactFactory(is_primary=True)
    ContactFactory(is_primary=True)
    assert Contact.objects.filter(is_primary=True).count() == 2
