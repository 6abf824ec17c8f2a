import pytest

from apps.inventory import services
from apps.inventory.errors import (
    InsufficientStock,
    InvalidMovement,
    ProductNotTracked,
    ReservedAboveQuantity,
    UnknownLocation,
)
from apps.inventory.models import Door, OutboxEvent, Reason, StockMovement
from tests import factories
from tests.inventory.helpers import figures, on_hand, snapshot

pytestmark = pytest.mark.django_db
CMD = {"door": Door.COMMAND}


@pytest.fixture
def store(company):
    return factories.default_store(company)


@pytest.fixture
def record(company):
    return factories.record(company, sku="BOOT-9")


def last_movement(record):
    return StockMovement.objects.filter(record=record).order_by("-id").first()


def test_receive_adds_on_hand_and_writes_a_ledger_row(company, store, record):
    services.receive(company=company, record=record, location=store, quantity=12, **CMD)

    assert figures(record) == (12, 0, 12, "in_stock")
    assert on_hand(record, store) == 12
    row = last_movement(record)
    assert (row.reason, row.door, row.quantity) == (Reason.RECEIPT, Door.COMMAND, 12)
    assert row.from_location == factories.virtual(company).supplier
    assert (row.to_location, row.to_on_hand_after, row.quantity_after) == (store, 12, 12)


def test_sell_refund_return_and_write_off_each_move_between_store_and_a_virtual_place(
    company, store, record
):
    virtual = factories.virtual(company)
    services.receive(company=company, record=record, location=store, quantity=20, **CMD)
    services.sell(company=company, record=record, location=store, quantity=5, **CMD)
    services.refund(company=company, record=record, location=store, quantity=2, **CMD)
    services.return_to_supplier(company=company, record=record, location=store, quantity=3, **CMD)
    services.write_off(company=company, record=record, location=store, quantity=4, **CMD)

    assert figures(record)[0] == 20 - 5 + 2 - 3 - 4
    rows = list(StockMovement.objects.filter(record=record).order_by("id"))
    assert [(r.reason, r.from_location, r.to_location) for r in rows] == [
        (Reason.RECEIPT, virtual.supplier, store),
        (Reason.SALE, store, virtual.sold),
        (Reason.REFUND, virtual.sold, store),
        (Reason.SUPPLIER_RETURN, store, virtual.supplier),
        (Reason.WRITEOFF, store, virtual.bin),
    ]
    assert [r.quantity_after for r in rows] == [20, 15, 17, 14, 10]


def test_transfer_moves_between_stores_without_changing_the_total(company, store, record):
    depot = factories.store(company, store_code="7")
    services.receive(company=company, record=record, location=store, quantity=10, **CMD)
    services.transfer(
        company=company, record=record, from_location=store, to_location=depot, quantity=4, **CMD
    )

    assert (on_hand(record, store), on_hand(record, depot)) == (6, 4)
    assert figures(record)[0] == 10
    row = last_movement(record)
    assert (row.reason, row.from_on_hand_after, row.to_on_hand_after) == ("transfer", 6, 4)


def test_set_count_moves_the_difference_and_nothing_when_unchanged(company, store, record):
    virtual = factories.virtual(company)
    services.set_count(company=company, record=record, location=store, count=44, **CMD)
    up = last_movement(record)
    services.set_count(company=company, record=record, location=store, count=40, **CMD)
    down = last_movement(record)
    services.set_count(company=company, record=record, location=store, count=40, **CMD)

    assert (up.from_location, up.to_location, up.quantity, up.reason) == (
        virtual.supplier,
        store,
        44,
        "count",
    )
    assert (down.from_location, down.to_location, down.quantity) == (store, virtual.bin, 4)
    assert StockMovement.objects.filter(record=record).count() == 2
    assert figures(record)[0] == 40


def test_reserve_release_and_fulfil(company, store, record):
    services.receive(company=company, record=record, location=store, quantity=10, **CMD)
    services.reserve(company=company, record=record, quantity=6, **CMD)
    assert figures(record) == (10, 6, 4, "in_stock")
    services.release(company=company, record=record, quantity=2, **CMD)
    assert figures(record) == (10, 4, 6, "in_stock")
    services.fulfil(company=company, record=record, location=store, quantity=3, **CMD)

    assert figures(record) == (7, 1, 6, "in_stock")
    row = last_movement(record)
    assert (row.reason, row.quantity, row.reserved_change, row.to_location) == (
        "fulfil",
        3,
        -3,
        factories.virtual(company).sold,
    )


def test_a_batch_applies_many_changes_in_a_few_queries(
    company, store, django_assert_max_num_queries
):
    records = [factories.record(company) for _ in range(60)]
    changes = [services.Count(r, store, n + 1) for n, r in enumerate(records)]
    with django_assert_max_num_queries(20):
        result = services.apply_changes(company=company, changes=changes, **CMD)

    assert len(result.movements) == 60
    assert [figures(r)[0] for r in records] == list(range(1, 61))


