"""Codes stay unique when several connections create accounts at the same moment."""

import threading

import pytest
from django.db import connection, connections

from clientela.accounts import services
from clientela.accounts.models import Account
from clientela.accounts.taxid import panama_dv
from clientela.accounts.tests.factories import CustomerTypeFactory, UserFactory

THREADS = 6
PER_THREAD = 5


@pytest.mark.django_db(transaction=True)
def test_codes_are_unique_under_concurrent_creation() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers by design; the race is a PostgreSQL concern")
    user = UserFactory()
    customer_type = CustomerTypeFactory()
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(PER_THREAD):
                ruc = f"{2000000 + worker * 100 + i}-1-2020"
                services.account_create(
                    user=user,
                    data={
                        "person_kind": "legal",
                        "name": f"Hilo {worker} cuenta {i}",
                        "tax_id": ruc,
                        "tax_dv": panama_dv(ruc),
                        "contact_name": "Ana",
                        "email": f"h{worker}{i}@example.com",
                        "phone": "+5072345678",
                        "country": "PA",
                        "customer_type": customer_type,
                    },
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
    codes = list(Account.objects.values_list("code", flat=True))
    assert len(codes) == THREADS * PER_THREAD
    assert len(set(codes)) == len(codes)
    numbers = sorted(int(code[2:]) for code in codes)
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
