"""Finding the variant and the store each entry names, a few queries per request.

A `upc` compares as a GTIN (so a UPC-A and the EAN-13 of one product match); otherwise `sku`
matches the item's or the variant's SKU and `size`/`width` the variant's attributes as
trimmed, case-insensitive text. An absent or empty `width` matches the variant of that SKU
and size that has no width, or the only variant of that SKU and size; when the variants of
that SKU and size differ by width, the width is a missing field (400 listing the widths)."""

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Q

from apps.catalog.models import Variant, gtin14
from apps.locations.models import Location

from .errors import FeedError, conflict, not_found
from .parsing import Entry, missing


def find_targets(
    company, entries: Sequence[Entry], *, listed: bool
) -> list[tuple[Variant, Location]]:
    """The (variant, store) of each entry, in order. The first entry naming an unknown or
    ambiguous product or an unknown store is refused, with its index when `listed`."""
    by_gtin = _variants_by_gtin(company, {gtin14(e.upc) for e in entries if e.upc})
    by_sku = _variants_by_sku(company, {e.sku for e in entries if not e.upc})
    stores = _stores(company, {e.store for e in entries})
    targets = []
    for index, entry in enumerate(entries):
        try:
            if entry.upc:
                variant = _one(entry, by_gtin.get(gtin14(entry.upc), []))
            else:
                variants = [v for v in by_sku.get(entry.sku, []) if _same(v.size, entry.size)]
                variants = _of_width(entry, variants)
                if entry.deferred:
                    raise entry.deferred
                variant = _one(entry, variants)
            store = stores.get(entry.store)
            if store is None:
                raise not_found(f"Store not found: {entry.store}")
        except FeedError as error:
            raise (error.at(index) if listed else error) from None
        targets.append((variant, store))
    return targets


def _one(entry: Entry, variants: list[Variant]) -> Variant:
    if not variants:
        raise not_found(f"Product not found: {entry.product}")
    if len(variants) > 1:
        names = ", ".join(_name(v) for v in variants)
        raise conflict(f"Several products match {entry.product}: {names}")
    return variants[0]


def _name(variant: Variant) -> str:
    return variant.sku or variant.upc or str(variant.uuid)


def _of_width(entry: Entry, variants: list[Variant]) -> list[Variant]:
    """The variants of the entry's SKU and size that its width names."""
    if entry.width:
        return [v for v in variants if _same(v.width, entry.width)]
    without_width = [v for v in variants if not v.width.strip()]
    if without_width or len(variants) <= 1:
        return without_width or variants
    widths = sorted({v.width.strip().casefold(): v.width.strip() for v in variants}.values())
    if len(widths) == 1:
        return variants  # one width, several variants: several products match
    raise missing(
        "width", f"sku {entry.sku}, size {entry.size} comes in widths {', '.join(widths)}"
    )


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _live_variants(company):
    return (
        Variant.objects.live()
        .filter(company=company, item__rootfi_deleted_at__isnull=True)
        .select_related("item")
        .order_by("id")
    )


def _variants_by_gtin(company, gtins: set[str]) -> dict[str, list[Variant]]:
    gtins.discard("")
    found = defaultdict(list)
    if gtins:
        for variant in _live_variants(company).filter(gtin__in=gtins):
            found[variant.gtin].append(variant)
    return found


def _variants_by_sku(company, skus: set[str]) -> dict[str, list[Variant]]:
    found = defaultdict(list)
    if skus:
        rows = _live_variants(company).filter(Q(sku__in=skus) | Q(item__sku__in=skus))
        for variant in rows:
            for sku in {variant.sku, variant.item.sku} & skus:
                found[sku].append(variant)
    return found


def _stores(company, codes: set[str]) -> dict[str, Location]:
    rows = Location.objects.live().filter(
        company=company, kind=Location.Kind.STORE, store_code__in=codes
    )
    return {loc.store_code: loc for loc in rows}
