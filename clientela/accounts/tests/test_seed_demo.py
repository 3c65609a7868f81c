"""`manage.py seed_demo` (SPEC §11): valid, unique, reproducible Latin American demo accounts."""

import re
from collections import Counter
from io import StringIO

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction

from clientela.accounts import services
from clientela.accounts.demo_data import (
    CREDIT_DAYS,
    FIRST_NAMES,
    SALES_TEAM,
    DemoAccount,
    build_demo_rows,
)
from clientela.accounts.models import Account
from clientela.accounts.taxid import validate_tax_id
from clientela.accounts.tests.factories import AccountFactory
from clientela.catalogs.ciiu_data import DIVISIONS
from clientela.catalogs.models import CustomerType
from clientela.core.models import Sequence
from clientela.core.sequences import format_code, sequence_next
from clientela.users.models import User
from clientela.users.roles import Role

SALES_USERNAMES = {username for username, _first, _last in SALES_TEAM}
GIVEN_NAMES = frozenset(FIRST_NAMES)
# Large enough for the shares below to be stable, small enough to stay under a second.
SAMPLE = 2000


def seed(**options):
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def next_code_number():
    return Sequence.objects.get(name="account").last_value + 1


def comparable(account):
    return (account.code, account.name, account.country.code, account.tax_id, account.tax_dv)


# ── The generator, without a database ───────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def rows():
    return build_demo_rows(SAMPLE, seed=7)


def test_same_seed_builds_the_same_rows():
    assert build_demo_rows(300, seed=1) == build_demo_rows(300, seed=1)


def test_another_seed_builds_other_rows():
    first = [row.name for row in build_demo_rows(50, seed=1)]
    other = [row.name for row in build_demo_rows(50, seed=2)]
    assert first != other


def test_tax_ids_are_unique_per_country(rows):
    keys = [(row.country, row.tax_id) for row in rows]
    assert len(set(keys)) == len(keys)


def test_every_tax_id_is_stored_as_the_form_would_store_it(rows):
    for row in rows:
        result = validate_tax_id(row.country, row.tax_id, row.tax_dv, person_kind=row.person_kind)
        assert (result.number, result.dv, result.warning) == (row.tax_id, row.tax_dv, ""), row


# The documents each kind of holder may carry in the demo: people a personal id (or a person's
# tax number when in business), companies a company id.
PERSONAL = {"cedula", "cc", "ci", "dni", "cui", "ruc", "rfc", "rut", "nit"}
COMPANY = {"ruc", "nit", "cedula_juridica", "rfc", "rnc", "rut"}


def test_people_carry_personal_ids_and_companies_company_ids(rows):
    for row in rows:
        result = validate_tax_id(row.country, row.tax_id, row.tax_dv, person_kind=row.person_kind)
        wanted = PERSONAL if row.person_kind == "natural" else COMPANY
        assert result.document in wanted, row
        # Where companies have an id of their own, no person could carry it.
        if row.person_kind == "legal" and row.country in {"PA", "MX", "CR", "DO", "EC", "PE"}:
            with pytest.raises(ValidationError):
                validate_tax_id(row.country, row.tax_id, row.tax_dv, person_kind="natural")


def test_colombian_people_carry_their_cedula_without_a_dv(rows):
    colombians = [row for row in rows if row.country == "CO"]
    people = [row.tax_id for row in colombians if row.person_kind == "natural"]
    companies = [row.tax_id for row in colombians if row.person_kind == "legal"]
    assert people and all(re.fullmatch(r"\d{1,3}(\.\d{3})+", cc) for cc in people)
    assert companies and all(re.fullmatch(r"(8|9)\d{2}\.\d{3}\.\d{3}-\d", nit) for nit in companies)


def test_consumers_carry_their_national_id_where_it_differs_from_the_tax_number(rows):
    consumers = [r for r in rows if r.person_kind == "natural" and r.customer_type == "CF"]
    documents = {
        (r.country, validate_tax_id(r.country, r.tax_id, person_kind="natural").document)
        for r in consumers
        if r.country in {"PE", "GT", "EC"}
    }
    assert {("PE", "dni"), ("GT", "cui"), ("EC", "ci")} <= documents


