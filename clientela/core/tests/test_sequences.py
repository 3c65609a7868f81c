import pytest
from django.db import transaction

from clientela.core.models import Sequence
from clientela.core.sequences import format_code, sequence_next

pytestmark = pytest.mark.django_db


def test_sequence_hands_out_consecutive_blocks():
    with transaction.atomic():
        first = sequence_next("test")
        block = sequence_next("test", count=10)
        after = sequence_next("test")
    assert block == first + 1
    assert after == block + 10


def test_rolled_back_reservation_is_not_consumed():
    with transaction.atomic():
        start = sequence_next("test")
    with pytest.raises(RuntimeError), transaction.atomic():
        sequence_next("test")
        raise RuntimeError("creation failed")
    assert Sequence.objects.get(name="test").last_value == start


@pytest.mark.django_db(transaction=True)
def test_sequence_must_run_inside_a_transaction():
    with pytest.raises(RuntimeError):
        sequence_next("test")


def test_format_code_pads_to_six_digits():
    assert format_code("C", 42) == "C-000042"
    assert format_code("C", 1234567) == "C-1234567"
