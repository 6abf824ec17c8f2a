"""Row locks, in one place and one order.

Every stock change locks the InventoryRecord rows it touches, ordered by primary key, before
reading their levels (the pattern of Saleor's warehouse/lock_objects.py): all writers lock
in the same order, so they queue instead of deadlocking, and no update is lost."""

from collections.abc import Iterable

from .models import InventoryRecord

LOCK_CHUNK = 2000  # keeps `id IN (...)` under SQLite's bound-parameter limit


def lock_records(*, company, record_ids: Iterable[int]) -> dict[int, InventoryRecord]:
    ids = sorted(set(record_ids))
    locked: dict[int, InventoryRecord] = {}
    for start in range(0, len(ids), LOCK_CHUNK):
        chunk = ids[start : start + LOCK_CHUNK]
        rows = (
            InventoryRecord.objects.select_for_update(of=("self",))
            .filter(company=company, id__in=chunk, rootfi_deleted_at__isnull=True)
            .select_related("variant", "item")
            .order_by("id")
        )
        locked.update((row.id, row) for row in rows)
    return locked
