"""Shared helpers of the count tests."""

from apps.inventory.models import InventoryRecord, StockLevel, StockMovement


def on_hand(record, location) -> int:
    level = StockLevel.objects.filter(record=record, location=location).first()
    return level.on_hand if level else 0


def ledger(record) -> list[tuple]:
    """The record's ledger, oldest first: (reason, quantity, from, to, reference)."""
    return [
        (m.reason, m.quantity, m.from_location.kind, m.to_location.kind, m.reference)
        for m in StockMovement.objects.filter(record=record)
        .select_related("from_location", "to_location")
        .order_by("id")
    ]


def figures(records) -> list[tuple]:
    """Everything a refusal must leave alone: totals, levels and ledger length."""
    ids = [r.pk for r in records]
    return [
        list(
            InventoryRecord.objects.filter(pk__in=ids).values_list("quantity", "reserved_quantity")
        ),
        list(StockLevel.objects.filter(record_id__in=ids).values_list("location_id", "on_hand")),
        StockMovement.objects.filter(record_id__in=ids).count(),
    ]


def many_records(company, n: int, *, prefix: str = "BULK"):
    """`n` tracked records of one-variant items, made in bulk (a few queries, not n)."""
    from apps.catalog.models import Item, Variant
    from apps.inventory import services

    items = Item.objects.bulk_create(
        [
            Item(
                company=company,
                name=f"{prefix} {i}",
                sku=f"{prefix}-{i}",
                platform_id=f"it_{prefix}{i}",
            )
            for i in range(n)
        ]
    )
    variants = Variant.objects.bulk_create(
        [
            Variant(company=company, item=item, sku=item.sku, platform_id=f"va_{item.sku}")
            for item in items
        ]
    )
    records = services.ensure_records(company=company, variants=variants)
    return [records[v.pk] for v in variants]
