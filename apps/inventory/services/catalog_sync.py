"""What a catalog change means for stock records, in the catalog change's transaction.

A record carries a copy of its variant's SKU (the doors filter and search on it without a
join), so a rename reaches every live record of the variant at once, whichever door renamed
it. Variants born in the admin, `seed_demo` or an import get their records at once: tracked,
at zero at the default store and so out of stock, with the out-of-stock alert any record at
zero has (the engine opens it as the record is born), so the dashboard's open alerts are
always out plus low."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from apps.catalog.models import Variant

from ..models import InventoryRecord, StockLevel
from .records import default_store, ensure_records


def rename_records(*, company, variants: Iterable[Variant]) -> int:
    """Give each live record of `variants` its variant's current SKU; the number changed."""
    now = timezone.now()
    changed = 0
    for variant in variants:
        changed += (
            InventoryRecord.objects.live()
            .filter(company=company, variant_id=variant.pk)
            .exclude(sku=variant.sku)
            .update(sku=variant.sku, rootfi_updated_at=now, updated_at=now)
        )
    return changed


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
