"""Two users making different contacts primary at the same moment: both saves succeed,
one after the other, and the account ends with exactly one primary."""

import threading

import pytest
from django.db import connection, connections

from clientela.contacts import services
from clientela.contacts.models import Contact
from clientela.contacts.tests.factories import AccountFactory, ContactFactory, UserFactory

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_primary_changes_leave_one_primary():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers by design; the race is a PostgreSQL concern")
    user = UserFactory()
    account = AccountFactory(salesperson=user)
    contacts = [ContactFactory(account=account) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(contact: Contact) -> None:
        try:
            barrier.wait()
            services.contact_make_primary(user=user, contact=contact)
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(c,)) for c in contacts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert Contact.objects.filter(account=account, is_primary=True).count() == 1
