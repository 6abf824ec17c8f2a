"""What a catalog change made in the admin or the demo means for stock records, in the
catalog change's transaction (a rename is `catalog.follow_rename`'s). Variants born in the
admin, `seed_demo` or an import get their records at once: tracked, at zero at the default
store and so out of stock, with the out-of-stock alert any record at zero has (the engine
opens it as the record is born), so the dashboard's open alerts are always out plus low."""

from collections.abc import Iterable

from django.db import transaction

from apps.catalog.models import Variant

from ..models import InventoryRecord, StockLevel
from .records import default_store, ensure_records


@transaction.atomic
def track_new_variants(
    *, company, variants: Iterable[Variant], reorder: dict | None = None
) -> dict[int, InventoryRecord]:
    """The live record of each variant, creating the missing ones tracked at zero at the
    default store (by variant id). `reorder` as `ensure_records` takes it."""
    variants = [v for v in variants if v.pk is not None]
    existing = set(
        InventoryRecord.objects.live()
        .filter(company=company, variant_id__in=[v.pk for v in variants])
        .values_list("variant_id", flat=True)
    )
    records = ensure_records(company=company, variants=variants, reorder=reorder)
    born = {r.pk: r for vid, r in records.items() if vid not in existing}
    if born:
        # At zero at the default store: the record page and the export show where it is.
        store = default_store(company)
        StockLevel.objects.bulk_create(
            [StockLevel(company=company, record=r, location=store) for r in born.values()],
            batch_size=1000,
            ignore_conflicts=True,
        )
    return records
