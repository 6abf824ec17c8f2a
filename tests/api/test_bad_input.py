"""Every write endpoint of every door x every kind of bad input: never a 500, each answer in
the door's own error shape, and nothing written. Chunked bodies also go over a real socket
through gunicorn, which de-chunks them (the test client cannot)."""

import http.client
import json
import os

import pytest
from rest_framework.test import APIClient

from apps.catalog.models import Item, Variant
from apps.inventory.models import IdempotencyKey, InventoryRecord, StockLevel, StockMovement
from apps.locations.models import Location
from tests import factories, live

V = "\x00VALUE\x00"  # where a template takes the bad text
N = "\x00NUMBER\x00"  # where a template takes the bad number
TOO_DEEP = b"[" * 1000 + b"]" * 1000


# --- the doors ---------------------------------------------------------------------------


def rootfi_shape(response) -> None:
    body = response.json()
    assert set(body) == {"error", "request_id"}, body
    assert set(body["error"]) >= {"code", "message", "fields"}, body


def zettle_shape(response) -> None:
    body = response.json()
    assert set(body) == {"developerMessage", "errorType", "violations"}, body
    assert isinstance(body["violations"], list)


def storefeed_shape(response) -> None:
    body = response.json()
    assert list(body) == ["error"] and isinstance(body["error"], str), body


def rootfi_endpoints(data):
    inv, item = data["record"].pk, data["item"].pk
    inventory = {"warehouse_location": V, "quantity": N}
    # An item has no count of its own: the number goes where an integer id is expected.
    new_item = {"name": V, "sku": "NEW", "variants": [{"rootfi_id": N, "sku": "NEW-1"}]}
    item_update = {"name": V, "variants": [{"rootfi_id": N}]}
    return [
        ("POST", "/v4/ecommerce/inventories", {"item_id": V, "variant_id": "x", "quantity": N}),
        ("PUT", f"/v4/ecommerce/inventories/{inv}", inventory),
        ("PATCH", f"/v4/ecommerce/inventories/{inv}", {"data": [inventory]}),
        ("DELETE", f"/v4/ecommerce/inventories/{inv}", None),
        ("POST", "/v4/payments/items", new_item),
        ("PUT", f"/v4/payments/items/{item}", item_update),
        ("DELETE", f"/v4/payments/items/{item}", None),
        ("POST", "/v4/ecommerce/items", new_item),
        ("PUT", f"/v4/ecommerce/items/{item}", {**item_update, "sku": V}),
        ("DELETE", f"/v4/ecommerce/items/{item}", None),
    ]


def zettle_endpoints(data):
    product, variant = str(data["item"].uuid), str(data["variant"].uuid)
    store, supplier = str(data["store"].uuid), str(data["supplier"].uuid)
    change = {"variantUuid": variant, "fromLocationUuid": supplier, "toLocationUuid": store}
    low = f"/custom-low-stock/locations/{store}"
    return [
        ("POST", "/organizations/self/inventory", {"productUuid": V}),
        (
            "PUT",
            "/organizations/self/inventory",
            {"changes": [{"productUuid": product, **change, "change": N}], "externalUuid": V},
        ),
        (
            "POST",
            "/organizations/self/v2/inventory/bulk",
            {
                "productChanges": [
                    {
                        "productUuid": product,
                        "trackingStatusChange": V,
                        "variantChanges": [{**change, "change": N}],
                    }
                ]
            },
        ),
        ("POST", "/organizations/self/inventory/products", {"locationType": V, "productUuids": []}),
        ("DELETE", f"/organizations/self/inventory/products/{product}", None),
        ("PUT", low, {"productUuid": V, "variantUuid": variant, "lowStockLevel": N}),
        (
            "POST",
            low,
            {"requests": [{"productUuid": product, "variantUuid": V, "lowStockLevel": N}]},
        ),
        ("POST", f"{low}/delete", {"requests": [{"productUuid": product, "variantUuid": V}]}),
        ("DELETE", f"{low}/products/{product}/variants/{variant}", None),
    ]


def storefeed_endpoints(data):
    return [("POST", "/api/product/inventory", {"upc": V, "store": "3", "quantity": N})]


DOORS = {
    "rootfi": (rootfi_endpoints, rootfi_shape, "HTTP_API_KEY", "{}"),
    "zettle": (zettle_endpoints, zettle_shape, "HTTP_AUTHORIZATION", "Bearer {}"),
    "storefeed": (storefeed_endpoints, storefeed_shape, "HTTP_AUTHORIZATION", "Bearer {}"),
}


