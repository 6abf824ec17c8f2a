"""The records that need reorder, as `low_stock_report` lists them."""

from collections.abc import Iterator

from django.db.models import Prefetch

from ..models import InventoryRecord, StockAlert, StockLevel

FIELDS = (
    "sku",
    "item",
    "variant",
    "location",
    "on_hand",
    "quantity",
    "reserved_quantity",
    "available_quantity",
    "status",
    "reorder_level",
    "reorder_quantity",
    "suggested_reorder_quantity",
    "open_alerts",
)


def needing_reorder(company, location=None):
    records = (
        InventoryRecord.objects.live()
        .filter(company=company)
        .needing_reorder()
        .select_related("item", "variant")
        .prefetch_related(
            Prefetch(
                "levels",
                queryset=StockLevel.objects.select_related("location").order_by("location_id"),
            ),
            Prefetch(
                "alerts",
                queryset=StockAlert.objects.filter(closed_at__isnull=True).order_by("opened_at"),
                to_attr="open_alerts",
            ),
        )
        .order_by("status", "available_quantity", "id")
    )
    if location is not None:
        records = records.filter(levels__location=location)
    return records


def report_rows(company, location=None) -> Iterator[dict]:
    """One row per record needing reorder. `location` and `on_hand`: the named store, or
    every store holding a level (comma-separated) and the record's total."""
    for record in needing_reorder(company, location).iterator(chunk_size=1000):
        levels = list(record.levels.all())
        if location is not None:
            here = [lv for lv in levels if lv.location_id == location.pk]
            where, on_hand = location.store_code, sum(lv.on_hand for lv in here)
        else:
            where = ",".join(lv.location.store_code for lv in levels)
            on_hand = record.quantity
        yield {
            "sku": record.sku,
            "item": record.item.name,
            "variant": record.variant.name,
            "location": where,
            "on_hand": on_hand,
            "quantity": record.quantity,
            "reserved_quantity": record.reserved_quantity,
            "available_quantity": record.available_quantity,
            "status": record.status,
            "reorder_level": record.reorder_level,
            "reorder_quantity": record.reorder_quantity,
            "suggested_reorder_quantity": record.suggested_reorder_quantity,
            "open_alerts": [
                {"kind": alert.kind, "opened_at": alert.opened_at.isoformat()}
                for alert in record.open_alerts
            ],
        }
