"""Demo-like data for the store feed, built with tests/factories.py, and a client wrapper."""

from dataclasses import dataclass

from apps.catalog.models import Item, Variant
from apps.inventory import services
from apps.inventory.models import Door, InventoryRecord, StockLevel, StockMovement
from apps.locations.models import Location
from tests import factories

URL = "/api/product/inventory"


@dataclass
class Demo:
    store: Location  # store_code "3"
    other_store: Location  # store_code "4"
    zoot: Item  # ZOOT-SUIT in sizes 34/36 and widths D/E
    tee: Variant  # UPC-A 849632048260


def demo(company) -> Demo:
    store = factories.store(company, name="Downtown", store_code="3")
    other_store = factories.store(company, name="Uptown", store_code="4")
    zoot = factories.item(
        company,
        name="Zoot suit",
        sku="ZOOT-SUIT",
        variants=[
            {"sku": f"ZOOT-SUIT-{size}-{width}", "attributes": {"size": size, "width": width}}
            for size in ("34", "36")
            for width in ("D", "E")
        ],
    )
    tee = factories.item(
        company,
        name="Run Free tee",
        sku="RF-TEE",
        variants=[{"sku": "RF-TEE-M", "upc": "849632048260", "attributes": {"size": "M"}}],
    )
    return Demo(store=store, other_store=other_store, zoot=zoot, tee=tee.variants.get())


def variant(item: Item, size: str, width: str) -> Variant:
    return item.variants.get(attributes__size=size, attributes__width=width)


def stock(company, variant: Variant, location: Location, on_hand: int, reserved: int = 0):
    record = services.ensure_records(company=company, variants=[variant])[variant.pk]
    if on_hand:
        services.receive(
            company=company, record=record, location=location, quantity=on_hand, door=Door.COMMAND
        )
    if reserved:
        services.reserve(company=company, record=record, quantity=reserved, door=Door.COMMAND)
    return InventoryRecord.objects.get(pk=record.pk)


def on_hand(variant: Variant, location: Location) -> int:
    level = StockLevel.objects.filter(record__variant=variant, location=location).first()
    return level.on_hand if level else 0


def movements(variant: Variant | None = None):
    rows = StockMovement.objects.filter(door=Door.STOREFEED).order_by("id")
    return rows.filter(record__variant=variant) if variant is not None else rows


def post(client, key, body, *, url=URL, **headers):
    if key is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client.post(url, body, format="json", **headers)


def post_raw(client, key, raw: bytes | str, *, content_type="application/json", **headers):
    headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client.generic("POST", URL, raw, content_type=content_type, **headers)
