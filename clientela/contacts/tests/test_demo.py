"""`seed_demo` creates 1 to 4 realistic contacts per account, exactly one primary each."""

import random
from collections import Counter
from io import StringIO

import phonenumbers
import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from clientela.accounts.models import Account
from clientela.contacts.demo import _contacts_of, _split_person, account_rows
from clientela.contacts.models import Contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogs():
    # Catalog rows from data migrations are not reliable in tests: make the ones the
    # demo generator picks from.
    from clientela.accounts.tests.factories import (
        CustomerTypeFactory,
        LedgerAccountFactory,
        PriceListFactory,
    )
    from clientela.catalogs.ciiu_data import DIVISIONS
    from clientela.catalogs.models import EconomicActivity

    for code, name in [
        ("CORP", "Corporativo"),
        ("PYME", "PyME"),
        ("DIST", "Distribuidor"),
        ("GOB", "Gobierno"),
        ("ONG", "ONG"),
        ("CF", "Consumidor final"),
    ]:
        CustomerTypeFactory(code=code, name=name)
    for code in ["GEN", "MAY", "GOB"]:
        PriceListFactory(code=code, name=code)
    LedgerAccountFactory()
    for division in DIVISIONS:
        EconomicActivity.objects.get_or_create(code=division[0], defaults={"name": division[1]})


def seed(accounts: int, seed_value: int = 3) -> None:
    call_command("seed_demo", accounts=accounts, seed=seed_value, stdout=StringIO())


def test_every_account_gets_one_to_four_contacts_and_exactly_one_primary(catalogs):
    seed(120)
    per_account = Counter(Contact.objects.values_list("account_id", flat=True))
    assert set(per_account) == set(Account.objects.values_list("id", flat=True))
    assert set(per_account.values()) <= {1, 2, 3, 4}
    assert len(set(per_account.values())) >= 3  # a realistic mix, not always one
    primaries = (
        Account.objects.annotate(n=Count("contacts", filter=Q(contacts__is_primary=True)))
        .order_by()
        .values_list("n", flat=True)
        .distinct()
    )
    assert list(primaries) == [1]


def test_seeded_contacts_are_valid_and_searchable(catalogs):
    seed(80)
    contacts = list(Contact.objects.select_related("account"))
    for contact in contacts:
        contact.full_clean(validate_constraints=False)
        account = contact.account
        for number in (contact.phone, contact.mobile):
            if number:
                parsed = phonenumbers.parse(str(number), None)
                assert phonenumbers.is_valid_number(parsed), number
                assert phonenumbers.region_code_for_number(parsed) == str(account.country) or (
                    str(account.country) == "DO"
                )
        assert contact.search_text == contact.build_search_text()
        assert contact.created_by_id == account.salesperson_id
    with_domain = [
        c
        for c in contacts
        if c.email
        and "@" in c.account.email
        and not c.account.email.endswith(
            ("gmail.com", "hotmail.com", "yahoo.com", "outlook.com", "icloud.com")
        )
    ]
    assert with_domain
    for contact in with_domain:
        assert contact.email.split("@")[1] == contact.account.email.split("@")[1]
    assert any(c.job_title == "Gerente General" for c in contacts)


def test_a_companys_primary_is_its_contact_person(catalogs):
    seed(60)
    for account in Account.objects.filter(person_kind="legal"):
        primary = account.contacts.get(is_primary=True)
        assert primary.last_name in account.contact_name
        assert primary.first_name.split()[0] in account.contact_name


def test_same_seed_gives_the_same_contacts(catalogs):
    seed(30)
    rows = list(account_rows(Account.objects.all()))

    def build(seed_value):
        rng = random.Random(seed_value)
        return [
            (c.first_name, c.last_name, c.job_title, c.email, str(c.phone), str(c.mobile))
            for row in rows
            for c in _contacts_of(rng, row)
        ]

    assert build(5) == build(5)
    assert build(5) != build(6)


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Lic. María Pérez", ("María", "Pérez")),
        ("Ing. José De León", ("José", "De León")),
        ("María Sofía Pérez González", ("María Sofía", "Pérez González")),
        ("Ana", ("", "Ana")),
    ],
)
def test_split_person(full_name, expected):
    assert _split_person(full_name) == expected
