"""Soft deletion: a deleted record keeps its figures and ledger (nothing is lost); it only
leaves the live rows, so a new record may take its variant's place."""

from django.db import transaction
from django.utils import timezone

from ..errors import DuplicateValue
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


DETAIL_FIELDS = ("platform_id", "platform_unique_id", "raw_data")


@transaction.atomic
def update_details(*, company, record, **details) -> InventoryRecord:
    """The platform's own fields of a record (`platform_id`, `platform_unique_id`,
    `raw_data`): no figure, no status, no ledger row."""
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Not a detail field: {', '.join(sorted(unknown))}")
    locked = lock_records(company=company, record_ids=[record.pk]).get(record.pk)
    if locked is None:
        return record
    changed = {k: v for k, v in details.items() if getattr(locked, k) != v}
    if "platform_id" in changed and (
        InventoryRecord.objects.live()
        .filter(company=company, platform_id=changed["platform_id"])
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise DuplicateValue(
            f"Another record has platform_id {changed['platform_id']!r}.",
            field="platform_id",
            platform_id=changed["platform_id"],
        )
    if changed:
        now = timezone.now()
        InventoryRecord.objects.filter(pk=locked.pk).update(
            **changed, rootfi_updated_at=now, updated_at=now
        )
        for name, value in changed.items():
            setattr(record, name, value)
    return record
