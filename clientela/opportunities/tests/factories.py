from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from clientela.accounts.tests.factories import AccountFactory
from clientela.opportunities.models import Opportunity


class OpportunityFactory(DjangoModelFactory):
    """An open opportunity; pass stage="won"/"lost" with closed_at (and lost_reason)."""

    class Meta:
        model = Opportunity

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Suministro de equipos {n}")
    stage = Opportunity.Stage.PROSPECTING
    amount = Decimal("1000.00")
    currency = "USD"
    owner = factory.LazyAttribute(lambda o: o.account.salesperson)
