"""Plain factory functions: readable in a test, no fixtures files."""

import itertools

from apps.catalog.models import Item, Variant
from apps.inventory import services
from apps.inventory.models import Door, InventoryRecord
from apps.locations.models import Location
from apps.tenancy.models import ApiKey, Company

_seq = itertools.count(1)


def company(name: str | None = None) -> Company:
    return Company.objects.create(name=name or f"Company {next(_seq)}")


def api_key(company: Company, *, scope=ApiKey.Scope.WRITE) -> tuple[ApiKey, str]:
    return ApiKey.issue(company=company, scope=scope)


def store(company: Company, *, name=None, store_code=None, **fields) -> Location:
    n = next(_seq)
    return Location.objects.create(
        company=company,
        kind=Location.Kind.STORE,
        name=name or f"Store {n}",
        store_code=store_code if store_code is not None else f"S{n}",
        **fields,
    )


def default_store(company: Company) -> Location:
    return Location.objects.get(company=company, is_default=True)


def virtual(company: Company):
    return services.virtual_locations(company)


def item(company: Company, *, name=None, sku=None, variants=None, **fields) -> Item:
    """An item with its variants: `variants` is a list of dicts of Variant fields (default:
    one variant with the item's SKU)."""
    n = next(_seq)
    sku = sku if sku is not None else f"SKU-{n}"
    created = Item.objects.create(company=company, name=name or f"Item {n}", sku=sku, **fields)
    for spec in variants or [{"sku": sku, "name": "Default"}]:
        Variant.objects.create(company=company, item=created, **spec)
    return created


def record(
    company: Company,
    *,
    on_hand: int = 0,
    location: Location | None = None,
    reserved: int = 0,
    reorder_level=None,
    reorder_quantity=None,
    sku=None,
    **variant_fields,
) -> InventoryRecord:
    """A tracked inventory record of a new one-variant item, stocked through the service."""
    created_item = item(company, sku=sku, variants=[{"sku": sku or "", **variant_fields}])
    variant = created_item.variants.get()
    if not variant.sku:
        variant.sku = created_item.sku
        variant.save()
    # One engine request, as a door sends it: born, stocked, reserved and given its reorder
    # figures together (a record born with stock opens no out-of-stock alert).
    new = services.NewRecord(
        variant, reorder_level=reorder_level, reorder_quantity=reorder_quantity
    )
    virtual = services.virtual_locations(company)
    changes = [new]
    if on_hand:
        changes.append(
            services.Move(new, virtual.supplier, location or default_store(company), on_hand)
        )
    if reserved:
        changes.append(services.Reserve(new, reserved))
    rec = services.apply_changes(company=company, changes=changes, door=Door.COMMAND).record(new)
    return InventoryRecord.objects.get(pk=rec.pk)


def receive(record: InventoryRecord, location: Location, quantity: int) -> None:
    """`quantity` units of `record` arrive at `location` from the supplier."""
    services.receive(
        company=record.company,
        record=record,
        location=location,
        quantity=quantity,
        door=Door.COMMAND,
    )
