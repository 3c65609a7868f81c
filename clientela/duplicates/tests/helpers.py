from clientela.accounts import services as account_services
from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory
from clientela.cases.tests.factories import CaseFactory
from clientela.contacts.tests.factories import ContactFactory
from clientela.documents.tests.factories import DocumentFactory
from clientela.opportunities.tests.factories import OpportunityFactory

__all__ = [
    "AccountFactory",
    "CaseFactory",
    "ContactFactory",
    "DocumentFactory",
    "OpportunityFactory",
    "UserFactory",
    "new_account",
]


def new_account(user, **data):
    """An account created through the service (history entry included)."""
    values = {
        "person_kind": "legal",
        "name": "Grupo Rodríguez Corp.",
        "tax_id": "155123-1-2019",
        "contact_name": "María Núñez",
        "email": "ventas@gruporodriguez.com.pa",
        "phone": "+5072345600",
        "country": "PA",
        "customer_type": CustomerTypeFactory(),
        "salesperson": user,
    }
    values.update(data)
    return account_services.account_create(user=user, data=values).record
