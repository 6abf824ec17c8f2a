"""The count workflow through its services: numbers, scope, entries, apply as of the moment
each line was counted, refusals."""

import pytest
from django.core.management import call_command

from apps.counts import services
from apps.counts.errors import CountNotOpen, NotCountable
from apps.counts.models import Count
from apps.counts.selectors import expected_at_count
from apps.inventory import services as stock
from apps.inventory.errors import InsufficientStock
from apps.inventory.models import Door
from tests import factories

from .helpers import figures, ledger, many_records, on_hand

pytestmark = pytest.mark.django_db


def sell(record, location, units):
    stock.sell(
        company=record.company, record=record, location=location, quantity=units, door=Door.ROOTFI
    )


def test_numbers_run_per_company(company, other_company, store):
    first = services.open_count(company=company, location=store)
    second = services.open_count(company=company, location=store)
    theirs = services.open_count(
        company=other_company, location=factories.default_store(other_company)
    )
    assert (first.number, second.number, theirs.number) == ("CC-00001", "CC-00002", "CC-00001")


def test_a_whole_location_count_holds_every_tracked_record_with_a_level_there(company, store):
    north = factories.store(company)
    factories.record(company, sku="A", on_hand=5)
    factories.record(company, sku="B", on_hand=5, location=north)
    untracked = factories.record(company, sku="C", on_hand=2)
    stock.stop_tracking(company=company, item=untracked.item)
    untracked.refresh_from_db()

    count = services.open_count(company=company, location=store)

    assert [(line.record.sku, line.expected) for line in count.lines.all()] == [("A", 5)]
    assert count.status == "open" and count.blind


def test_a_named_scope_refuses_an_untracked_item(company, store):
    untracked = factories.record(company, sku="C")
    stock.stop_tracking(company=company, item=untracked.item)
    untracked.refresh_from_db()
    with pytest.raises(NotCountable) as refused:
        services.open_count(company=company, location=store, records=[untracked])
    assert refused.value.index == 0
    assert not Count.objects.exists()


def test_a_repeat_entry_replaces_and_an_item_outside_the_scope_joins(company, store):
    a = factories.record(company, sku="A", on_hand=5)
    b = factories.record(company, sku="B")
    count = services.open_count(company=company, location=store, records=[a])
    services.enter(count=count, entries=[services.Entry(a, 3)])
    first = count.lines.get(record=a)
    sell(a, store, 1)
    services.enter(count=count, entries=[services.Entry(a, 4), services.Entry(b, 2)])

    line = count.lines.get(record=a)
    assert line.counted == 4
    assert line.position > first.position and line.counted_at >= first.counted_at
    found = count.lines.get(record=b)
    assert (found.counted, found.added, found.expected) == (2, True, 0)


def test_scans_add_up(company, store):
    a = factories.record(company, sku="A", on_hand=5)
    count = services.open_count(company=company, location=store)
    for _ in range(3):
        services.enter(count=count, entries=[services.Entry(a, 1, add=True)])
    assert count.lines.get(record=a).counted == 3
    services.enter(count=count, entries=[services.Entry(a, 7)])
    assert count.lines.get(record=a).counted == 7


def test_a_sale_between_counting_and_applying_stays_sold(company, store):
    record = factories.record(company, sku="TEE", on_hand=12)
    count = services.open_count(company=company, location=store)
    services.enter(count=count, entries=[services.Entry(record, 10)])
    sell(record, store, 2)

    services.apply_count(count=count, door=Door.ADMIN)

    line = count.lines.get()
    assert on_hand(record, store) == 8
    assert (line.expected_at_count, line.variance, line.applied_on_hand) == (12, -2, 8)
    assert ledger(record)[-2:] == [
        ("sale", 2, "STORE", "SOLD", ""),
        ("count", 2, "STORE", "BIN", count.number),
    ]
    count.refresh_from_db()
    assert (count.status, count.variance_units) == ("applied", 2)
    call_command("audit_ledger")


