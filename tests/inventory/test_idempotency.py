from datetime import timedelta

import pytest

from apps.inventory import services
from apps.inventory.errors import IdempotencyConflict, InsufficientStock
from apps.inventory.idempotency import run_idempotent
from apps.inventory.models import Door, IdempotencyKey, StockMovement
from tests import factories
from tests.inventory.helpers import figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(company):
    return factories.record(company, on_hand=10)


def sell(company, record, n=2):
    def handler():
        services.sell(
            company=company,
            record=record,
            location=factories.default_store(company),
            quantity=n,
            door=Door.COMMAND,
        )
        return 201, {"quantity": figures(record)[0]}

    return handler


def test_a_repeat_replays_the_first_answer_byte_for_byte_and_moves_nothing(company, record):
    first = run_idempotent(
        company=company, door=Door.ROOTFI, key="k1", fingerprint="f", handler=sell(company, record)
    )
    again = run_idempotent(
        company=company, door=Door.ROOTFI, key="k1", fingerprint="f", handler=sell(company, record)
    )

    assert (first.status, first.body, first.replayed) == (201, b'{"quantity":8}', False)
    assert (again.status, again.body, again.replayed) == (201, b'{"quantity":8}', True)
    assert figures(record)[0] == 8


def test_another_request_under_the_same_key_is_refused(company, record):
    run_idempotent(
        company=company, door=Door.ROOTFI, key="k1", fingerprint="f", handler=sell(company, record)
    )
    with pytest.raises(IdempotencyConflict):
        run_idempotent(
            company=company,
            door=Door.ROOTFI,
            key="k1",
            fingerprint="other",
            handler=sell(company, record),
        )
    assert figures(record)[0] == 8


def test_keys_are_per_company_and_door(company, other_company, record):
    run_idempotent(
        company=company, door=Door.ROOTFI, key="k1", fingerprint="f", handler=sell(company, record)
    )
    run_idempotent(
        company=company, door=Door.ZETTLE, key="k1", fingerprint="f", handler=sell(company, record)
    )
    assert figures(record)[0] == 6
    assert IdempotencyKey.objects.filter(key="k1").count() == 2


def test_a_refused_request_keeps_no_key_so_the_retry_runs(company, record):
    with pytest.raises(InsufficientStock):
        run_idempotent(
            company=company,
            door=Door.ROOTFI,
            key="k2",
            fingerprint="f",
            handler=sell(company, record, n=50),
        )
    assert not IdempotencyKey.objects.filter(key="k2").exists()
    answer = run_idempotent(
        company=company,
        door=Door.ROOTFI,
        key="k2",
        fingerprint="f",
        handler=sell(company, record, n=5),
    )
    assert answer.body == b'{"quantity":5}'


def test_an_error_answer_is_rolled_back_with_its_changes(company, record):
    def half_done():
        sell(company, record)()
        return 400, {"error": "bad"}

    answer = run_idempotent(
        company=company, door=Door.ROOTFI, key="k3", fingerprint="f", handler=half_done
    )
    assert answer.status == 400
    assert figures(record)[0] == 10
    assert not IdempotencyKey.objects.filter(key="k3").exists()


def test_answers_expire_after_a_day(company, record):
    run_idempotent(
        company=company, door=Door.ROOTFI, key="k4", fingerprint="f", handler=sell(company, record)
    )
    slot = IdempotencyKey.objects.get(key="k4")
    slot.created_at -= timedelta(hours=25)
    slot.save()
    answer = run_idempotent(
        company=company, door=Door.ROOTFI, key="k4", fingerprint="g", handler=sell(company, record)
    )
    assert not answer.replayed
    assert StockMovement.objects.filter(record=record, reason="sale").count() == 2
