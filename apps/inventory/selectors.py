"""Querysets the doors list from, with their joins and prefetches, so a page costs a fixed
number of queries whatever its size."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When

from apps.catalog.models import Item, Variant
from apps.locations.models import Location

from .models import InventoryRecord, StockLevel


def _live_variants() -> QuerySet:
    return Variant.objects.live().order_by("id")


def stock_levels() -> QuerySet:
    """Levels at live locations, with the location (its address) joined."""
    return (
        StockLevel.objects.filter(location__rootfi_deleted_at__isnull=True)
        .select_related("location")
        .order_by("location_id")
    )


def _records(company, include_deleted: bool) -> QuerySet:
    records = InventoryRecord.objects.filter(company=company)
    return records if include_deleted else records.live()


def _item_variants() -> Prefetch:
    return Prefetch("item__variants", queryset=_live_variants(), to_attr="live_variants")


def inventory_records(company, *, include_deleted: bool = False, with_item_variants=False):
    """A company's records with item, variant and levels (and the item's live variants when
    the item is rendered in full)."""
    prefetches = [Prefetch("levels", queryset=stock_levels(), to_attr="live_levels")]
    if with_item_variants:
        prefetches.append(_item_variants())
    return (
        _records(company, include_deleted)
        .select_related("item", "variant")
        .prefetch_related(*prefetches)
    )


# What an inventory row renders of its item, variant and locations when they are not
# expanded: their ids, and a location's address.
ADDRESS_FIELDS = (
    "platform_id",
    "address_type",
    "street",
    "city",
    "state",
    "postal_code",
    "country",
    "store_code",
    "name",
)


def _all_but(model, relation: str, keep=("platform_id",)) -> list[str]:
    return [
        f"{relation}__{field.name}"
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in keep
    ]


def inventory_page(company, *, include_deleted: bool = False, expand=frozenset()) -> QuerySet:
    """The records of a list page, loading what the page renders and no more: an item or
    variant that is not expanded is its id alone. Most of a page's cost was building and
    converting what it never showed (full items, variants and locations, five timestamps
    each). Their addresses come after the page is cut: `with_addresses`."""
    deferred = []
    if "item" not in expand:
        deferred += _all_but(Item, "item")
    if "variant" not in expand:
        deferred += _all_but(Variant, "variant")
    records = _records(company, include_deleted).select_related("item", "variant")
    if "item" in expand:
        records = records.prefetch_related(_item_variants())
    return records.defer(*deferred)


@dataclass(frozen=True)
class Address:
    """A record's stock at one live location (what an inventory renders as an address)."""

    location: Location
    on_hand: int


def with_addresses(records: list[InventoryRecord]) -> list[InventoryRecord]:
    """Sets `live_levels` of each record, as `stock_levels()` would, in one query of plain
    values: a page's levels share a few locations, built once each instead of once a level."""
    fields = ("record_id", "on_hand", "location_id", *(f"location__{f}" for f in ADDRESS_FIELDS))
    rows = (
        StockLevel.objects.filter(
            record_id__in=[r.pk for r in records], location__rootfi_deleted_at__isnull=True
        )
        .order_by("location_id")
        .values_list(*fields)
    )
    locations, levels = {}, defaultdict(list)
    for record_id, on_hand, location_id, *address in rows:
        location = locations.get(location_id)
        if location is None:
            location = Location(id=location_id, **dict(zip(ADDRESS_FIELDS, address, strict=True)))
            locations[location_id] = location
        levels[record_id].append(Address(location, on_hand))
    for record in records:
        record.live_levels = levels.get(record.pk, [])
    return records


def items(company, *, include_deleted: bool = False) -> QuerySet:
    """A company's items with their live variants."""
    rows = Item.objects.filter(company=company)
    if not include_deleted:
        rows = rows.live()
    return rows.prefetch_related(
        Prefetch("variants", queryset=_live_variants(), to_attr="live_variants")
    )


MAX_ROW_ID = 2**63 - 1


def row_id(value: str) -> int | None:
    """A row id written as text: ASCII digits within 64 bits ('²'.isdigit() is true too)."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and int(value) <= MAX_ROW_ID:
        return int(value)
    return None


def by_id(queryset: QuerySet, ident: str):
    """RootFi's `{id}` and references: an all-digit id is tried as rootfi_id first, then as
    platform_id; one query."""
    ident = (ident or "").strip()
    if not ident or "\x00" in ident:
        return None
    pk = row_id(ident)
    if pk is None:
        return queryset.filter(platform_id=ident).order_by("id").first()
    first_by_pk = Case(When(pk=pk, then=Value(0)), default=Value(1))
    return queryset.filter(Q(pk=pk) | Q(platform_id=ident)).order_by(first_by_pk, "id").first()
