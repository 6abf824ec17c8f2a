"""Soft deletion: a deleted record keeps its figures and ledger (nothing is lost); it only
leaves the live rows, so a new record may take its variant's place."""

from django.db import transaction
from django.utils import timezone

from ..locks import lock_records
from ..models import InventoryRecord


@transaction.atomic
def delete_records(*, company, records) -> list[InventoryRecord]:
    locked = lock_records(company=company, record_ids=(r.pk for r in records))
    now = timezone.now()
    InventoryRecord.objects.filter(pk__in=list(locked)).update(
        rootfi_deleted_at=now, rootfi_updated_at=now, updated_at=now
    )
    for record in locked.values():
        record.rootfi_deleted_at = record.rootfi_updated_at = record.updated_at = now
    return list(locked.values())


def holding_stock(records) -> list[InventoryRecord]:
    """The records that still hold units or reservations (and so may not be dropped)."""
    return [r for r in records if r.quantity or r.reserved_quantity]