def test_no_person_repeats_a_given_name_or_a_surname(rows):
    for row in rows:
        if row.person_kind != "natural":
            continue
        words = row.name.split()
        given = [w for w in words if w in GIVEN_NAMES]
        assert len(given) == len(set(given)), row.name
        assert words[-1] != words[-2], row.name


def test_panama_ids_carry_their_dv_and_other_countries_none(rows):
    for row in rows:
        if row.country == "PA":
            assert re.fullmatch(r"\d{2}", row.tax_dv), row
        else:
            assert row.tax_dv == "", row


def test_panama_mixes_legal_rucs_and_every_cedula_form(rows):
    panama = [row for row in rows if row.country == "PA"]
    legal = [row.tax_id for row in panama if row.person_kind == "legal"]
    natural = [row.tax_id for row in panama if row.person_kind == "natural"]
    assert all(re.fullmatch(r"\d{6,9}-\d{1,4}-20[0-2]\d", ruc) for ruc in legal)
    assert all(re.fullmatch(r"(\d{1,2}|E|N|PE)-\d{1,3}-\d{1,4}", cedula) for cedula in natural)
    forms = {cedula.split("-")[0] for cedula in natural}
    assert {"E", "N", "PE", "8"} <= forms


def test_phones_are_valid_e164_numbers_of_the_account_country(rows):
    for row in rows:
        for number in (row.phone, row.phone_alt, row.mobile):
            if not number:
                continue
            parsed = phonenumbers.parse(number)
            assert phonenumbers.is_valid_number(parsed), (number, row.country)
            assert phonenumbers.region_code_for_number(parsed) == row.country, number
            assert number == phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        assert row.phone


def test_panama_mobiles_start_with_6_and_landlines_are_seven_digits(rows):
    for row in rows:
        if row.country != "PA":
            continue
        if row.mobile:
            assert re.fullmatch(r"\+5076\d{7}", row.mobile)
        if row.phone_alt:
            assert re.fullmatch(r"\+507[2-9]\d{6}", row.phone_alt)


def test_emails_are_lower_case_ascii_and_websites_https(rows):
    for row in rows:
        assert row.email.isascii() and row.email == row.email.lower(), row.email
        assert re.fullmatch(r"[a-z0-9.]+@[a-z0-9]+(\.[a-z]+)+", row.email), row.email
        assert not row.website or re.fullmatch(r"https://www\.[a-z0-9]+(\.[a-z]+)+", row.website)


def test_rows_keep_the_model_rules(rows):
    activity_codes = {code for code, _name, _section in DIVISIONS}
    for row in rows:
        if row.person_kind == "legal":
            assert row.contact_name, row
        if row.payment_terms == "credit":
            assert row.credit_days in CREDIT_DAYS and row.credit_limit > 0, row
        else:
            assert (row.credit_days, row.credit_limit) == (0, 0), row
        assert not row.economic_activity or row.economic_activity in activity_codes
        assert row.salesperson in SALES_USERNAMES


def test_the_mix_looks_like_a_panamanian_customer_base(rows):
    def share(predicate):
        return sum(1 for row in rows if predicate(row)) / len(rows)

    assert 0.80 < share(lambda row: row.country == "PA") < 0.90
    assert 0.70 < share(lambda row: row.person_kind == "legal") < 0.80
    assert 0.33 < share(lambda row: row.payment_terms == "credit") < 0.47
    assert 0.05 < share(lambda row: row.is_supplier) < 0.15
    assert 0.80 < share(lambda row: row.ledger_account == "1.1.03") < 0.97
    assert 0.75 < share(lambda row: row.status == "active") < 0.95
    assert {row.country for row in rows} == {"PA", "CO", "CR", "MX", "EC", "PE", "GT", "DO", "CL"}
    assert {row.customer_type for row in rows} == {"CORP", "PYME", "GOB", "CF", "DIST", "ONG"}
    assert {row.status for row in rows} == {"active", "inactive", "restricted", "suspended"}
    assert set(Counter(row.salesperson for row in rows)) == SALES_USERNAMES


def test_names_are_spanish_with_accents(rows):
    names = " ".join(row.name for row in rows)
    assert re.search(r"[áéíóúñÁÉÍÓÚÑ]", names)
    assert any(row.name.endswith("S.A.") for row in rows)


