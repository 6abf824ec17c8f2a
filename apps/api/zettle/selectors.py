"""The reads this dialect answers from: balances at a location, tracked products and custom
low-stock settings. Each is one or two queries whatever the number of variants."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import F, Max, Q

from apps.catalog.models import Item
from apps.inventory.models import InventoryRecord, StockLevel
from apps.locations.models import Location

from . import lookups

TRACKED = Q(rootfi_deleted_at__isnull=True, is_trackable=True)


def zettle_locations(company, store: Location) -> list[Location]:
    """The key's store, then SUPPLIER, SOLD, BIN: Zettle's one store per organization."""
    order = {kind: n for n, kind in enumerate(lookups.KINDS)}
    found = list(lookups.visible_locations(company, store))
    return sorted(found, key=lambda loc: order[loc.kind])


def tracked_product_uuids(company, items: Iterable[Item] | None = None) -> list[str]:
    records = InventoryRecord.objects.filter(TRACKED, company=company)
    if items is not None:
        records = records.filter(item__in=[i.pk for i in items])
    rows = records.values_list("item_id", "item__uuid").distinct().order_by("item_id")
    return [str(product_uuid) for _, product_uuid in rows]


def is_tracked(company, item: Item) -> bool:
    return InventoryRecord.objects.filter(TRACKED, company=company, item=item).exists()


def balances(
    company,
    location: Location,
    *,
    items: Iterable[Item] | None = None,
    since: datetime | None = None,
) -> list[dict]:
    """On-hand of tracked variants at `location`, by record: non-zero ones, or with `since`
    every level changed since then (a balance that fell to zero is a change a syncing client
    must see), and every level of a record changed since then (tracking restarted: its kept
    balance reappears). Virtual locations hold no balances here."""
    if not location.is_physical:
        return []
    levels = StockLevel.objects.filter(
        company=company,
        location=location,
        record__rootfi_deleted_at__isnull=True,
        record__is_trackable=True,
    )
    if items is not None:
        levels = levels.filter(record__item__in=[i.pk for i in items])
    if since is not None:
        levels = levels.filter(Q(updated_at__gte=since) | Q(record__updated_at__gte=since))
    else:
        levels = levels.filter(on_hand__gt=0)
    return list(
        levels.order_by("record_id").values(
            "record_id",
            "on_hand",
            product_uuid=F("record__item__uuid"),
            variant_uuid=F("record__variant__uuid"),
        )
    )


def latest_change(company, location: Location) -> datetime | None:
    """The last change `since` would report at `location`: a level's, or its record's."""
    if not location.is_physical:
        return None
    found = StockLevel.objects.filter(company=company, location=location).aggregate(
        level=Max("updated_at"), record=Max("record__updated_at")
    )
    moments = [m for m in found.values() if m is not None]
    return max(moments) if moments else None


def on_hand(company, location: Location, record_ids: Iterable[int]) -> dict[int, int]:
    ids = list(set(record_ids))
    if not ids or not location.is_physical:
        return {}
    return dict(
        StockLevel.objects.filter(
            company=company, location=location, record_id__in=ids
        ).values_list("record_id", "on_hand")
    )


def custom_low_stock(company, *, item: Item | None = None) -> list[dict]:
    """Variants whose low-stock settings differ from the defaults (no level, alert off)."""
    records = InventoryRecord.objects.live().filter(
        Q(reorder_level__isnull=False) | Q(low_stock_alert=True), company=company
    )
    if item is not None:
        records = records.filter(item=item)
    return list(
        records.order_by("item_id", "id").values(
            "reorder_level",
            "low_stock_alert",
            product_uuid=F("item__uuid"),
            variant_uuid=F("variant__uuid"),
        )
    )
