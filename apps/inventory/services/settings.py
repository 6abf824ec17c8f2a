"""Changes to a record that are not stock movements: tracking, the discontinued mark and
the reorder figures. They can still change `status`, so they open and close alerts."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from apps.catalog.models import Variant

from ..bulk import update_rows
from ..errors import InvalidMovement, InvalidSetting
from ..locks import lock_records
from ..models import InventoryRecord
from .changes import refresh_generated
from .events import record_tracking_changes, sync_alerts
from .records import ensure_records

UNSET = object()
SETTING_FIELDS = (
    "is_trackable",
    "is_discontinued",
    "reorder_level",
    "reorder_quantity",
    "low_stock_alert",
)


@transaction.atomic
def update_settings(
    *,
    company,
    records: Iterable[InventoryRecord],
    is_trackable=UNSET,
    is_discontinued=UNSET,
    reorder_level=UNSET,
    reorder_quantity=UNSET,
    low_stock_alert=UNSET,
) -> dict[int, InventoryRecord]:
    values = {
        name: value
        for name, value in (
            ("is_trackable", is_trackable),
            ("is_discontinued", is_discontinued),
            ("reorder_level", reorder_level),
            ("reorder_quantity", reorder_quantity),
            ("low_stock_alert", low_stock_alert),
        )
        if value is not UNSET
    }
    for name in ("reorder_level", "reorder_quantity"):
        value = values.get(name)
        if value is not None and (not isinstance(value, int) or value < 0):
            raise InvalidSetting(f"{name} must be a whole number of at least 0.", field=name)
    records = list(records)
    locked = lock_records(company=company, record_ids=(r.pk for r in records), known=records)
    if not values or not locked:
        return locked
    status_before = {rid: r.status for rid, r in locked.items()}
    now = timezone.now()
    changed = []
    for record in locked.values():
        if any(getattr(record, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(record, name, value)
            record.rootfi_updated_at = now
            record.updated_at = now
            changed.append(record)
    if changed:
        update_rows(InventoryRecord, changed, [*values, "rootfi_updated_at", "updated_at"])
        refresh_generated(locked, [r.pk for r in changed])
        sync_alerts(company=company, records=locked, status_before=status_before, now=now)
    return locked


def mark_discontinued(*, company, records) -> dict[int, InventoryRecord]:
    return update_settings(company=company, records=records, is_discontinued=True)


def clear_discontinued(*, company, records) -> dict[int, InventoryRecord]:
    return update_settings(company=company, records=records, is_discontinued=False)


def set_reorder(
    *, company, record, reorder_level=UNSET, reorder_quantity=UNSET, low_stock_alert=UNSET
) -> InventoryRecord:
    locked = update_settings(
        company=company,
        records=[record],
        reorder_level=reorder_level,
        reorder_quantity=reorder_quantity,
        low_stock_alert=low_stock_alert,
    )
    if record.pk not in locked:
        raise InvalidMovement("The inventory record was deleted.", record=record.pk)
    return locked[record.pk]


@transaction.atomic
def start_tracking(*, company, item=None, items=()) -> dict[int, InventoryRecord]:
    """Track every live variant of the products (`item` or `items`); records are created as
    needed and keep the balances they had when tracking stopped. A few queries however many
    products."""
    items = _items(item, items)
    variants = Variant.objects.live().filter(company=company, item__in=items)
    records = ensure_records(company=company, variants=list(variants))
    locked = update_settings(company=company, records=records.values(), is_trackable=True)
    record_tracking_changes(company=company, items=items, started=True, now=timezone.now())
    return locked


@transaction.atomic
def stop_tracking(*, company, item=None, items=()) -> dict[int, InventoryRecord]:
    items = _items(item, items)
    records = InventoryRecord.objects.live().filter(company=company, item__in=items)
    locked = update_settings(company=company, records=list(records), is_trackable=False)
    record_tracking_changes(company=company, items=items, started=False, now=timezone.now())
    return locked


def _items(item, items) -> list:
    chosen = [item] if item is not None else list(items)
    return list({i.pk: i for i in chosen}.values())