def test_uncounted_lines_are_left_alone_or_zeroed(company, store):
    counted = factories.record(company, sku="A", on_hand=4)
    forgotten = factories.record(company, sku="B", on_hand=6)
    left = services.open_count(company=company, location=store)
    services.enter(count=left, entries=[services.Entry(counted, 4)])
    services.apply_count(count=left, door=Door.ADMIN)
    assert on_hand(forgotten, store) == 6
    assert left.lines.get(record=forgotten).applied_on_hand is None

    zeroed = services.open_count(company=company, location=store)
    services.enter(count=zeroed, entries=[services.Entry(counted, 4)])
    services.apply_count(count=zeroed, door=Door.ADMIN, zero_uncounted=True)
    line = zeroed.lines.get(record=forgotten)
    assert on_hand(forgotten, store) == 0
    assert (line.counted, line.expected_at_count, line.variance, line.applied_on_hand) == (
        0,
        6,
        -6,
        0,
    )
    assert ledger(forgotten)[-1] == ("count", 6, "STORE", "BIN", zeroed.number)


def test_applying_twice_or_a_cancelled_count_is_refused_and_changes_nothing(company, store):
    record = factories.record(company, sku="A", on_hand=4)
    count = services.open_count(company=company, location=store)
    services.enter(count=count, entries=[services.Entry(record, 3)])
    services.apply_count(count=count, door=Door.ADMIN)
    before = figures([record])
    with pytest.raises(CountNotOpen):
        services.apply_count(count=count, door=Door.ADMIN)
    with pytest.raises(CountNotOpen):
        services.enter(count=count, entries=[services.Entry(record, 1)])

    cancelled = services.open_count(company=company, location=store)
    services.enter(count=cancelled, entries=[services.Entry(record, 1)])
    services.cancel_count(count=cancelled)
    with pytest.raises(CountNotOpen):
        services.apply_count(count=cancelled, door=Door.ADMIN)
    assert figures([record]) == before
    cancelled.refresh_from_db()
    assert cancelled.status == "cancelled"


def test_a_count_the_later_sales_overtook_is_refused_whole(company, store):
    short = factories.record(company, sku="A", on_hand=12)
    fine = factories.record(company, sku="B", on_hand=5)
    count = services.open_count(company=company, location=store)
    services.enter(count=count, entries=[services.Entry(fine, 4), services.Entry(short, 1)])
    sell(short, store, 3)  # counted 1, then 3 sold: the shelf cannot hold -2
    before = figures([short, fine])

    with pytest.raises(InsufficientStock) as refused:
        services.apply_count(count=count, door=Door.ADMIN)

    assert figures([short, fine]) == before
    assert (
        list(count.lines.order_by("id").values_list("record_id", flat=True))[refused.value.index]
        == short.pk
    )
    count.refresh_from_db()
    assert count.status == "open"


def test_expected_at_count_is_one_query_for_a_thousand_lines(
    company, store, django_assert_max_num_queries
):
    north = factories.store(company)
    records = many_records(company, 1000)
    supplier, sold = factories.virtual(company).supplier, factories.virtual(company).sold
    for changes in (
        [stock.Move(r, supplier, store, 20) for r in records],
        [stock.Move(r, supplier, north, 5) for r in records],
        [stock.Move(r, store, sold, 1 + i % 3) for i, r in enumerate(records)],
        [stock.Move(r, store, north, 2) for r in records],
    ):
        stock.apply_changes(company=company, changes=changes, door=Door.COMMAND)
    count = services.open_count(company=company, location=store)
    services.enter(count=count, entries=[services.Entry(r, 10) for r in records])
    stock.apply_changes(
        company=company,
        changes=[stock.Move(r, store, sold, 1) for r in records[:500]],
        door=Door.COMMAND,
    )

    with django_assert_max_num_queries(1):
        book = expected_at_count(count)

    assert len(book) == 1000
    assert {book[r.pk] for r in records} == {20 - 1 - 2, 20 - 2 - 2, 20 - 3 - 2}