# --- the inputs --------------------------------------------------------------------------


def fill(template, text: str = "849632048260", number: str = "1") -> bytes:
    """The template as JSON text with `text` (JSON-escaped) and `number` (raw) in place."""
    raw = json.dumps(template)
    raw = raw.replace(json.dumps(V), json.dumps(text)).replace(json.dumps(N), number)
    return raw.encode()


def with_raw_string(template, escaped: str) -> bytes:
    """As fill(), with a JSON string literal written by hand (`\\ud800` is valid JSON)."""
    return (
        json.dumps(template)
        .replace(json.dumps(V), f'"{escaped}"')
        .replace(json.dumps(N), "1")
        .encode()
    )


JSON = "application/json"
# name -> (body of a template, content type, extra request META); None: body-less endpoints
# (DELETE) do not read a body, so only the transport-level inputs apply to them.
INPUTS = {
    "malformed JSON": (lambda t: fill(t)[:-3] + b",,", JSON, {}),
    "deep nesting": (lambda t: TOO_DEEP, JSON, {}),
    "deep nesting in a field": (
        lambda t: fill(t).replace(b'"849632048260"', TOO_DEEP[:80] + TOO_DEEP[-80:]),
        JSON,
        {},
    ),
    "lone surrogate": (lambda t: with_raw_string(t, "\\ud800"), JSON, {}),
    "NUL byte": (lambda t: with_raw_string(t, "ab\\u0000cd"), JSON, {}),
    "very long string": (lambda t: fill(t, text="x" * 100_000), JSON, {}),
    "number beyond 64 bits": (lambda t: fill(t, number=str(2**70)), JSON, {}),
    "huge number literal": (lambda t: fill(t, number="9" * 5000), JSON, {}),
    "float for an integer": (lambda t: fill(t, number="1.5"), JSON, {}),
    "float overflow": (lambda t: fill(t, number="1e400"), JSON, {}),
    "NaN": (lambda t: fill(t, number="NaN"), JSON, {}),
    "not UTF-8": (lambda t: fill(t).replace(b"849632048260", b"\xff\xfe"), JSON, {}),
    "wrong content type": (lambda t: fill(t), "text/plain", {}),
    "form content type": (lambda t: b"quantity=1", "application/x-www-form-urlencoded", {}),
    "missing content type": (lambda t: fill(t), None, {}),
    "empty body": (lambda t: b"", JSON, {}),
    "JSON null": (lambda t: b"null", JSON, {}),
    "JSON list of junk": (lambda t: b"[1, true, null]", JSON, {}),
    "chunked body not de-chunked": (lambda t: b"", JSON, {"HTTP_TRANSFER_ENCODING": "chunked"}),
    "oversized body": (
        lambda t: b'{"pad": "' + b"x" * (5 * 1024 * 1024 + 10) + b'"}',
        JSON,
        {},
    ),
}
TRANSPORT = {
    "wrong content type",
    "form content type",
    "missing content type",
    "chunked body not de-chunked",
    "oversized body",
}


@pytest.fixture
def data(company):
    record = factories.record(company, on_hand=5)
    variant = record.variant
    return {
        "record": record,
        "item": variant.item,
        "variant": variant,
        "store": factories.store(company, name="Shop", store_code="3"),
        "supplier": factories.virtual(company).supplier,
    }


def snapshot() -> tuple:
    """What any write would change."""
    return (
        list(InventoryRecord.objects.values_list("pk", "quantity", "reserved_quantity")),
        list(InventoryRecord.all_objects.values_list("pk", "rootfi_deleted_at"))
        if hasattr(InventoryRecord, "all_objects")
        else [],
        list(StockLevel.objects.values_list("pk", "on_hand")),
        StockMovement.objects.count(),
        list(Item.objects.values_list("pk", "name", "sku", "rootfi_updated_at")),
        list(Variant.objects.values_list("pk", "sku", "upc")),
        Location.objects.count(),
        IdempotencyKey.objects.count(),
    )


@pytest.mark.parametrize("door", list(DOORS))
@pytest.mark.parametrize("kind", list(INPUTS))
def test_bad_input_is_refused_in_the_doors_shape_and_writes_nothing(door, kind, data, write_key):
    endpoints, shape, header, value = DOORS[door]
    make_body, content_type, extra = INPUTS[kind]
    api = APIClient()
    before = snapshot()
    tried = 0
    for method, path, template in endpoints(data):
        if template is None and kind not in TRANSPORT:
            continue
        body = make_body(template or {"pad": V})
        response = api.generic(
            method,
            path,
            body,
            content_type=content_type,
            **{header: value.format(write_key)},
            HTTP_IDEMPOTENCY_KEY=f"{kind}-{method}-{path}",
            **extra,
        )
        tried += 1
        assert 400 <= response.status_code < 500, (method, path, response.status_code)
        shape(response)
        assert snapshot() == before, (method, path, response.status_code, response.content)
    assert tried


