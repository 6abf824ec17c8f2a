"""Zettle's UUIDs to the company's objects: products are Items, variants are Variants,
locations are Locations. A UUID of another company's object is not found, like one that
never existed. Batches are looked up with one query per kind.

Zettle's model has one STORE per organization: the key's store (`ApiKey.store`, else the
company's default store). Any other physical location, or a location of a kind Zettle does
not have (in transit), names nothing in this door, so it is not found either."""

import uuid
from collections.abc import Iterable

from django.db.models import Q

from apps.catalog.models import Item, Variant
from apps.inventory.models import InventoryRecord
from apps.inventory.services import virtual_locations
from apps.locations.models import Location

from .errors import invalid, not_found

# Zettle's location types, in the order its location list gives them.
VIRTUAL_KINDS = Location.ZETTLE_VIRTUAL_KINDS
KINDS = (Location.Kind.STORE, *VIRTUAL_KINDS)


def parse_uuid(value, what: str, property_name: str | None = None) -> uuid.UUID:
    """A UUID from a path segment; anything else names nothing, so it is not found."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise not_found(what, value, property_name) from None


def products(company, uuids: Iterable) -> dict[uuid.UUID, Item]:
    wanted = set(uuids)
    if not wanted:
        return {}
    return {i.uuid: i for i in Item.objects.live().filter(company=company, uuid__in=wanted)}


def variants(company, uuids: Iterable) -> dict[uuid.UUID, Variant]:
    wanted = set(uuids)
    if not wanted:
        return {}
    rows = Variant.objects.live().filter(company=company, uuid__in=wanted).select_related("item")
    return {v.uuid: v for v in rows}


def visible_locations(company, store: Location):
    """What this door may name: the key's store and the virtual SUPPLIER, SOLD and BIN."""
    # The key's store stays its store even once archived: an answer names one STORE always.
    return Location.objects.filter(
        Q(pk=store.pk) | Q(kind__in=VIRTUAL_KINDS, rootfi_deleted_at__isnull=True),
        company=company,
    )


def locations(company, uuids: Iterable, *, store: Location) -> dict[uuid.UUID, Location]:
    """The named locations this door may name, without a query: the key's store is at hand
    and the virtual locations are read once per process (they never change)."""
    virtual = virtual_locations(company)
    visible = {loc.uuid: loc for loc in (store, virtual.supplier, virtual.sold, virtual.bin)}
    return {key: visible[key] for key in set(uuids) if key in visible}


def records_by_variant(company, variant_ids: Iterable[int]) -> dict[int, InventoryRecord]:
    ids = set(variant_ids)
    if not ids:
        return {}
    return {
        r.variant_id: r
        for r in InventoryRecord.objects.live().filter(company=company, variant_id__in=ids)
    }


def product(company, value, property_name: str | None = None) -> Item:
    key = parse_uuid(value, "Product", property_name)
    found = products(company, [key]).get(key)
    if found is None:
        raise not_found("Product", key, property_name)
    return found


def location(company, value, property_name: str | None = None, *, store: Location) -> Location:
    key = parse_uuid(value, "Location", property_name)
    found = locations(company, [key], store=store).get(key)
    if found is None:
        raise not_found("Location", key, property_name)
    return found


def variant_of(
    found_products: dict,
    found_variants: dict,
    product_uuid,
    variant_uuid,
    path: str,
    *,
    product_property: str | None = None,
) -> tuple[Item, Variant]:
    """The product and variant a line names, both the company's, the variant the product's."""
    item = found_products.get(product_uuid)
    if item is None:
        raise not_found("Product", product_uuid, product_property or f"{path}productUuid")
    variant = found_variants.get(variant_uuid)
    if variant is None:
        raise not_found("Variant", variant_uuid, f"{path}variantUuid")
    if variant.item_id != item.pk:
        raise invalid(
            f"{path}variantUuid",
            f"Variant {variant_uuid} is not a variant of product {product_uuid}.",
        )
    variant.item = item
    return item, variant


def location_in(found: dict, value, property_name: str) -> Location:
    loc = found.get(value)
    if loc is None:
        raise not_found("Location", value, property_name)
    return loc
