"""Row locks, in one place and one order.

Every stock change locks the InventoryRecord rows it touches, ordered by primary key, before
reading their levels (the pattern of Saleor's warehouse/lock_objects.py): all writers lock
in the same order, so they queue instead of deadlocking, and no update is lost."""

from collections.abc import Iterable

from apps.catalog.models import Item, Variant

from .models import InventoryRecord

LOCK_CHUNK = 2000  # keeps `id IN (...)` under SQLite's bound-parameter limit


def lock_records(
    *, company, record_ids: Iterable[int], known: Iterable[InventoryRecord] = ()
) -> dict[int, InventoryRecord]:
    """The live records of `record_ids`, locked FOR UPDATE in id order, with fresh figures.

    Each comes with its variant and item (events and error messages name them), taken from
    the `known` instances the caller already holds when they carry them, else read in bulk:
    re-reading the catalog with every lock was half the cost of a large import."""
    ids = sorted(set(record_ids))
    locked: dict[int, InventoryRecord] = {}
    for start in range(0, len(ids), LOCK_CHUNK):
        chunk = ids[start : start + LOCK_CHUNK]
        rows = (
            InventoryRecord.objects.select_for_update()
            .filter(company=company, id__in=chunk, rootfi_deleted_at__isnull=True)
            .order_by("id")
        )
        locked.update((row.id, row) for row in rows)
    _attach_catalog(locked, known)
    return locked


def _attach_catalog(locked: dict[int, InventoryRecord], known: Iterable[InventoryRecord]):
    variants: dict[int, Variant] = {}
    items: dict[int, Item] = {}
    for record in known:
        if InventoryRecord.variant.is_cached(record):
            variants[record.variant_id] = record.variant
            if Variant.item.is_cached(record.variant):
                items[record.variant.item_id] = record.variant.item
        if InventoryRecord.item.is_cached(record):
            items[record.item_id] = record.item
    missing_variants = {r.variant_id for r in locked.values()} - set(variants)
    variants.update(_in_bulk(Variant, missing_variants))
    missing_items = {r.item_id for r in locked.values()} - set(items)
    items.update(_in_bulk(Item, missing_items))
    for record in locked.values():
        record.variant = variants[record.variant_id]
        record.item = items[record.item_id]


def _in_bulk(model, ids) -> dict:
    ids = sorted(ids)
    found = {}
    for start in range(0, len(ids), LOCK_CHUNK):
        found.update(model.objects.in_bulk(ids[start : start + LOCK_CHUNK]))
    return found
