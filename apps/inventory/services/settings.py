"""Changes to a record that are not stock movements: tracking, the discontinued mark and
the reorder figures. They can still change `status`, so they open and close alerts; each
is one engine call."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from apps.catalog.models import Variant

from ..errors import InvalidMovement
from ..models import Door, InventoryRecord
from .changes import apply_changes
from .events import record_tracking_changes
from .play import UNSET, NewRecord, Settings


def update_settings(
    *,
    company,
    records: Iterable[InventoryRecord],
    door: str = Door.ADMIN,
    actor=None,
    **values,
) -> dict[int, InventoryRecord]:
    """The same settings (is_trackable, is_discontinued, reorder_level, reorder_quantity,
    low_stock_alert; UNSET leaves one as it is) for every record: the live ones, locked,
    answered by id."""
    records = list(records)
    if not records:
        return {}
    result = apply_changes(
        company=company,
        changes=[Settings(r, **values) for r in records],
        door=door,
        actor=actor,
        skip_deleted=True,
    )
    return result.records


def mark_discontinued(*, company, records, **context) -> dict[int, InventoryRecord]:
    return update_settings(company=company, records=records, is_discontinued=True, **context)


def clear_discontinued(*, company, records, **context) -> dict[int, InventoryRecord]:
    return update_settings(company=company, records=records, is_discontinued=False, **context)


def set_reorder(
    *,
    company,
    record,
    reorder_level=UNSET,
    reorder_quantity=UNSET,
    low_stock_alert=UNSET,
    **context,
) -> InventoryRecord:
    locked = update_settings(
        company=company,
        records=[record],
        reorder_level=reorder_level,
        reorder_quantity=reorder_quantity,
        low_stock_alert=low_stock_alert,
        **context,
    )
    if record.pk not in locked:
        raise InvalidMovement("The inventory record was deleted.", record=record.pk)
    return locked[record.pk]


@transaction.atomic
def start_tracking(*, company, item=None, items=(), door=Door.ZETTLE, actor=None):
    """Track every live variant of the products (`item` or `items`): records are created as
    needed and keep the balances they had when tracking stopped. One engine call."""
    items = _items(item, items)
    variants = Variant.objects.live().filter(company=company, item__in=items).select_related("item")
    new = [NewRecord(v) for v in variants]
    result = apply_changes(
        company=company,
        changes=[*new, *(Settings(n, is_trackable=True) for n in new)],
        door=door,
        actor=actor,
    )
    record_tracking_changes(
        company=company, items=items, started=True, now=timezone.now(), actor=actor
    )
    return result.records


@transaction.atomic
def stop_tracking(*, company, item=None, items=(), door=Door.ZETTLE, actor=None):
    items = _items(item, items)
    records = list(InventoryRecord.objects.live().filter(company=company, item__in=items))
    locked = update_settings(
        company=company, records=records, is_trackable=False, door=door, actor=actor
    )
    record_tracking_changes(
        company=company, items=items, started=False, now=timezone.now(), actor=actor
    )
    return locked


def _items(item, items) -> list:
    chosen = [item] if item is not None else list(items)
    return list({i.pk: i for i in chosen}.values())
