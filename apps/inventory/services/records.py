"""Finding and creating inventory records and the locations stock moves between."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from apps.catalog.models import Variant
from apps.locations.models import Location
from apps.tenancy.models import ApiKey

from ..errors import InvalidSetting, UnknownLocation
from ..models import InventoryRecord


@dataclass(frozen=True)
class VirtualLocations:
    supplier: Location
    sold: Location
    bin: Location
    in_transit: Location


def virtual_locations(company) -> VirtualLocations:
    by_kind = {
        loc.kind: loc
        for loc in Location.objects.live().filter(company=company, kind__in=Location.VIRTUAL_KINDS)
    }
    try:
        return VirtualLocations(
            supplier=by_kind[Location.Kind.SUPPLIER],
            sold=by_kind[Location.Kind.SOLD],
            bin=by_kind[Location.Kind.BIN],
            in_transit=by_kind[Location.Kind.IN_TRANSIT],
        )
    except KeyError as missing:
        raise UnknownLocation(f"The company has no {missing.args[0]} location.") from None


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


@transaction.atomic
def ensure_records(
    *,
    company,
    variants: Iterable[Variant],
    is_trackable: bool = True,
    reorder: Mapping[int, tuple[int | None, int | None]] | None = None,
) -> dict[int, InventoryRecord]:
    """The live record of each variant, creating those missing (with nothing in stock).

    `reorder` gives new records their reorder level and quantity by variant id (an import
    names them with the stock): a record born empty is out of stock whatever its level, so
    no alert is due and no separate settings pass is needed. Existing records keep theirs.

    Safe under concurrency: a record created meanwhile by another writer is kept
    (ON CONFLICT DO NOTHING on the one-live-record-per-variant constraint)."""
    variants = {v.pk: v for v in variants}
    reorder = reorder or {}
    for level, quantity in reorder.values():
        if any(v is not None and (not isinstance(v, int) or v < 0) for v in (level, quantity)):
            raise InvalidSetting("Reorder figures must be whole numbers of at least 0.")
    found = _live_records(company, variants)
    missing = [v for vid, v in variants.items() if vid not in found]
    if missing:
        InventoryRecord.objects.bulk_create(
            [
                InventoryRecord(
                    company=company,
                    item_id=v.item_id,
                    variant=v,
                    sku=v.sku,
                    is_trackable=is_trackable,
                    reorder_level=reorder.get(v.pk, (None, None))[0],
                    reorder_quantity=reorder.get(v.pk, (None, None))[1],
                    platform_id=InventoryRecord.new_platform_id(),
                )
                for v in missing
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        found.update(_live_records(company, {v.pk: v for v in missing}))
    return found


def _live_records(company, variants: dict) -> dict[int, InventoryRecord]:
    ids = list(variants)
    found = {}
    for start in range(0, len(ids), 2000):
        for record in InventoryRecord.objects.live().filter(
            company=company, variant_id__in=ids[start : start + 2000]
        ):
            record.variant = variants[record.variant_id]
            found[record.variant_id] = record
    return found
