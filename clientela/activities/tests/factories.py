from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.activities.models import Activity

__all__ = ["AccountFactory", "ActivityFactory", "UserFactory"]


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    account = factory.SubFactory(AccountFactory)
    kind = Activity.Kind.CALL
    subject = factory.Sequence(lambda n: f"Llamada de seguimiento {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=2))
    assigned_to = factory.LazyAttribute(lambda o: o.account.salesperson)
    created_by = factory.LazyAttribute(lambda o: o.account.salesperson)
    updated_by = factory.LazyAttribute(lambda o: o.created_by)
