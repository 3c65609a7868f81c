from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from clientela.accounts.models import Account
from clientela.accounts.taxid import panama_dv
from clientela.catalogs.models import CustomerType, EconomicActivity, LedgerAccount, PriceList
from clientela.users.models import User
from clientela.users.roles import Role
from clientela.users.services import assign_role


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Usuario{n}")
    last_name = "Pérez"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("clave-segura-123")

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        # A role is what gives a user access; managers see and do everything but settings.
        if create:
            assign_role(obj, extracted or Role.MANAGER)


class CustomerTypeFactory(DjangoModelFactory):
    # Catalog rows come from a data migration, but transactional tests flush them:
    # get_or_create keeps factories independent of test order.
    class Meta:
        model = CustomerType
        django_get_or_create = ("code",)

    code = "CORP"
    name = "Corporativo"


class EconomicActivityFactory(DjangoModelFactory):
    class Meta:
        model = EconomicActivity
        django_get_or_create = ("code",)

    code = "62"
    name = "Programación informática, consultoría de informática y actividades conexas"


class PriceListFactory(DjangoModelFactory):
    class Meta:
        model = PriceList
        django_get_or_create = ("code",)

    code = "GEN"
    name = "General"


class LedgerAccountFactory(DjangoModelFactory):
    class Meta:
        model = LedgerAccount
        django_get_or_create = ("code",)

    code = "1.1.03"
    name = "Cuentas por cobrar - clientes"


def panama_ruc(n: int) -> str:
    return f"{1555000 + n}-1-2019"


class AccountFactory(DjangoModelFactory):
    class Meta:
        model = Account

    code = factory.Sequence(lambda n: f"T-{n:06d}")
    person_kind = Account.PersonKind.LEGAL
    name = factory.Sequence(lambda n: f"Compañía Número {n}, S.A.")
    tax_id = factory.Sequence(panama_ruc)
    tax_dv = factory.LazyAttribute(lambda o: panama_dv(o.tax_id))
    contact_name = "María Núñez"
    email = factory.Sequence(lambda n: f"ventas{n}@empresa.com.pa")
    phone = "+5072345678"
    country = "PA"
    customer_type = factory.SubFactory(CustomerTypeFactory)
    salesperson = factory.SubFactory(UserFactory)
    payment_terms = Account.PaymentTerms.CASH
    credit_days = 0
    credit_limit = Decimal("0.00")
