"""What the stock says when the catalog changes: a variant holding stock may not leave it,
and a record's SKU follows its variant's. The catalog's writes take these as their guards
(`on_drop`, `on_rename`), so the catalog itself knows nothing of stock."""

from ..errors import StockHeld
from ..locks import lock_records
from ..models import InventoryRecord
from .lifecycle import delete_records, holding_stock


def retire_variants(*, company, variants, what: str, field: str | None = None) -> None:
    """Retire the variants' records (soft delete, figures kept), refused with the figures
    while any of them, or a deleted record of them, still holds stock or reservations."""
    ids = [v.pk for v in variants]
    _refuse_open_operations(ids, field)
    live = InventoryRecord.objects.live().filter(company=company, variant_id__in=ids)
    records = lock_records(company=company, record_ids=live.values_list("id", flat=True))
    # A deleted record keeps its figures; stock it still holds is stock of these variants.
    deleted_holding = InventoryRecord.objects.filter(
        company=company, variant_id__in=ids, rootfi_deleted_at__isnull=False, quantity__gt=0
    )
    held = holding_stock([*records.values(), *deleted_holding])
    if held:
        listing = "; ".join(
            f"{r.sku or r.platform_id}: {r.quantity} on hand, {r.reserved_quantity} reserved"
            for r in held
        )
        raise StockHeld(
            f"Cannot delete {what}: it still holds stock ({listing}).",
            field=field,
            quantity={r.sku or r.platform_id: r.quantity for r in held},
            reserved_quantity={r.sku or r.platform_id: r.reserved_quantity for r in held},
        )
    delete_records(company=company, records=records.values())


def follow_rename(*, company, variant, now) -> None:
    """A record's SKU is its variant's: renamed in the same transaction."""
    InventoryRecord.objects.live().filter(company=company, variant=variant).exclude(
        sku=variant.sku
    ).update(sku=variant.sku, rootfi_updated_at=now, updated_at=now)


def _refuse_open_operations(variant_ids, field) -> None:
    """A variant on an open purchase order or transfer, or on an open count, stays: those
    operations still expect it (409 naming them). Imported here, not at the top: the
    operations build on this engine."""
    from apps.counts.models import Count, CountLine
    from apps.operations.services.guards import holds_open_operations

    numbers = {h["number"] for h in holds_open_operations(variant_ids)}
    numbers |= set(
        CountLine.objects.filter(
            record__variant_id__in=variant_ids, count__status=Count.Status.OPEN
        ).values_list("count__number", flat=True)
    )
    if numbers:
        listing = ", ".join(sorted(numbers))
        raise StockHeld(
            f"Still on {listing}: receive, close or cancel them first.",
            field=field,
            operations=sorted(numbers),
        )
