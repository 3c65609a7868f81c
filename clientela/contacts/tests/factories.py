import factory
from factory.django import DjangoModelFactory

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.contacts.models import Contact

__all__ = ["AccountFactory", "ContactFactory", "UserFactory"]


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    first_name = factory.Sequence(lambda n: f"Persona{n}")
    last_name = "Núñez"
    job_title = "Gerente General"
    email = factory.Sequence(lambda n: f"persona{n}@empresa.com.pa")
    phone = "+5072345678"
    mobile = "+50761234567"
    account = factory.SubFactory(AccountFactory)
    created_by = factory.LazyAttribute(lambda o: o.account.salesperson if o.account else None)
    updated_by = factory.LazyAttribute(lambda o: o.created_by)
