"""Querysets the doors list from, with their joins and prefetches, so a page costs a fixed
number of queries whatever its size."""

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When

from apps.catalog.models import Item, Variant

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


def inventory_records(company, *, include_deleted: bool = False, with_item_variants=False):
    """A company's records with item, variant and levels (and the item's live variants when
    the item is rendered in full)."""
    records = InventoryRecord.objects.filter(company=company)
    if not include_deleted:
        records = records.live()
    prefetches = [Prefetch("levels", queryset=stock_levels(), to_attr="live_levels")]
    if with_item_variants:
        prefetches.append(
            Prefetch("item__variants", queryset=_live_variants(), to_attr="live_variants")
        )
    return records.select_related("item", "variant").prefetch_related(*prefetches)


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
