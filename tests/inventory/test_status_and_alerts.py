import pytest
from django.db import IntegrityError, transaction

from apps.inventory import services
from apps.inventory.errors import InvalidSetting
from apps.inventory.models import Door, InventoryRecord, OutboxEvent, StockAlert, StockLevel
from tests import factories
from tests.inventory.helpers import figures, snapshot

pytestmark = pytest.mark.django_db
CMD = {"door": Door.COMMAND}


@pytest.mark.parametrize(
    ("on_hand", "reserved", "reorder_level", "status"),
    [
        (100, 10, 20, "in_stock"),  # RootFi's inventory example
        (15, 5, 20, "low_stock"),  # RootFi's low-stock example
        (0, 0, 20, "out_of_stock"),
        (0, 0, None, "out_of_stock"),
        (5, 0, None, "in_stock"),
        (20, 0, 20, "in_stock"),  # at the level is not below it
        (19, 0, 20, "low_stock"),
    ],
)
def test_status_follows_the_figures(company, on_hand, reserved, reorder_level, status):
    record = factories.record(
        company, on_hand=on_hand, reserved=reserved, reorder_level=reorder_level
    )
    assert figures(record) == (on_hand, reserved, on_hand - reserved, status)


def test_discontinued_wins_over_every_figure_and_clears(company):
    record = factories.record(company, on_hand=0, reorder_level=5)
    services.mark_discontinued(company=company, records=[record])
    assert figures(record)[3] == "discontinued"
    services.clear_discontinued(company=company, records=[record])
    assert figures(record)[3] == "out_of_stock"


def test_an_untracked_record_is_unknown_and_tracking_keeps_its_balance(company):
    record = factories.record(company, on_hand=7)
    services.stop_tracking(company=company, item=record.item)
    assert figures(record) == (7, 0, 7, "unknown")
    services.start_tracking(company=company, item=record.item)
    assert figures(record) == (7, 0, 7, "in_stock")
    names = list(
        OutboxEvent.objects.filter(event_name__startswith="InventoryTracking").values_list(
            "event_name", flat=True
        )
    )
    assert names == ["InventoryTrackingStopped", "InventoryTrackingStarted"]
    started = OutboxEvent.objects.get(event_name="InventoryTrackingStarted").payload
    assert started["productUuid"] == str(record.item.uuid)
    assert started["created"]["timestamp"].endswith("+0000")  # Zettle's payload form


def test_start_tracking_makes_a_record_for_every_variant(company):
    item = factories.item(company, variants=[{"sku": "A-1"}, {"sku": "A-2"}, {"sku": "A-3"}])
    records = services.start_tracking(company=company, item=item)
    assert sorted(r.sku for r in records.values()) == ["A-1", "A-2", "A-3"]
    assert all(r.is_trackable for r in InventoryRecord.objects.filter(item=item))


def test_reorder_figures_must_be_whole_and_not_negative(company):
    record = factories.record(company, on_hand=3)
    before = snapshot(company)
    with pytest.raises(InvalidSetting):
        services.set_reorder(company=company, record=record, reorder_level=-1)
    assert snapshot(company) == before


def test_an_alert_opens_when_stock_runs_low_and_closes_when_it_recovers(company):
    store = factories.default_store(company)
    record = factories.record(company, on_hand=30, reorder_level=20)
    services.sell(company=company, record=record, location=store, quantity=15, **CMD)
    services.sell(company=company, record=record, location=store, quantity=2, **CMD)  # still low

    alerts = StockAlert.objects.filter(record=record)
    assert [(a.kind, a.is_open, a.quantity_at_open) for a in alerts] == [("low_stock", True, 15)]

    services.sell(company=company, record=record, location=store, quantity=13, **CMD)
    assert sorted((a.kind, a.is_open) for a in alerts.all()) == [
        ("low_stock", False),
        ("out_of_stock", True),
    ]
    services.receive(company=company, record=record, location=store, quantity=50, **CMD)
    assert not alerts.filter(closed_at__isnull=True).exists()
    events = list(
        OutboxEvent.objects.filter(event_name__startswith="InventoryLow").values_list(
            "event_name", flat=True
        )
    ) + list(
        OutboxEvent.objects.filter(event_name__startswith="InventoryOut").values_list(
            "event_name", flat=True
        )
    )
    assert sorted(events) == [
        "InventoryLowStock",
        "InventoryLowStockResolved",
        "InventoryOutOfStock",
        "InventoryOutOfStockResolved",
    ]


