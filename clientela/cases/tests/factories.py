import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.cases.models import DONE_STATUSES, Case, CaseComment, due_at_for
from clientela.contacts.models import Contact

__all__ = ["AccountFactory", "CaseCommentFactory", "CaseFactory", "ContactFactory", "UserFactory"]


class ContactFactory(DjangoModelFactory):
    # Kept here (not the contacts app's factory) so these tests need only the model.
    class Meta:
        model = Contact

    first_name = factory.Sequence(lambda n: f"Persona{n}")
    last_name = "Quintero"
    account = factory.SubFactory(AccountFactory)


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    # Not the K- series: the service's numbers start at K-000001 in every test.
    number = factory.Sequence(lambda n: f"KT-{n:06d}")
    account = factory.SubFactory(AccountFactory)
    subject = factory.Sequence(lambda n: f"Solicitud número {n}")
    priority = Case.Priority.NORMAL
    status = Case.Status.NEW
    opened_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda o: due_at_for(o.priority, o.opened_at))
    resolution = factory.LazyAttribute(
        lambda o: "Se resolvió con el cliente." if o.status in DONE_STATUSES else ""
    )
    resolved_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in DONE_STATUSES else None
    )
    created_by = factory.LazyAttribute(lambda o: o.account.salesperson)
    updated_by = factory.LazyAttribute(lambda o: o.created_by)


class CaseCommentFactory(DjangoModelFactory):
    class Meta:
        model = CaseComment

    case = factory.SubFactory(CaseFactory)
    author = factory.SubFactory(UserFactory)
    body = "Llamé al cliente."
