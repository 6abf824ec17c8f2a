"""Shared helpers of the RootFi door tests."""

INVENTORIES = "/v4/ecommerce/inventories"
ITEMS = "/v4/payments/items"

WAREHOUSE = {
    "platform_id": "loc_warehouse_001",
    "type": "warehouse",
    "street": "123 Warehouse St",
    "city": "Los Angeles",
    "state": "CA",
    "postal_code": "90001",
    "country": "US",
}

INVENTORY_FIELDS = {
    "rootfi_id",
    "rootfi_created_at",
    "rootfi_updated_at",
    "rootfi_company_id",
    "platform_id",
    "rootfi_deleted_at",
    "platform_unique_id",
    "raw_data",
    "data_hash",
    "item_id",
    "product_id",
    "variant_id",
    "sku",
    "quantity",
    "reserved_quantity",
    "available_quantity",
    "status",
    "is_trackable",
    "reorder_level",
    "reorder_quantity",
    "addresses",
    "created_at",
    "updated_at",
}


def create_item(api, **fields):
    body = {"name": "Widget", **fields}
    response = api.post(ITEMS, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def create_inventory(api, **fields):
    response = api.post(INVENTORIES, {"data": [fields]}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def error_of(response, status):
    assert response.status_code == status, (response.status_code, response.content)
    body = response.json()
    assert set(body) == {"error", "request_id"}, body
    assert {"code", "message", "fields"} <= set(body["error"]), body
    return body["error"]
