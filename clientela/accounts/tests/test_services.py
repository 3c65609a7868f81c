from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clientela.accounts import services
from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory
from clientela.core.exceptions import StaleVersionError

pytestmark = pytest.mark.django_db


def valid_data(**overrides):
    data = {
        "person_kind": "legal",
        "name": "Distribuidora Peña, S.A.",
        "tax_id": "155596713-2-2015",
        "tax_dv": "",
        "contact_name": "José Núñez",
        "email": "Ventas@Pena.com.PA",
        "phone": "+5072345678",
        "country": "PA",
        "customer_type": CustomerTypeFactory(),
        "payment_terms": "cash",
    }
    data.update(overrides)
    return data


def test_create_issues_sequential_codes_and_records_creator(user):
    first = services.account_create(user=user, data=valid_data()).record
    second = services.account_create(
        user=user, data=valid_data(tax_id="155587169-2-2014", name="Otra Empresa")
    ).record
    assert first.code.startswith("C-") and len(first.code) == 8
    assert int(second.code[2:]) == int(first.code[2:]) + 1
    assert first.created_by == user and first.updated_by == user
    assert first.version == 1


def test_create_normalizes_email_and_computes_panama_dv(user):
    account = services.account_create(user=user, data=valid_data()).record
    assert account.email == "ventas@pena.com.pa"
    assert account.tax_dv == "59"
    assert str(account.phone) == "+5072345678"


def test_create_defaults_salesperson_to_creator(user):
    account = services.account_create(user=user, data=valid_data()).record
    assert account.salesperson == user


def test_create_refuses_wrong_typed_dv_and_saves_nothing(user):
    with pytest.raises(ValidationError) as exc:
        services.account_create(user=user, data=valid_data(tax_dv="11"))
    assert "tax_dv" in exc.value.message_dict
    assert Account.objects.count() == 0


def test_create_refuses_duplicate_tax_id_in_same_country_with_code(user):
    first = services.account_create(user=user, data=valid_data()).record
    with pytest.raises(services.DuplicateTaxIdError) as exc:
        # Same id spelled differently: compared normalized.
        services.account_create(
            user=user, data=valid_data(tax_id=" 155596713-2-2015 ", name="Copia")
        )
    assert exc.value.existing.code == first.code
    assert first.code in exc.value.message_dict["tax_id"][0]
    assert Account.objects.count() == 1


def test_same_tax_id_in_another_country_is_allowed(user):
    services.account_create(user=user, data=valid_data(name="Alfa"))
    services.account_create(user=user, data=valid_data(country="JP", name="Beta"))
    assert Account.objects.count() == 2


def test_database_refuses_duplicate_tax_id_even_without_the_service():
    account = AccountFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountFactory(country=account.country, tax_id=account.tax_id)


def test_legal_person_requires_contact_name(user):
    with pytest.raises(ValidationError) as exc:
        services.account_create(user=user, data=valid_data(contact_name=""))
    assert "contact_name" in exc.value.message_dict


def test_natural_person_needs_no_contact_name(user):
    account = services.account_create(
        user=user, data=valid_data(person_kind="natural", contact_name="", tax_id="8-123-456")
    ).record
    assert account.tax_id == "8-123-456"


def test_credit_terms_require_days_and_limit(user):
    with pytest.raises(ValidationError) as exc:
        services.account_create(
            user=user, data=valid_data(payment_terms="credit", credit_days=0, credit_limit=0)
        )
    assert {"credit_days", "credit_limit"} <= set(exc.value.message_dict)


def test_credit_days_above_365_are_refused(user):
    with pytest.raises(ValidationError) as exc:
        services.account_create(
            user=user,
            data=valid_data(payment_terms="credit", credit_days=400, credit_limit=Decimal("10")),
        )
    assert "credit_days" in exc.value.message_dict


def test_cash_terms_zero_the_credit_fields(user):
    account = services.account_create(
        user=user, data=valid_data(payment_terms="cash", credit_days=30, credit_limit=Decimal("5"))
    ).record
    assert account.credit_days == 0 and account.credit_limit == 0


def test_website_must_be_http_or_https(user):
    with pytest.raises(ValidationError) as exc:
        services.account_create(user=user, data=valid_data(website="javascript:alert(1)"))
    assert "website" in exc.value.message_dict


def test_name_needs_two_characters(user):
    with pytest.raises(ValidationError) as exc:
        services.account_create(user=user, data=valid_data(name="A"))
    assert "name" in exc.value.message_dict


def test_service_refuses_fields_outside_the_allow_list(user):
    with pytest.raises(ValueError):
        services.account_create(user=user, data=valid_data(code="C-999999"))


def test_update_bumps_version_and_records_editor(user):
    account = services.account_create(user=user, data=valid_data()).record
    editor = UserFactory()
    updated = services.account_update(
        user=editor, account=account, data={"name": "Nuevo Nombre"}, version=1
    ).record
    assert updated.version == 2
    assert updated.updated_by == editor
    assert Account.objects.get(pk=account.pk).name == "Nuevo Nombre"


def test_update_with_stale_version_is_refused_and_changes_nothing(user):
    account = services.account_create(user=user, data=valid_data()).record
    services.account_update(user=user, account=account, data={"name": "Primero"}, version=1)
    with pytest.raises(StaleVersionError) as exc:
        services.account_update(user=user, account=account, data={"name": "Segundo"}, version=1)
    assert exc.value.current.name == "Primero"
    assert Account.objects.get(pk=account.pk).name == "Primero"


def test_update_keeps_code_immutable(user):
    account = services.account_create(user=user, data=valid_data()).record
    with pytest.raises(ValueError):
        services.account_update(user=user, account=account, data={"code": "C-000999"}, version=1)


def test_update_to_a_taken_tax_id_is_refused(user):
    services.account_create(user=user, data=valid_data())
    other = services.account_create(
        user=user, data=valid_data(tax_id="155587169-2-2014", name="Otra")
    ).record
    with pytest.raises(services.DuplicateTaxIdError):
        services.account_update(
            user=user, account=other, data={"tax_id": "155596713-2-2015", "tax_dv": ""}, version=1
        )


def test_codes_are_never_reused_after_delete(user):
    first = services.account_create(user=user, data=valid_data()).record
    Account.objects.filter(pk=first.pk).delete()
    second = services.account_create(user=user, data=valid_data(name="Otra")).record
    assert second.code != first.code
    assert int(second.code[2:]) > int(first.code[2:])


def test_search_text_is_folded_on_save(user):
    account = services.account_create(
        user=user, data=valid_data(name="Construcciones Panamá")
    ).record
    assert "construcciones panama" in account.search_text
    assert "2345678" in account.search_text
