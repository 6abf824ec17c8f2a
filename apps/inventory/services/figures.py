"""Absolute figures, as the RootFi door writes them: "the record holds 45, 5 reserved".

A door that speaks in totals rather than movements calls `set_figures`: the new quantity
becomes one count of the difference at one physical location and the new reserved quantity
one reserve or release, applied in one `apply_changes` call so the final figures are
judged together."""

from django.db import transaction
from django.utils import timezone

from apps.locations.models import Location

from ..errors import LocationRequired, UnknownLocation
from ..locks import lock_records
from ..models import InventoryRecord, Reason, StockLevel
from .changes import Result, apply_changes
from .play import Move, Reserve
from .records import default_store, virtual_locations
from .settings import UNSET


def count_location(company, record, location: Location | None = None) -> Location:
    """Where an absolute quantity of `record` is counted: the named location; else the one
    location holding its stock; else its only location; else the company's default store."""
    if location is not None:
        if not location.is_physical or location.company_id != company.pk:
            raise UnknownLocation(
                "Stock is counted at a physical location.", field="warehouse_location"
            )
        return location
    levels = list(
        StockLevel.objects.filter(
            company=company, record=record, location__rootfi_deleted_at__isnull=True
        ).select_related("location")
    )
    holding = [level for level in levels if level.on_hand > 0]
    if len(holding) > 1:
        raise LocationRequired(
            f"{record.sku or 'The record'} is held in {len(holding)} locations; name one in "
            "warehouse_location.",
            field="warehouse_location",
            locations={level.location.store_code: level.on_hand for level in holding},
        )
    if holding:
        return holding[0].location
    if len(levels) == 1:
        return levels[0].location
    return default_store(company)


@transaction.atomic
def set_figures(
    *,
    company,
    record,
    quantity=UNSET,
    reserved_quantity=UNSET,
    location: Location | None = None,
    door: str,
    actor=None,
    external_id: str = "",
    note: str = "",
) -> Result:
    """Bring the record to `quantity` units in total (the difference counted at one
    location, see `count_location`) and `reserved_quantity` reserved."""
    locked = lock_records(company=company, record_ids=[record.pk]).get(record.pk, record)
    changes = []
    if quantity is not UNSET and quantity != locked.quantity:
        # The difference of the total, counted at one location: taking more than that
        # location holds is the engine's InsufficientStock, judged like any other movement.
        where = count_location(company, locked, location)
        virtual = virtual_locations(company)
        difference = quantity - locked.quantity
        source, target = (virtual.supplier, where) if difference > 0 else (where, virtual.bin)
        changes.append(Move(locked, source, target, abs(difference), Reason.COUNT))
    if reserved_quantity is not UNSET and reserved_quantity != locked.reserved_quantity:
        changes.append(Reserve(locked, reserved_quantity - locked.reserved_quantity))
    if not changes:
        return Result(records={locked.pk: locked})
    return apply_changes(
        company=company,
        changes=changes,
        door=door,
        actor=actor,
        external_id=external_id,
        note=note,
    )


@transaction.atomic
def place(*, company, record, locations) -> None:
    """Make `locations` places the record is stored at (an empty level each): no figure
    changes, so no ledger row; the record's rootfi_updated_at moves, as its addresses did."""
    physical = {
        loc.pk: loc for loc in locations if loc.is_physical and loc.company_id == company.pk
    }
    if not physical or not lock_records(company=company, record_ids=[record.pk]):
        return
    held = set(
        StockLevel.objects.filter(
            company=company, record_id=record.pk, location_id__in=list(physical)
        ).values_list("location_id", flat=True)
    )
    new = [loc for pk, loc in physical.items() if pk not in held]
    if not new:
        return
    StockLevel.objects.bulk_create(
        [StockLevel(company=company, record=record, location=loc, on_hand=0) for loc in new]
    )
    now = timezone.now()
    InventoryRecord.objects.filter(pk=record.pk).update(rootfi_updated_at=now, updated_at=now)
