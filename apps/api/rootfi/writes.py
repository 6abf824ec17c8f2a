"""RootFi write objects turned into service calls: which variant, which locations, which
figures and settings. No stock rule lives here; the services judge every change."""

from django.db import transaction
from django.db.models import Q

from apps.catalog import services as catalog
from apps.catalog.models import Item, Variant
from apps.inventory import selectors, services
from apps.inventory.models import Door, InventoryRecord, Status
from apps.inventory.services.figures import place, set_figures
from apps.inventory.services.lifecycle import delete_records, update_details
from apps.locations.models import Location

from .errors import Conflict, InvalidRequest, ObjectNotFound

SETTINGS = ("is_trackable", "reorder_level", "reorder_quantity")
DETAILS = ("platform_id", "platform_unique_id", "raw_data")
ADDRESS_MATCH = ("street", "city", "postal_code", "country")


def resolve_variant(company, data: dict) -> Variant:
    """The variant a new record tracks: `variant_id`, else `item_id` (a one-variant item),
    else `sku` (a variant's, or a one-variant item's)."""
    variants = Variant.objects.live().filter(company=company, item__rootfi_deleted_at__isnull=True)
    if "variant_id" in data:
        variant = selectors.by_id(variants, data["variant_id"])
        if variant is None:
            raise InvalidRequest(
                f"No variant {data['variant_id']!r}.", fields={"variant_id": "Unknown variant."}
            )
        if (
            "item_id" in data
            and selectors.by_id(Item.objects.filter(pk=variant.item_id), data["item_id"]) is None
        ):
            raise InvalidRequest(
                "variant_id is not a variant of item_id.",
                fields={"item_id": "Does not match variant_id."},
            )
        return variant
    if "item_id" in data:
        item = selectors.by_id(Item.objects.live().filter(company=company), data["item_id"])
        if item is None:
            raise InvalidRequest(
                f"No item {data['item_id']!r}.", fields={"item_id": "Unknown item."}
            )
        candidates = list(variants.filter(item=item)[:2])
        if "sku" in data:
            candidates = list(variants.filter(item=item, sku=data["sku"])[:2])
        if len(candidates) != 1:
            raise InvalidRequest(
                "The item has several variants; name one in variant_id (or sku).",
                fields={"variant_id": "Required for an item with several variants."},
            )
        return candidates[0]
    if data.get("sku"):
        candidates = list(variants.filter(sku=data["sku"])[:1])
        if not candidates:
            candidates = list(variants.filter(item__sku=data["sku"])[:2])
        if len(candidates) != 1:
            raise InvalidRequest(
                f"No single variant has SKU {data['sku']!r}.", fields={"sku": "Unknown SKU."}
            )
        return candidates[0]
    raise InvalidRequest(
        "Name the variant to track: variant_id, item_id or sku.",
        fields={"variant_id": "Required (or item_id, or sku)."},
    )


def resolve_location(company, value: str, field: str = "warehouse_location") -> Location:
    """A physical location named by rootfi_id, platform_id or store_code."""
    stores = Location.objects.live().filter(company=company, kind=Location.Kind.STORE)
    match = Q(platform_id=value) | Q(store_code=value)
    if (pk := selectors.row_id(value)) is not None:
        match |= Q(pk=pk)
    rows = list(stores.filter(match).order_by("id")[:3])
    location = next((r for r in rows if str(r.pk) == value), None)
    location = location or next((r for r in rows if r.platform_id == value), None)
    location = location or (rows[0] if rows else None)
    if location is None:
        raise InvalidRequest(f"No location {value!r}.", fields={field: "Unknown location."})
    return location


def resolve_address(company, entry: dict, field: str) -> Location:
    """An `addresses` entry: rootfi_id names an existing location; else platform_id matches
    or creates one; else street, city, postal code and country match before one is created."""
    stores = Location.objects.live().filter(company=company, kind=Location.Kind.STORE)
    if "rootfi_id" in entry:
        location = stores.filter(pk=entry["rootfi_id"]).first()
        if location is None:
            raise InvalidRequest(
                f"No location {entry['rootfi_id']}.",
                fields={f"{field}.rootfi_id": "Unknown location."},
            )
        return location
    if entry.get("platform_id"):
        location = stores.filter(platform_id=entry["platform_id"]).first()
    else:
        if not all(entry.get(name) for name in ADDRESS_MATCH):
            raise InvalidRequest(
                "An address names a location by rootfi_id or platform_id, or gives street, "
                "city, postal_code and country.",
                fields={f"{field}.street": "Required without rootfi_id or platform_id."},
            )
        # The same place written in another case ("1 main st") is the same place.
        location = (
            stores.filter(**{f"{name}__iexact": entry[name] for name in ADDRESS_MATCH})
            .order_by("id")
            .first()
        )
    if location is not None:
        return location
    store_code = entry.get("store_code", "")
    if store_code and stores.filter(store_code=store_code).exists():
        raise Conflict(
            f"Another location has store_code {store_code!r}.",
            fields={f"{field}.store_code": "Already used."},
        )
    location = Location(
        company=company,
        kind=Location.Kind.STORE,
        name=(
            entry.get("name")
            or ", ".join(v for v in (entry.get("street"), entry.get("city")) if v)
            or entry.get("platform_id")
            or "Warehouse"
        )[:200],
        platform_id=entry.get("platform_id", ""),
        store_code=store_code,
        address_type=entry.get("type") or "warehouse",
        street=entry.get("street", ""),
        city=entry.get("city", ""),
        state=entry.get("state") or "",
        postal_code=entry.get("postal_code", ""),
        country=entry.get("country", ""),
    )
    location.save()
    return location


