"""What a catalog change made in the admin or the demo means for stock records, in the
catalog change's transaction (a rename is `catalog.follow_rename`'s). Variants born in the
admin, `seed_demo` or an import get their records at once: tracked, at zero at the default
store and so out of stock, with the out-of-stock alert any record at zero has (the engine
opens it as the record is born), so the dashboard's open alerts are always out plus low."""

from collections.abc import Iterable

from apps.catalog.models import Variant

from ..models import Door, InventoryRecord
from .changes import apply_changes
from .play import NewRecord, Place
from .records import REORDER, default_store


def track_new_variants(
    *,
    company,
    variants: Iterable[Variant],
    reorder: dict | None = None,
    door=Door.ADMIN,
    actor=None,
) -> dict[int, InventoryRecord]:
    """The live record of each variant (by variant id), the missing ones born tracked at
    zero with an empty level at the default store (the record page and the export show
    where it is): one engine call. `reorder` as `ensure_records` takes it."""
    variants = [v for v in variants if v.pk is not None]
    if not variants:
        return {}
    reorder = reorder or {}
    new = [
        NewRecord(v, **dict(zip(REORDER, reorder.get(v.pk, ()), strict=False))) for v in variants
    ]
    store = default_store(company)
    result = apply_changes(
        company=company,
        changes=[*new, *(Place(n, store) for n in new)],
        door=door,
        actor=actor,
    )
    return {n.variant.pk: result.records[n.pk] for n in new}
