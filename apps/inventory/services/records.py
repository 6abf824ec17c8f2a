"""Finding and creating inventory records and the locations stock moves between."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from apps.bulk import insert_returning
from apps.catalog.models import Variant
from apps.locations.models import Location
from apps.tenancy.models import ApiKey

from ..errors import UnknownLocation
from ..models import InventoryRecord
from .play import status_of


@dataclass(frozen=True)
class VirtualLocations:
    supplier: Location
    sold: Location
    bin: Location
    in_transit: Location


_VIRTUAL: dict[tuple, VirtualLocations] = {}


def virtual_locations(company) -> VirtualLocations:
    """The company's SUPPLIER, SOLD, BIN and IN_TRANSIT locations. They are created with the
    company and never change, so each process reads them once per company (keyed by the
    company's UUID too, so a new company that reuses a deleted one's id reads its own)."""
    key = (company.pk, company.uuid)
    found = _VIRTUAL.get(key)
    if found is not None:
        return found
    by_kind = {
        loc.kind: loc
        for loc in Location.objects.live().filter(company=company, kind__in=Location.VIRTUAL_KINDS)
    }
    try:
        found = VirtualLocations(
            supplier=by_kind[Location.Kind.SUPPLIER],
            sold=by_kind[Location.Kind.SOLD],
            bin=by_kind[Location.Kind.BIN],
            in_transit=by_kind[Location.Kind.IN_TRANSIT],
        )
    except KeyError as missing:
        raise UnknownLocation(f"The company has no {missing.args[0]} location.") from None
    if len(_VIRTUAL) > 10_000:
        _VIRTUAL.clear()
    _VIRTUAL[key] = found
    return found


def default_store(company) -> Location:
    location = Location.objects.live().filter(company=company, is_default=True).first()
    if location is None:
        raise UnknownLocation("The company has no default store.")
    return location


def actor_fields(actor) -> dict:
    if isinstance(actor, ApiKey):
        return {"actor_api_key": actor}
    if isinstance(actor, AbstractBaseUser) and actor.pk:
        return {"actor_user": actor}
    return {}


REORDER = ("reorder_level", "reorder_quantity")


def create_records(*, company, new, now=None) -> dict[int, InventoryRecord]:
    """Create a record (at zero) for each NewRecord's variant, locked, with its catalog.

    Safe under concurrency: a record created meanwhile by another writer is kept (ON
    CONFLICT DO NOTHING on the one-live-record-per-variant rule) and locked like ours. The
    rows inserted here are ours until commit, so they are answered as built, without reading
    them back; only those another writer created (or whose item is not at hand) are read."""
    now = now or timezone.now()
    built = {}
    for n in new:
        record = InventoryRecord(
            company=company,
            item_id=n.variant.item_id,
            variant=n.variant,
            sku=n.variant.sku,
            is_trackable=n.is_trackable,
            reorder_level=n.reorder_level,
            reorder_quantity=n.reorder_quantity,
            platform_id=n.platform_id or InventoryRecord.new_platform_id(),
            rootfi_created_at=now,
            rootfi_updated_at=now,
            created_at=now,
            updated_at=now,
        )
        if Variant.item.is_cached(n.variant):
            record.item = n.variant.item
        built[n.variant.pk] = record
    created: dict[int, InventoryRecord] = {}
    for rid, variant_id in insert_returning(InventoryRecord, built.values(), ("id", "variant_id")):
        record = built.pop(variant_id)
        record.pk = rid
        record._state.adding, record._state.db = False, "default"
        record.available_quantity, record.status = 0, status_of(record)
        if Variant.item.is_cached(record.variant):
            created[rid] = record
        else:
            built[variant_id] = record
    if built:
        from ..locks import lock_records

        created.update(lock_records(company=company, variant_ids=list(built)))
    return created


def ensure_records(
    *,
    company,
    variants: Iterable[Variant],
    is_trackable: bool = True,
    reorder: Mapping[int, tuple[int | None, int | None]] | None = None,
    door: str = "command",
    actor=None,
) -> dict[int, InventoryRecord]:
    """The live record of each variant (by variant id), creating those missing: tracked
    (unless `is_trackable` is false), at zero, with `reorder` (level, quantity) by variant id
    for the new ones. One engine call."""
    from .changes import apply_changes
    from .play import NewRecord, check_setting

    variants = list({v.pk: v for v in variants}.values())
    reorder = reorder or {}
    for figures in reorder.values():
        for name, value in zip(REORDER, figures, strict=True):
            check_setting(name, value)
    new = [
        NewRecord(
            v, is_trackable=is_trackable, **dict(zip(REORDER, reorder.get(v.pk, ()), strict=False))
        )
        for v in variants
    ]
    result = apply_changes(company=company, changes=new, door=door, actor=actor)
    return {n.variant.pk: result.records[n.pk] for n in new}
