"""Inventory objects as seeds 000 and 001 show them, read back through every route."""

import pytest

from apps.inventory import services
from apps.inventory.models import Door, InventoryRecord
from tests import factories

from .helpers import INVENTORIES, INVENTORY_FIELDS, WAREHOUSE, create_inventory, create_item

SEED_EXAMPLES = [
    # (sku, quantity, reserved, reorder level, reorder quantity, status) from seed 001
    ("WH-2024-BLK-M", 100, 10, 20, 50, "in_stock"),
    ("TS-2024-RED-L", 15, 5, 20, 100, "low_stock"),
]


@pytest.mark.parametrize(
    ("sku", "quantity", "reserved", "level", "reorder", "status"), SEED_EXAMPLES
)
def test_seed_examples_round_trip(api, company, sku, quantity, reserved, level, reorder, status):
    item = create_item(api, name=sku, sku=sku, platform_id=f"prod_{sku}")
    created = create_inventory(
        api,
        item_id=item["platform_id"],
        variant_id=item["variants"][0]["platform_id"],
        sku=sku,
        quantity=quantity,
        reserved_quantity=reserved,
        reorder_level=level,
        reorder_quantity=reorder,
        addresses=[WAREHOUSE],
    )
    read = api.get(f"{INVENTORIES}/{created['rootfi_id']}").json()
    assert read == created
    assert set(read) == INVENTORY_FIELDS
    assert read["item_id"] == read["product_id"] == f"prod_{sku}"
    assert read["variant_id"] == item["variants"][0]["platform_id"]
    assert (read["quantity"], read["reserved_quantity"], read["available_quantity"]) == (
        quantity,
        reserved,
        quantity - reserved,
    )
    assert (read["reorder_level"], read["reorder_quantity"]) == (level, reorder)
    assert read["status"] == status
    assert read["is_trackable"] is True
    assert read["rootfi_company_id"] == company.pk
    (address,) = read["addresses"]
    assert {k: address[k] for k in WAREHOUSE} == WAREHOUSE
    assert address["store_code"] == "loc_warehouse_001"
    assert isinstance(address["rootfi_id"], int)
    assert read["rootfi_created_at"].endswith("Z") and len(read["rootfi_created_at"]) == 24

    # Sending back what was read changes nothing.
    again = api.put(f"{INVENTORIES}/{read['rootfi_id']}", read, format="json")
    assert again.status_code == 200, again.json()
    assert again.json()["data_hash"] == read["data_hash"]


def test_id_is_rootfi_id_first_then_platform_id(api, company):
    first = factories.record(company, on_hand=1)
    second = factories.record(company, on_hand=2)
    # An all-digit platform_id that equals another record's rootfi_id.
    InventoryRecord.objects.filter(pk=second.pk).update(platform_id=str(first.pk))
    third = factories.record(company, on_hand=3)
    InventoryRecord.objects.filter(pk=third.pk).update(platform_id="777777")

    assert api.get(f"{INVENTORIES}/{first.pk}").json()["quantity"] == 1
    assert api.get(f"{INVENTORIES}/777777").json()["quantity"] == 3
    assert api.get(f"{INVENTORIES}/{first.platform_id}").json()["quantity"] == 1


@pytest.mark.parametrize(
    "url",
    [
        "/v4/ecommerce/inventories",
        "/v4/ecommerce/inventories/",
        "/v4/inventory",
        "/v4/inventory/",
    ],
)
def test_list_routes_with_and_without_slash(api, company, url):
    factories.record(company, on_hand=4)
    response = api.get(url)
    assert response.status_code == 200
    assert [row["quantity"] for row in response.json()["data"]] == [4]


def test_detail_with_trailing_slash_and_etag(api, company):
    record = factories.record(company, on_hand=4)
    response = api.get(f"{INVENTORIES}/{record.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == f'"{response.json()["data_hash"]}"'


def test_expand_item_and_variant(api, company):
    record = factories.record(company, on_hand=4, upc="0012345678905")
    body = api.get(f"{INVENTORIES}/{record.pk}?expand=item,variant,addresses").json()
    assert body["item"]["platform_id"] == body["item_id"]
    assert body["item"]["uuid"] == str(record.item.uuid)
    assert body["variant"]["platform_id"] == body["variant_id"]
    assert body["variant"]["uuid"] == str(record.variant.uuid)
    assert body["variant"]["upc"] == "0012345678905"
    plain = api.get(f"{INVENTORIES}/{record.pk}").json()
    assert "item" not in plain and "variant" not in plain
    assert plain["data_hash"] == body["data_hash"]


def test_unknown_expansion_is_400(api, company):
    record = factories.record(company)
    response = api.get(f"{INVENTORIES}/{record.pk}?expand=warehouse")
    assert response.status_code == 400
    assert "expand" in response.json()["error"]["fields"]


def test_data_hash_changes_exactly_when_data_changes(api, company):
    record = factories.record(company, on_hand=4)
    first = api.get(f"{INVENTORIES}/{record.pk}").json()["data_hash"]
    assert api.get(f"{INVENTORIES}/{record.pk}").json()["data_hash"] == first
    api.patch(f"{INVENTORIES}/{record.pk}", {"reorder_level": 2}, format="json")
    assert api.get(f"{INVENTORIES}/{record.pk}").json()["data_hash"] != first


def test_addresses_list_every_location_holding_the_record(api, company):
    north = factories.store(company, name="North", store_code="N1", city="Oslo", country="NO")
    record = factories.record(company, on_hand=5)
    services.transfer(
        company=company,
        record=record,
        from_location=factories.default_store(company),
        to_location=north,
        quantity=2,
        door=Door.COMMAND,
    )
    body = api.get(f"{INVENTORIES}/{record.pk}").json()
    by_code = {a["store_code"]: a for a in body["addresses"]}
    assert by_code["main"]["quantity"] == 3
    assert by_code["N1"]["quantity"] == 2
    assert by_code["N1"]["city"] == "Oslo"
    assert by_code["N1"]["country"] == "NO"