def test_deep_nesting_is_refused_before_parsing_recurses():
    from apps.api.parsers import MAX_JSON_DEPTH, nested_too_deep

    assert not nested_too_deep(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    assert nested_too_deep(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    # Brackets inside strings are text, not nesting.
    assert not nested_too_deep(json.dumps({"note": "[" * 500}).encode())
    assert nested_too_deep(b'{"a":' * 40 + b"1" + b"}" * 40)


@pytest.mark.parametrize(
    ("door", "method", "path", "raw", "field"),
    [
        (
            "storefeed",
            "POST",
            "/api/product/inventory",
            '{{"upc":"{}","store":"3","quantity":1}}',
            "upc",
        ),
        (
            "zettle",
            "POST",
            "/organizations/self/inventory/products",
            '{{"locationType":"{}","productUuids":[]}}',
            "locationType",
        ),
        ("rootfi", "POST", "/v4/ecommerce/inventories", '{{"item_id":"{}"}}', "item_id"),
        (
            "rootfi",
            "POST",
            "/v4/ecommerce/inventories",
            '{{"warehouse_location":"{}"}}',
            "warehouse_location",
        ),
    ],
)
def test_a_lone_surrogate_is_400_naming_the_field(door, method, path, raw, field, data, write_key):
    _, shape, header, value = DOORS[door]
    response = APIClient().generic(
        method, path, raw.format("\\ud800"), content_type=JSON, **{header: value.format(write_key)}
    )
    assert response.status_code == 400
    shape(response)
    assert field in response.content.decode()


# --- chunked bodies over a real socket -----------------------------------------------------

pytestmark_gunicorn = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs once, on the SQLite pass: it builds its own SQLite database file",
)


@pytest.fixture
def gunicorn(tmp_path):
    with live.gunicorn(f"sqlite:///{tmp_path / 'chunked.db'}", company="Chunk Co") as served:
        yield served


def send_chunked(port, method, path, headers, chunks):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest(method, path)
    for name, value in {**headers, "Content-Type": JSON, "Transfer-Encoding": "chunked"}.items():
        connection.putheader(name, value)
    connection.endheaders()
    try:
        for chunk in chunks:
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        connection.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered 413 before the end of the body
    response = connection.getresponse()
    return response.status, json.loads(response.read())


@pytestmark_gunicorn
def test_chunked_bodies_are_read_and_an_oversized_one_is_413(gunicorn):
    port, key = gunicorn
    feed = {"Authorization": f"Bearer {key}"}
    body = json.dumps({"sku": "NOPE", "size": "34", "width": "D", "store": "3", "quantity": 1})
    status, answer = send_chunked(port, "POST", "/api/product/inventory", feed, [body.encode()])
    # The body was read: the product is unknown, not a field missing.
    assert status == 404 and "Missing required field" not in answer["error"], answer

    zettle = {"Authorization": f"Bearer {key}"}
    status, answer = send_chunked(
        port, "PUT", "/organizations/self/inventory", zettle, [b'{"changes": [{"change": 1}]}']
    )
    assert status == 400
    names = {v["propertyName"] for v in answer["violations"]}
    assert "changes" not in names and "changes[0].productUuid" in names, answer

    rootfi = {"api_key": key}
    status, answer = send_chunked(
        port, "POST", "/v4/ecommerce/inventories", rootfi, [b'{"data": [{"bogus": 1}]}']
    )
    assert status == 400 and "bogus" in json.dumps(answer["error"]["fields"]), answer

    megabyte = b"x" * (1024 * 1024)
    for method, path, headers, shape in (
        ("POST", "/api/product/inventory", feed, lambda a: a == {"error": a["error"]}),
        ("PUT", "/organizations/self/inventory", zettle, lambda a: "errorType" in a),
        ("POST", "/v4/ecommerce/inventories", rootfi, lambda a: "request_id" in a),
    ):
        chunks = [b'{"pad": "', *[megabyte] * 10, b'"}']
        status, answer = send_chunked(port, method, path, headers, chunks)
        assert status == 413 and shape(answer), (path, answer)
