from apps.inventory.models import InventoryRecord, StockAlert, StockLevel, StockMovement


def figures(record):
    """What a user sees of a record: quantity, reserved, available, status."""
    fresh = InventoryRecord.objects.get(pk=record.pk)
    return fresh.quantity, fresh.reserved_quantity, fresh.available_quantity, fresh.status


def on_hand(record, location) -> int:
    level = StockLevel.objects.filter(record=record, location=location).first()
    return level.on_hand if level else 0


def snapshot(company):
    """Every stock figure of a company and the size of its ledger, to prove a refusal
    changed nothing."""
    return (
        sorted(
            InventoryRecord.objects.filter(company=company).values_list(
                "id", "quantity", "reserved_quantity", "status", "rootfi_updated_at"
            )
        ),
        sorted(StockLevel.objects.filter(company=company).values_list("id", "on_hand")),
        StockMovement.objects.filter(company=company).count(),
        StockAlert.objects.filter(company=company).count(),
    )
