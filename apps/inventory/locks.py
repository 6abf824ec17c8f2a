"""Row locks, in one place and one order.

Every stock change locks the InventoryRecord rows it touches, ordered by primary key, before
reading their levels (the pattern of Saleor's warehouse/lock_objects.py): all writers lock
in the same order, so they queue instead of deadlocking, and no update is lost."""

from collections.abc import Iterable, Mapping

from apps.catalog.models import Variant

from .models import InventoryRecord

LOCK_CHUNK = 2000  # keeps `id IN (...)` under SQLite's bound-parameter limit


def lock_records(
    *,
    company,
    record_ids: Iterable[int] = (),
    variant_ids: Iterable[int] = (),
    catalog: Mapping[int, Variant] | None = None,
) -> dict[int, InventoryRecord]:
    """The live records of `record_ids` (and the live records of `variant_ids`), locked FOR
    UPDATE in id order, with fresh figures and their variant and item read in the same query.

    The rows are found by primary key (or variant) alone, and company and liveness are
    checked here: a filter on company_id let the planner scan a partial index of the whole
    company when a bulk load had left the tables without statistics (143 ms a lock).

    `catalog` maps variant ids to variants (with their items) the caller already holds:
    when it names the variant of every row (a record never changes variant or item), the
    rows are read alone and handed those, which halves an import's lock."""
    ids, variants = sorted(set(record_ids)), sorted(set(variant_ids))
    locked: dict[int, InventoryRecord] = {}
    rows = InventoryRecord.objects.select_for_update(of=("self",))
    known = catalog is not None and all(v in catalog for v in variants)
    if not known:
        rows = rows.select_related("variant", "item")
    for start in range(0, max(len(ids), len(variants)), LOCK_CHUNK):
        id_chunk, variant_chunk = (
            ids[start : start + LOCK_CHUNK],
            variants[start : start + LOCK_CHUNK],
        )
        if id_chunk and variant_chunk:
            chunk = rows.filter(id__in=id_chunk) | rows.filter(variant_id__in=variant_chunk)
        elif id_chunk:
            chunk = rows.filter(id__in=id_chunk)
        else:
            chunk = rows.filter(variant_id__in=variant_chunk)
        for row in chunk.order_by("id"):
            if row.company_id == company.pk and row.rootfi_deleted_at is None:
                locked[row.id] = row
    if known:
        missing = [r for r in locked.values() if r.variant_id not in catalog]
        if missing:  # a record id whose variant the caller did not hold: read the catalog
            found = Variant.objects.select_related("item").in_bulk([r.variant_id for r in missing])
            catalog = {**catalog, **found}
        for row in locked.values():
            row.variant = catalog[row.variant_id]
            row.item = row.variant.item
    return locked