def test_every_change_moves_rootfi_updated_at(company, store, record):
    before = figures(record), record.rootfi_updated_at
    services.receive(company=company, record=record, location=store, quantity=1, **CMD)
    record.refresh_from_db()
    assert record.rootfi_updated_at > before[1]


# Refusals: each carries the figures and leaves every figure and the ledger untouched.


def test_selling_more_than_a_store_holds_is_refused_with_the_figures(company, store, record):
    depot = factories.store(company)
    services.receive(company=company, record=record, location=store, quantity=3, **CMD)
    services.receive(company=company, record=record, location=depot, quantity=50, **CMD)
    before = snapshot(company)

    with pytest.raises(InsufficientStock) as refused:
        services.sell(company=company, record=record, location=store, quantity=4, **CMD)

    assert refused.value.figures["on_hand"] == 3
    assert refused.value.figures["requested"] == 4
    assert snapshot(company) == before


def test_stock_cannot_leave_below_the_reserved_quantity(company, store, record):
    services.receive(company=company, record=record, location=store, quantity=10, **CMD)
    services.reserve(company=company, record=record, quantity=8, **CMD)
    before = snapshot(company)

    with pytest.raises(InsufficientStock) as refused:
        services.sell(company=company, record=record, location=store, quantity=3, **CMD)
    with pytest.raises(InsufficientStock):
        services.set_count(company=company, record=record, location=store, count=7, **CMD)

    assert refused.value.figures == {
        "sku": "BOOT-9",
        "quantity": 7,
        "reserved_quantity": 8,
        "requested": 3,
        "available": 2,
    }
    assert snapshot(company) == before


def test_reserving_above_quantity_and_releasing_more_than_reserved_are_refused(
    company, store, record
):
    services.receive(company=company, record=record, location=store, quantity=5, **CMD)
    before = snapshot(company)

    with pytest.raises(ReservedAboveQuantity) as refused:
        services.reserve(company=company, record=record, quantity=6, **CMD)
    with pytest.raises(InvalidMovement):
        services.release(company=company, record=record, quantity=1, **CMD)

    assert refused.value.figures["quantity"] == 5
    assert snapshot(company) == before


def test_a_count_and_a_reservation_are_judged_on_their_final_figures(company, store, record):
    services.receive(company=company, record=record, location=store, quantity=10, **CMD)
    services.reserve(company=company, record=record, quantity=8, **CMD)

    # Alone, counting 5 would leave 8 reserved of 5; with the release it is fine.
    services.apply_changes(
        company=company,
        changes=[services.Count(record, store, 5), services.Reserve(record, -4)],
        **CMD,
    )
    assert figures(record) == (5, 4, 1, "in_stock")


@pytest.mark.parametrize(
    ("kinds", "error"),
    [(("supplier", "sold"), InvalidMovement), (("sold", "bin"), InvalidMovement)],
)
def test_virtual_to_virtual_is_invalid(company, record, kinds, error):
    virtual = factories.virtual(company)
    src, dst = (getattr(virtual, k) for k in kinds)
    before = snapshot(company)
    with pytest.raises(error):
        services.apply_changes(company=company, changes=[services.Move(record, src, dst, 1)], **CMD)
    assert snapshot(company) == before


@pytest.mark.parametrize("quantity", [0, -3])
def test_a_movement_moves_a_positive_quantity(company, store, record, quantity):
    before = snapshot(company)
    with pytest.raises(InvalidMovement):
        services.receive(company=company, record=record, location=store, quantity=quantity, **CMD)
    assert snapshot(company) == before


def test_another_companys_location_is_unknown(company, other_company, record):
    theirs = factories.default_store(other_company)
    before = snapshot(company)
    with pytest.raises(UnknownLocation):
        services.receive(company=company, record=record, location=theirs, quantity=1, **CMD)
    assert snapshot(company) == before


def test_an_untracked_product_takes_no_movement(company, store, record):
    services.stop_tracking(company=company, item=record.item)
    before = snapshot(company)
    with pytest.raises(ProductNotTracked):
        services.receive(company=company, record=record, location=store, quantity=1, **CMD)
    assert snapshot(company) == before


def test_a_failing_change_in_a_batch_leaves_the_earlier_ones_unapplied(company, store, record):
    other = factories.record(company)
    before = snapshot(company)
    virtual = factories.virtual(company)
    with pytest.raises(InsufficientStock):
        services.apply_changes(
            company=company,
            changes=[
                services.Move(record, virtual.supplier, store, 42),
                services.Move(other, store, virtual.sold, 1),
            ],
            **CMD,
        )
    assert snapshot(company) == before
    assert not OutboxEvent.objects.filter(company=company, event_name="InventoryBalanceChanged")
