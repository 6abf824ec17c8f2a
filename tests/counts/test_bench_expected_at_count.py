"""The cost of `expected_at_count` and of applying at 1,000 lines on a location with a year of
history (about 365,000 ledger rows). Slow to build: runs only with COUNT_BENCH=1, on
PostgreSQL, and prints its figures (the README quotes them)."""

import os
import random
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.counts import services
from apps.counts.selectors import expected_at_count
from apps.inventory import services as stock
from apps.inventory.models import Door, InventoryRecord, Reason, StockLevel, StockMovement
from tests import factories

from .helpers import many_records

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("COUNT_BENCH"), reason="set COUNT_BENCH=1"),
]

LINES, DAYS = 1000, int(os.environ.get("COUNT_BENCH_DAYS", 365))


def year_of_history(company, store, north, records):
    """A row a day per record, at the store (sales, receipts, transfers to the north
    warehouse) with balances after, as the engine writes them; then the levels to match."""
    virtual = factories.virtual(company)
    rng = random.Random(13)
    start = timezone.now() - timedelta(days=DAYS)
    here = {r.pk: 0 for r in records}
    there = {r.pk: 0 for r in records}
    batch = []
    for day in range(DAYS):
        when = start + timedelta(days=day)
        for r in records:
            roll = rng.random()
            if here[r.pk] < 3 or roll < 0.2:
                units, src, dst, reason = (
                    rng.randint(5, 20),
                    virtual.supplier,
                    store,
                    Reason.RECEIPT,
                )
            elif roll < 0.9:
                units, src, dst, reason = rng.randint(1, 3), store, virtual.sold, Reason.SALE
            else:
                units, src, dst, reason = 2, store, north, Reason.TRANSFER
            units = min(units, here[r.pk]) if src == store else units
            if units == 0:
                continue
            if src == store:
                here[r.pk] -= units
            if dst == store:
                here[r.pk] += units
            if dst == north:
                there[r.pk] += units
            batch.append(
                StockMovement(
                    company=company,
                    record_id=r.pk,
                    from_location=src,
                    to_location=dst,
                    quantity=units,
                    reason=reason,
                    door=Door.COMMAND,
                    created_at=when,
                    from_on_hand_after=here[r.pk] if src == store else None,
                    to_on_hand_after=(
                        here[r.pk] if dst == store else there[r.pk] if dst == north else None
                    ),
                    quantity_after=here[r.pk] + there[r.pk],
                    reserved_after=0,
                )
            )
            if len(batch) >= 20000:
                StockMovement.objects.bulk_create(batch)
                batch = []
    StockMovement.objects.bulk_create(batch)
    StockLevel.objects.bulk_create(
        [
            StockLevel(company=company, record_id=r.pk, location=store, on_hand=here[r.pk])
            for r in records
        ]
        + [
            StockLevel(company=company, record_id=r.pk, location=north, on_hand=there[r.pk])
            for r in records
        ]
    )
    for r in records:
        InventoryRecord.objects.filter(pk=r.pk).update(quantity=here[r.pk] + there[r.pk])
    return here


@pytest.mark.django_db
def test_expected_at_count_at_a_thousand_lines_and_a_year_of_history(company):
    store = factories.default_store(company)
    north = factories.store(company)
    records = many_records(company, LINES)
    book = year_of_history(company, store, north, records)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE inventory_stockmovement")
    rows = StockMovement.objects.filter(company=company).count()

    count = services.open_count(company=company, location=store)
    fresh = list(InventoryRecord.objects.filter(pk__in=[r.pk for r in records]))
    with CaptureQueriesContext(connection) as entered:
        started = time.perf_counter()
        services.enter(
            count=count, entries=[services.Entry(r, max(book[r.pk] - 1, 0)) for r in fresh]
        )
        entering = time.perf_counter() - started
    sold = factories.virtual(company).sold
    stock.apply_changes(
        company=company,
        changes=[stock.Move(r, store, sold, 1) for r in fresh[:300] if book[r.pk] > 1],
        door=Door.ROOTFI,
    )

    with CaptureQueriesContext(connection) as reads:
        started = time.perf_counter()
        expected = expected_at_count(count)
        reading = time.perf_counter() - started
    with CaptureQueriesContext(connection) as applying:
        started = time.perf_counter()
        services.apply_count(count=count, door=Door.ADMIN)
        applied = time.perf_counter() - started

    assert expected == book
    assert len(reads) == 1
    print(
        f"\n{rows} ledger rows; {LINES} lines: expected_at_count {len(reads)} query "
        f"{reading * 1000:.0f} ms; entering {entering * 1000:.0f} ms; apply "
        f"{len(applying)} queries {applied * 1000:.0f} ms"
    )
    for label, queries in (("enter", entered), ("apply", applying)):
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:4]
        for q in slowest:
            print(f"  {label} {float(q['time']) * 1000:.0f} ms  {q['sql'][:150]}")