def test_raising_the_reorder_level_opens_an_alert_at_once(company):
    record = factories.record(company, on_hand=10)
    services.set_reorder(company=company, record=record, reorder_level=12)
    assert StockAlert.objects.get(record=record).kind == "low_stock"


def test_the_database_allows_one_open_alert_per_record_and_kind(company):
    record = factories.record(company, on_hand=1, reorder_level=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockAlert.objects.create(
            company=company,
            record=record,
            kind="low_stock",
            quantity_at_open=1,
            opened_at=record.rootfi_updated_at,
        )


def test_a_balance_change_event_carries_before_after_and_external_id(company):
    store = factories.default_store(company)
    record = factories.record(company, on_hand=5)
    services.sell(
        company=company, record=record, location=store, quantity=2, external_id="ext-1", **CMD
    )
    event = OutboxEvent.objects.filter(event_name="InventoryBalanceChanged").last()
    assert event.payload["externalUuid"] == "ext-1"
    assert event.payload["balanceBefore"][0]["balance"] == "5"  # strings, as Zettle sends
    assert event.payload["balanceAfter"][0]["balance"] == "3"
    assert event.payload["balanceAfter"][0]["variantUuid"] == str(record.variant.uuid)


# What the database itself refuses, whatever Python does.


@pytest.mark.parametrize(
    "update",
    [
        {"quantity": -1},
        {"reserved_quantity": -1},
        {"reserved_quantity": 999},
        {"reorder_level": -1},
        {"reorder_quantity": -5},
    ],
)
def test_the_database_refuses_impossible_record_figures(company, update):
    record = factories.record(company, on_hand=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        InventoryRecord.objects.filter(pk=record.pk).update(**update)


def test_the_database_refuses_negative_on_hand_and_a_second_level(company):
    record = factories.record(company, on_hand=10)
    level = StockLevel.objects.get(record=record)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(pk=level.pk).update(on_hand=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.create(company=company, record=record, location=level.location)


def test_the_database_refuses_a_second_live_record_for_a_variant(company):
    record = factories.record(company)
    with pytest.raises(IntegrityError), transaction.atomic():
        InventoryRecord.objects.create(
            company=company, item=record.item, variant=record.variant, platform_id="dup"
        )


def test_records_can_be_born_with_reorder_figures_and_existing_ones_keep_theirs(company):
    existing = factories.record(company, on_hand=3, reorder_level=2)
    fresh = factories.item(company, sku="NEW-1").variants.get()
    records = services.ensure_records(
        company=company,
        variants=[existing.variant, fresh],
        reorder={existing.variant_id: (9, 9), fresh.pk: (4, 12)},
    )
    born = InventoryRecord.objects.get(pk=records[fresh.pk].pk)
    assert (born.reorder_level, born.reorder_quantity, born.status) == (4, 12, "out_of_stock")
    assert InventoryRecord.objects.get(pk=existing.pk).reorder_level == 2
    # Born at zero, it is out of stock like any record at zero, with the alert that says so.
    assert [(a.kind, a.is_open) for a in StockAlert.objects.filter(record=born)] == [
        ("out_of_stock", True)
    ]
    with pytest.raises(InvalidSetting):
        services.ensure_records(
            company=company,
            variants=[factories.item(company).variants.get()],
            reorder={0: (-1, None)},
        )