def _check_same(record: InventoryRecord, data: dict) -> None:
    """A record tracks one variant for life: item_id, variant_id and sku may be sent back
    as read, not changed."""
    if "variant_id" in data and data["variant_id"] not in (
        str(record.variant_id),
        record.variant.platform_id,
    ):
        raise InvalidRequest(
            "A record's variant cannot change.", fields={"variant_id": "Cannot change."}
        )
    if "item_id" in data and data["item_id"] not in (str(record.item_id), record.item.platform_id):
        raise InvalidRequest("A record's item cannot change.", fields={"item_id": "Cannot change."})
    if "sku" in data and data["sku"] != record.sku:
        raise InvalidRequest(
            "The SKU is the variant's; change it through the item.",
            fields={"sku": "Cannot change here."},
        )


def _apply(company, record: InventoryRecord, data: dict, actor) -> None:
    settings = {name: data[name] for name in SETTINGS if name in data}
    if "status" in data:
        settings["is_discontinued"] = data["status"] == Status.DISCONTINUED
    details = {name: data[name] for name in DETAILS if name in data}
    if details:
        update_details(company=company, record=record, **details)
    if "addresses" in data:
        locations = [
            resolve_address(company, entry, f"addresses[{i}]")
            for i, entry in enumerate(data["addresses"])
        ]
        place(company=company, record=record, locations=locations)
    warehouse = None
    if "warehouse_location" in data:
        warehouse = resolve_location(company, data["warehouse_location"])
    figures = {name: data[name] for name in ("quantity", "reserved_quantity") if name in data}
    # Tracking is switched on before the figures move, and off after.
    settings_first = settings.get("is_trackable") is True
    if settings and settings_first:
        services.update_settings(company=company, records=[record], **settings)
    if figures:
        set_figures(
            company=company,
            record=record,
            location=warehouse,
            door=Door.ROOTFI,
            actor=actor,
            **figures,
        )
    if settings and not settings_first:
        services.update_settings(company=company, records=[record], **settings)


@transaction.atomic
def create_inventory(company, data: dict, *, actor) -> InventoryRecord:
    variant = resolve_variant(company, data)
    existing = InventoryRecord.objects.live().filter(company=company, variant=variant).first()
    if existing is not None:
        raise Conflict(
            f"Variant {variant.platform_id} already has inventory record {existing.pk}.",
            fields={"variant_id": f"Already tracked by rootfi_id {existing.pk}."},
        )
    record = services.ensure_records(company=company, variants=[variant])[variant.pk]
    _apply(company, record, data, actor)
    return record


@transaction.atomic
def update_inventory(company, record: InventoryRecord, data: dict, *, actor) -> InventoryRecord:
    _check_same(record, data)
    _apply(company, record, data, actor)
    return record


def delete_inventory(company, record: InventoryRecord) -> None:
    delete_records(company=company, records=[record])


def _variant_specs(entries: list[dict], path: str = "variants") -> list[catalog.VariantSpec]:
    specs = []
    for index, entry in enumerate(entries):
        fields = {k: v for k, v in entry.items() if k != "rootfi_id"}
        specs.append(
            catalog.VariantSpec(fields, rootfi_id=entry.get("rootfi_id"), path=f"{path}[{index}]")
        )
    return specs


def create_item(company, data: dict) -> Item:
    if not data.get("name"):
        raise InvalidRequest("An item needs a name.", fields={"name": "Required."})
    fields = {k: v for k, v in data.items() if k != "variants"}
    variants = _variant_specs(data["variants"]) if "variants" in data else None
    return catalog.create_item(company=company, fields=fields, variants=variants)


def update_item(company, item: Item, data: dict) -> Item:
    fields = {k: v for k, v in data.items() if k != "variants"}
    variants = _variant_specs(data["variants"]) if "variants" in data else None
    return catalog.update_item(company=company, item=item, fields=fields, variants=variants)


def delete_item(company, item: Item) -> None:
    catalog.delete_item(company=company, item=item)


def fresh_record(company, pk: int) -> InventoryRecord:
    record = selectors.inventory_records(company).filter(pk=pk).first()
    if record is None:  # deleted since the request looked it up
        raise ObjectNotFound(f"No inventory record {pk}.")
    return record


def fresh_item(company, pk: int) -> Item:
    item = selectors.items(company).filter(pk=pk).first()
    if item is None:
        raise ObjectNotFound(f"No item {pk}.")
    return item
