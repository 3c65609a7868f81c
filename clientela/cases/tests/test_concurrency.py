"""Case numbers stay unique when several connections open cases at the same moment."""

import threading

import pytest
from django.db import connection, connections

from clientela.cases import services
from clientela.cases.models import Case
from clientela.cases.tests.factories import AccountFactory, UserFactory

THREADS = 6
PER_THREAD = 5


@pytest.mark.django_db(transaction=True)
def test_numbers_are_unique_under_concurrent_creation() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers by design; the race is a PostgreSQL concern")
    user = UserFactory(role="support")
    account = AccountFactory()
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(PER_THREAD):
                services.case_create(
                    user=user, data={"account": account, "subject": f"Hilo {worker} caso {i}"}
                )
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == THREADS * PER_THREAD
    assert len(set(numbers)) == len(numbers)
    values = sorted(int(number[2:]) for number in numbers)
    assert values == list(range(values[0], values[0] + len(values)))
