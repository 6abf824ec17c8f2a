"""/openapi.json describes the V4 door (the seeds' descriptions, the api_key scheme) and
/docs/ renders it from the project's own static files."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient


@pytest.fixture
def document(db):
    response = APIClient().get("/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_document_is_valid_openapi_3_with_the_v4_paths(document):
    assert document["openapi"].startswith("3.")
    validate_schema(document)
    paths = document["paths"]
    expected = {
        "/v4/ecommerce/inventories": {"get", "post"},
        "/v4/ecommerce/inventories/{ident}": {"get", "put", "patch", "delete"},
        "/v4/inventory": {"get"},
        "/v4/payments/items": {"get", "post"},
        "/v4/payments/items/{ident}": {"get", "put", "delete"},
        "/v4/ecommerce/items": {"get", "post"},
        "/v4/ecommerce/items/{ident}": {"get", "put", "delete"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) & {"get", "post", "put", "patch", "delete"} == methods, path
    assert not [p for p in paths if p.startswith("/v4") and p.endswith("/")]
    operation_ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))


def test_both_authentication_schemes_are_described(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["api_key"] == {
        "type": "apiKey",
        "in": "header",
        "name": "api_key",
        "description": schemes["api_key"]["description"],
    }
    assert schemes["bearer"]["scheme"] == "bearer"
    operation = document["paths"]["/v4/ecommerce/inventories"]["get"]
    assert operation["security"] == [{"api_key": []}]


def test_fields_carry_the_seed_descriptions(document):
    schemas = document["components"]["schemas"]
    inventory = schemas["Inventory"]["properties"]
    assert inventory["quantity"]["description"] == "Total physical quantity in stock"
    assert inventory["available_quantity"]["description"] == (
        "Quantity available for new orders (quantity - reserved_quantity)"
    )
    assert inventory["rootfi_id"]["description"] == (
        "The unique ID we assign for that data's information"
    )
    assert set(schemas["InventoryStatusEnum"]["enum"]) == {
        "in_stock",
        "low_stock",
        "out_of_stock",
        "discontinued",
        "unknown",
    }
    item = schemas["Item"]["properties"]
    assert item["currency_id"]["description"] == "ISO 4217 currency code."
    assert set(schemas["ItemTypeEnum"]["enum"]) == {
        "INVENTORY",
        "NON_INVENTORY",
        "SERVICE",
        "DIGITAL",
        "UNKNOWN",
    }
    write = schemas["InventoryWriteRequest"]["properties"]
    assert "warehouse_location" in write


def test_docs_render_from_local_static_files(db):
    response = APIClient().get("/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    external = re.findall(r"""(?:src|href)=["'](https?:)?//[^"']+""", html)
    assert external == []
    assert not re.search(r"cdn\.|jsdelivr|unpkg|cdnjs", html)
    assets = re.findall(r"""(?:src|href)=["']/static/([^"']+)["']""", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert finders.find(asset), asset