def test_taken_tax_ids_are_never_handed_out_again():
    first = build_demo_rows(200, seed=1)
    taken = {(row.country, row.tax_id) for row in first}
    # Same seed and numbers: every first choice collides and must be drawn again.
    again = build_demo_rows(200, seed=1, taken=set(taken))
    keys = {(row.country, row.tax_id) for row in again}
    assert len(keys) == 200
    assert not keys & taken


# ── The command ─────────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_seed_demo_creates_accounts_with_unique_codes_and_tax_ids():
    first = next_code_number()
    output = seed(accounts=50, seed=1)

    accounts = list(Account.objects.order_by("code"))
    assert len(accounts) == 50
    assert [a.code for a in accounts] == [format_code("C", first + i) for i in range(50)]
    assert len({(a.country.code, a.tax_id) for a in accounts}) == 50
    first_code, last_code = format_code("C", first), format_code("C", first + 49)
    assert re.fullmatch(
        rf"Created 50 accounts \({first_code}\.\.{last_code}\) in \d+\.\ds\n", output
    )


@pytest.mark.django_db
def test_every_seeded_account_passes_full_clean():
    seed(accounts=50, seed=1)

    for account in Account.objects.all():
        stored = comparable(account), account.email, account.credit_days, account.credit_limit
        account.full_clean()
        # clean() normalizes: nothing it would change may differ from what was stored.
        assert (comparable(account), account.email, account.credit_days, account.credit_limit) == (
            stored
        )
        assert account.search_text == account.build_search_text()


@pytest.mark.django_db
def test_every_seeded_panama_account_validates_with_its_dv():
    seed(accounts=50, seed=1)

    panama = Account.objects.filter(country="PA")
    assert panama.count() > 30
    for account in panama:
        result = validate_tax_id("PA", account.tax_id, account.tax_dv)
        assert (result.number, result.dv) == (account.tax_id, account.tax_dv)


@pytest.mark.django_db
def test_seed_demo_stores_exactly_the_rows_its_seed_builds():
    first = next_code_number()
    seed(accounts=30, seed=3)

    expected = build_demo_rows(30, seed=3, start=first)
    stored = Account.objects.order_by("code").select_related(
        "customer_type", "economic_activity", "price_list", "ledger_account", "salesperson"
    )
    assert [as_row(account) for account in stored] == expected


def as_row(account):
    def code(item):
        return item.code if item else ""

    return DemoAccount(
        number=int(account.code.split("-")[1]),
        person_kind=account.person_kind,
        name=account.name,
        tax_id=account.tax_id,
        tax_dv=account.tax_dv,
        contact_name=account.contact_name,
        email=account.email,
        phone=str(account.phone),
        phone_alt=str(account.phone_alt or ""),
        mobile=str(account.mobile or ""),
        website=account.website,
        address=account.address,
        city=account.city,
        state=account.state,
        country=account.country.code,
        customer_type=account.customer_type.code,
        priority=account.priority,
        economic_activity=code(account.economic_activity),
        price_list=code(account.price_list),
        taxable=account.taxable,
        status=account.status,
        salesperson=account.salesperson.username,
        payment_terms=account.payment_terms,
        credit_days=account.credit_days,
        credit_limit=account.credit_limit,
        ledger_account=code(account.ledger_account),
        is_supplier=account.is_supplier,
    )


@pytest.mark.django_db
def test_same_seed_gives_the_same_accounts_on_a_fresh_database():
    class Rollback(Exception):
        pass

    # The first run is rolled back, counter and every module's records included.
    with pytest.raises(Rollback), transaction.atomic():
        seed(accounts=40, seed=5)
        first_run = [comparable(a) for a in Account.objects.order_by("code")]
        raise Rollback
    assert not Account.objects.exists()
    seed(accounts=40, seed=5)

    assert [comparable(a) for a in Account.objects.order_by("code")] == first_run


@pytest.mark.django_db
def test_second_run_adds_more_accounts_without_collisions():
    first = next_code_number()
    seed(accounts=50, seed=1)
    seed(accounts=50, seed=1)
    seed(accounts=25, seed=9)

    accounts = list(Account.objects.order_by("code"))
    assert len(accounts) == 125
    assert accounts[-1].code == format_code("C", first + 124)
    assert len({(a.country.code, a.tax_id) for a in accounts}) == 125
    # The second run is not a copy of the first one.
    assert [a.name for a in accounts[:50]] != [a.name for a in accounts[50:100]]


