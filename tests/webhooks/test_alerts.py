"""Alerts open and close through every door, each opening and closing going to the outbox
once, in the transaction of the change (the HTTP doors call these same services)."""

import pytest
from django.db import transaction

from apps.inventory import services
from apps.inventory.models import Door, OutboxEvent, StockAlert
from tests import factories


def alert_events(company):
    return list(
        OutboxEvent.objects.filter(company=company)
        .exclude(event_name__in=["InventoryBalanceChanged"])
        .order_by("id")
        .values_list("event_name", "payload__sku")
    )


def open_alerts(record):
    return sorted(
        StockAlert.objects.filter(record=record, closed_at__isnull=True).values_list(
            "kind", flat=True
        )
    )


@pytest.mark.parametrize("door", list(Door))
def test_alerts_open_and_close_through_each_door(company, door):
    store = factories.default_store(company)
    record = factories.record(company, sku="TEE", on_hand=10, reorder_level=5)
    OutboxEvent.objects.filter(company=company).delete()
    context = {"company": company, "record": record, "door": door}

    services.sell(location=store, quantity=6, **context)  # 4 < 5: low stock
    assert open_alerts(record) == ["low_stock"]
    assert alert_events(company) == [("InventoryLowStock", "TEE")]

    services.sell(location=store, quantity=1, **context)  # still low: nothing new
    assert StockAlert.objects.filter(record=record).count() == 1
    assert len(alert_events(company)) == 1

    services.apply_changes(
        company=company, changes=[services.Count(record, store, 0)], door=door
    )  # low -> out
    assert open_alerts(record) == ["out_of_stock"]
    assert alert_events(company)[1:] == [
        ("InventoryLowStockResolved", "TEE"),
        ("InventoryOutOfStock", "TEE"),
    ]

    services.receive(location=store, quantity=20, **context)  # out -> in stock
    assert open_alerts(record) == []
    assert alert_events(company)[3:] == [("InventoryOutOfStockResolved", "TEE")]
    closed = StockAlert.objects.filter(record=record).order_by("id")
    assert [(a.kind, a.quantity_at_open, a.closed_at is not None) for a in closed] == [
        ("low_stock", 4, True),
        ("out_of_stock", 0, True),
    ]
    balance_events = OutboxEvent.objects.filter(
        company=company, event_name="InventoryBalanceChanged"
    )
    assert balance_events.count() == 4


def test_raising_the_reorder_level_opens_an_alert_and_lowering_it_closes_it(company):
    record = factories.record(company, sku="CAP", on_hand=8)
    OutboxEvent.objects.filter(company=company).delete()
    services.set_reorder(company=company, record=record, reorder_level=10)
    assert open_alerts(record) == ["low_stock"]
    services.set_reorder(company=company, record=record, reorder_level=3)
    assert open_alerts(record) == []
    assert alert_events(company) == [
        ("InventoryLowStock", "CAP"),
        ("InventoryLowStockResolved", "CAP"),
    ]


def test_an_import_through_the_command_door_opens_alerts(company, tmp_path):
    from tests.commands.helpers import row, run, write_csv

    record = factories.record(company, sku="SOCK", on_hand=9, reorder_level=4)
    OutboxEvent.objects.filter(company=company).delete()
    path = write_csv(tmp_path / "s.csv", [row("SOCK", "main", 2, reorder_level=4)])
    run("import_inventory", path, company=company.name)
    assert open_alerts(record) == ["low_stock"]
    assert alert_events(company) == [("InventoryLowStock", "SOCK")]


def test_a_change_rolled_back_leaves_no_alert_and_no_event(company):
    store = factories.default_store(company)
    record = factories.record(company, sku="HAT", on_hand=10, reorder_level=5)
    OutboxEvent.objects.filter(company=company).delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.sell(company=company, record=record, location=store, quantity=8, door=Door.ROOTFI)
        assert open_alerts(record) == ["low_stock"]
        raise RuntimeError("the request failed after the change")
    assert open_alerts(record) == []
    assert OutboxEvent.objects.filter(company=company).count() == 0
