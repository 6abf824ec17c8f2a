"""Real threads against PostgreSQL: no update lost, no constraint broken."""

import threading

import pytest
from django.db import close_old_connections, connection

from apps.inventory import services
from apps.inventory.errors import IdempotencyConflict, InsufficientStock
from apps.inventory.idempotency import run_idempotent
from apps.inventory.models import Door, StockLevel, StockMovement
from tests import factories
from tests.inventory.helpers import figures

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_threads(count, target):
    barrier = threading.Barrier(count)
    errors = []

    def worker(n):
        try:
            barrier.wait()
            target(n)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


def test_ten_threads_selling_the_last_300_units_sell_exactly_300():
    company = factories.company()
    store = factories.default_store(company)
    record = factories.record(company, on_hand=300)
    sold = []
    refused = []

    def sell_forty(n):
        for _ in range(40):
            try:
                services.sell(
                    company=company, record=record, location=store, quantity=1, door=Door.COMMAND
                )
                sold.append(n)
            except InsufficientStock:
                refused.append(n)

    assert run_threads(10, sell_forty) == []
    assert (len(sold), len(refused)) == (300, 100)
    assert figures(record) == (0, 0, 0, "out_of_stock")
    assert StockLevel.objects.get(record=record, location=store).on_hand == 0
    assert StockMovement.objects.filter(record=record, reason="sale").count() == 300


def test_two_first_receipts_into_a_new_location_both_land():
    company = factories.company()
    record = factories.record(company)
    depot = factories.store(company)

    def receive(n):
        services.receive(
            company=company, record=record, location=depot, quantity=5 + n, door=Door.COMMAND
        )

    assert run_threads(2, receive) == []
    assert StockLevel.objects.get(record=record, location=depot).on_hand == 11
    assert figures(record)[0] == 11


def test_two_identical_idempotent_requests_at_once_make_one_movement():
    company = factories.company()
    store = factories.default_store(company)
    record = factories.record(company, on_hand=10)
    answers = []

    def handler():
        services.sell(company=company, record=record, location=store, quantity=3, door=Door.COMMAND)
        return 200, {"sold": 3}

    def request(n):
        answers.append(
            run_idempotent(
                company=company,
                door=Door.COMMAND,
                key="order-77",
                fingerprint="same",
                handler=handler,
            )
        )

    assert run_threads(4, request) == []
    assert figures(record)[0] == 7
    assert StockMovement.objects.filter(record=record, reason="sale").count() == 1
    assert sorted(a.replayed for a in answers) == [False, True, True, True]
    assert {a.body for a in answers} == {b'{"sold":3}'}


def test_the_same_key_with_another_request_is_refused():
    company = factories.company()
    run_idempotent(
        company=company,
        door=Door.COMMAND,
        key="k",
        fingerprint="a",
        handler=lambda: (201, {"ok": True}),
    )
    with pytest.raises(IdempotencyConflict):
        run_idempotent(
            company=company,
            door=Door.COMMAND,
            key="k",
            fingerprint="b",
            handler=lambda: (201, {"ok": True}),
        )