@pytest.mark.django_db
def test_seed_demo_skips_a_tax_id_typed_in_by_hand():
    account = AccountFactory()
    first = next_code_number()
    planned = build_demo_rows(10, seed=1, start=first)[0]
    Account.objects.filter(pk=account.pk).update(country=planned.country, tax_id=planned.tax_id)

    seed(accounts=10, seed=1)

    seeded = Account.objects.get(code=format_code("C", first))
    assert seeded.name == planned.name
    assert seeded.tax_id != planned.tax_id


@pytest.mark.django_db
def test_ui_created_accounts_continue_after_the_seeded_codes(user):
    first = next_code_number()
    seed(accounts=20, seed=1)

    account = services.account_create(
        user=user,
        data={
            "person_kind": "legal",
            "name": "Ferretería El Progreso, S.A.",
            "tax_id": "155596713-2-2015",
            "contact_name": "José Núñez",
            "email": "ventas@elprogreso.com.pa",
            "phone": "+5072345678",
            "country": "PA",
            "customer_type": CustomerType.objects.get(code="PYME"),
        },
    ).record
    assert account.code == format_code("C", first + 20)


@pytest.mark.django_db
def test_accounts_belong_to_demo_sales_users_who_cannot_log_in():
    seed(accounts=50, seed=1)

    for account in Account.objects.select_related("salesperson"):
        assert account.salesperson.username in SALES_USERNAMES
        assert account.created_by_id == account.updated_by_id == account.salesperson_id
        assert account.version == 1
    for user in User.objects.filter(username__in=SALES_USERNAMES):
        assert not user.has_usable_password()
        assert not (user.is_staff or user.is_superuser)
        assert user.first_name and user.last_name
    assert all(u.role == Role.SALES for u in User.objects.filter(username__in=SALES_USERNAMES))


@pytest.mark.django_db
def test_seed_creates_one_demo_user_per_role():
    seed(accounts=5, seed=1)

    roles = {user.role for user in User.objects.all()}
    assert {Role.MANAGER, Role.SALES, Role.SUPPORT, Role.VIEWER} <= roles


@pytest.mark.django_db
def test_an_existing_sales_user_is_reused_untouched():
    ana = User.objects.create_user("ana.gomez", password="clave-de-ana-123", first_name="Ana")

    seed(accounts=50, seed=1)

    ana.refresh_from_db()
    assert ana.check_password("clave-de-ana-123")
    assert User.objects.filter(username="ana.gomez").count() == 1
    assert Account.objects.filter(salesperson=ana).exists()


@pytest.mark.django_db
def test_zero_accounts_is_a_no_op():
    before = Sequence.objects.get(name="account").last_value

    output = seed(accounts=0)

    assert "Nothing to do" in output
    assert not Account.objects.exists()
    assert not User.objects.exists()
    assert Sequence.objects.get(name="account").last_value == before


@pytest.mark.django_db
def test_negative_accounts_is_refused():
    with pytest.raises(CommandError):
        seed(accounts=-1)


@pytest.mark.django_db
def test_seed_demo_makes_no_query_per_account(django_assert_max_num_queries):
    # 400 accounts and every module's demo records: users and their roles, catalogs, the
    # counters and the existing tax ids are a fixed number; the rest are multi-row INSERTs
    # (SQLite caps them at 999 parameters each), so the count grows with the batches, not
    # with the rows.
    with django_assert_max_num_queries(200):
        seed(accounts=400, seed=1)
    assert Account.objects.count() == 400


@pytest.mark.django_db
def test_a_failed_run_gives_its_codes_back(monkeypatch):
    from clientela.accounts.management.commands import seed_demo

    before = Sequence.objects.get(name="account").last_value

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(seed_demo, "bulk_insert", broken)
    with pytest.raises(RuntimeError):
        seed(accounts=10, seed=1)

    assert Sequence.objects.get(name="account").last_value == before
    with transaction.atomic():
        assert sequence_next("account") == before + 1
