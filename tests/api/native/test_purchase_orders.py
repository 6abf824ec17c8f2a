"""Purchase orders over REST: create, read, change, receive (partial, over), cancel; each
refusal changes nothing."""

import pytest

from apps.inventory.models import StockMovement
from apps.operations.models import PurchaseOrder, Supplier
from tests import factories

from .helpers import body, fields, ledger_count, on_hand, patch, post, problem, quantity

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/purchase-orders"


def create(api, lines=None, **extra):
    payload = {
        "supplier": "Acme Textiles",
        "store_code": "north",
        "reference": "ACME-77",
        "expected_at": "2026-12-20",
        "lines": lines
        or [
            {"sku": "TEE", "quantity": 10, "unit_cost": "4.50"},
            {"sku": "CAP", "quantity": 6},
            {"sku": "SOCK", "quantity": 3},
        ],
    } | extra
    answer = post(api, ORDERS, {k: v for k, v in payload.items() if v is not None})
    assert answer.status_code == 201, answer.content
    return body(answer)


def test_create_answers_the_open_order_with_its_lines(api, shop):
    order = create(api)
    assert order["number"] == "PO-00001"
    assert order["status"] == "open"
    assert order["supplier"] == "Acme Textiles"
    assert order["location"] == str(shop["north"].uuid)
    assert order["store_code"] == "north"
    assert order["reference"] == "ACME-77"
    assert order["expected_at"].startswith("2026-12-20")
    assert [
        (ln["sku"], ln["ordered"], ln["received"], ln["outstanding"]) for ln in order["lines"]
    ] == [
        ("TEE", 10, 0, 10),
        ("CAP", 6, 0, 6),
        ("SOCK", 3, 0, 3),
    ]
    assert order["lines"][0]["unit_cost"] == "4.50"
    assert order["lines"][0]["variant"] == str(shop["tee"].variant.uuid)
    assert body(api.get(f"{ORDERS}/{order['id']}")) == order
    assert create(api)["number"] == "PO-00002"
    assert Supplier.objects.count() == 1  # found by name the second time
    assert StockMovement.objects.filter(reference__startswith="PO").count() == 0


def test_items_by_upc_and_variant_locations_by_uuid(api, shop):
    order = create(
        api,
        lines=[
            {"upc": "012345678905", "quantity": 1},
            {"variant": str(shop["cap"].variant.uuid), "quantity": 2},
        ],
        store_code=None,
        location=str(shop["main"].uuid),
    )
    assert [ln["sku"] for ln in order["lines"]] == ["TEE", "CAP"]
    assert order["store_code"] == "main"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"store_code": "nowhere"}, "store_code"),
        ({"store_code": None}, "location"),
        (
            {"lines": [{"sku": "TEE", "quantity": 1}, {"sku": "NOPE", "quantity": 1}]},
            "lines[1].sku",
        ),
        ({"lines": [{"sku": "TEE", "quantity": -1}]}, "lines[0].quantity"),
        ({"lines": [{"sku": "TEE"}]}, "lines[0].quantity"),
        ({"lines": [{"quantity": 2}]}, "lines[0].sku"),
        ({"lines": [{"sku": "TEE", "quantity": 1, "unit_cost": "x"}]}, "lines[0].unit_cost"),
        ({"lines": [{"sku": "TEE", "quantity": 1}, {"sku": "TEE", "quantity": 1}]}, "lines[1]"),
        ({"expected_at": "tomorrow"}, "expected_at"),
        ({"supplier": ""}, "supplier"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_creates_nothing(api, shop, change, field):
    payload = {"supplier": "Acme", "store_code": "north", "lines": [{"sku": "TEE", "quantity": 1}]}
    payload = {k: v for k, v in (payload | change).items() if v is not None}
    data = problem(post(api, ORDERS, payload), 400)
    assert field in fields(data)
    assert not PurchaseOrder.objects.exists()


def test_another_companys_order_is_404_and_absent_from_lists(api, other_api, shop, other_company):
    order = create(api)
    problem(other_api.get(f"{ORDERS}/{order['id']}"), 404)
    problem(post(other_api, f"{ORDERS}/{order['id']}/receive", {}), 404)
    problem(post(other_api, f"{ORDERS}/{order['id']}/cancel", {}), 404)
    assert body(other_api.get(ORDERS))["results"] == []
    problem(api.get(f"{ORDERS}/not-a-uuid"), 404)


def test_partial_then_full_receipt(api, shop):
    order = create(api)
    tee, north = shop["tee"], shop["north"]
    answer = post(
        api,
        f"{ORDERS}/{order['id']}/receive",
        {"lines": [{"sku": "TEE", "quantity": 4}], "note": "first pallet"},
    )
    assert answer.status_code == 200, answer.content
    got = body(answer)
    assert got["status"] == "partially_received"
    assert (got["lines"][0]["received"], got["lines"][0]["outstanding"]) == (4, 6)
    assert on_hand(tee, north) == 4
    assert quantity(tee) == 14
    row = StockMovement.objects.filter(record=tee).first()
    assert (row.reason, row.reference, row.door, row.quantity, row.note) == (
        "receipt",
        "PO-00001",
        "native",
        4,
        "first pallet",
    )
    assert row.from_location.kind == "SUPPLIER" and row.to_location == north

    rest = body(post(api, f"{ORDERS}/{order['id']}/receive", {}))
    assert rest["status"] == "received"
    assert [ln["outstanding"] for ln in rest["lines"]] == [0, 0, 0]
    assert on_hand(tee, north) == 10
    assert on_hand(shop["sock"], north) == 3
    assert StockMovement.objects.filter(reference="PO-00001").count() == 4
    data = problem(post(api, f"{ORDERS}/{order['id']}/receive", {}), 409)
    assert data["status"] == 409


def test_over_receipt_is_409_with_figures_and_receives_nothing(api, shop):
    order = create(api)
    rows = ledger_count(shop["tee"].company)
    data = problem(
        post(
            api,
            f"{ORDERS}/{order['id']}/receive",
            {"lines": [{"sku": "CAP", "quantity": 1}, {"sku": "TEE", "quantity": 11}]},
        ),
        409,
    )
    assert fields(data) == ["lines[1].quantity"]
    assert (data["requested"], data["available"]) == (11, 10)
    assert data["errors"][0]["requested"] == 11
    assert ledger_count(shop["tee"].company) == rows
    assert on_hand(shop["cap"], shop["north"]) == 0
    assert body(api.get(f"{ORDERS}/{order['id']}"))["status"] == "open"

    allowed = body(
        post(
            api,
            f"{ORDERS}/{order['id']}/receive",
            {"lines": [{"sku": "TEE", "quantity": 12}], "allow_over_receipt": True},
        )
    )
    assert (allowed["lines"][0]["received"], allowed["lines"][0]["outstanding"]) == (12, 0)
    assert allowed["status"] == "partially_received"


def test_receiving_an_item_not_on_the_order_is_400(api, shop):
    order = create(api, lines=[{"sku": "TEE", "quantity": 1}])
    data = problem(
        post(api, f"{ORDERS}/{order['id']}/receive", {"lines": [{"sku": "CAP", "quantity": 1}]}),
        400,
    )
    assert fields(data) == ["lines[0]"]


def test_cancel_is_cancelled_before_any_receipt_and_closed_after(api, shop):
    untouched = create(api)
    assert body(post(api, f"{ORDERS}/{untouched['id']}/cancel"))["status"] == "cancelled"
    problem(post(api, f"{ORDERS}/{untouched['id']}/receive", {}), 409)
    problem(post(api, f"{ORDERS}/{untouched['id']}/cancel"), 409)

    partial = create(api)
    post(api, f"{ORDERS}/{partial['id']}/receive", {"lines": [{"sku": "TEE", "quantity": 1}]})
    closed = body(post(api, f"{ORDERS}/{partial['id']}/cancel"))
    assert closed["status"] == "closed"
    rows = ledger_count(shop["tee"].company)
    data = problem(post(api, f"{ORDERS}/{partial['id']}/receive", {}), 409)
    assert data["type"].endswith("/invalid-state")
    assert ledger_count(shop["tee"].company) == rows


def test_patch_changes_lines_until_something_is_received(api, shop):
    order = create(api)
    tag = api.get(f"{ORDERS}/{order['id']}")["ETag"]
    changed = patch(
        api,
        f"{ORDERS}/{order['id']}",
        {"lines": [{"sku": "SOCK", "quantity": 9}], "reference": "R2"},
        **{"If-Match": tag},
    )
    assert changed.status_code == 200, changed.content
    assert [(ln["sku"], ln["ordered"]) for ln in body(changed)["lines"]] == [("SOCK", 9)]
    assert body(changed)["reference"] == "R2"
    problem(patch(api, f"{ORDERS}/{order['id']}", {"reference": "R3"}, **{"If-Match": tag}), 412)
    post(api, f"{ORDERS}/{order['id']}/receive", {"lines": [{"sku": "SOCK", "quantity": 1}]})
    problem(patch(api, f"{ORDERS}/{order['id']}", {"lines": [{"sku": "TEE", "quantity": 1}]}), 409)


def test_every_post_is_idempotent(api, shop):
    order = create(api)
    path = f"{ORDERS}/{order['id']}/receive"
    payload = {"lines": [{"sku": "TEE", "quantity": 2}]}
    first = post(api, path, payload, **{"Idempotency-Key": "r-1"})
    again = post(api, path, payload, **{"Idempotency-Key": "r-1"})
    assert again.content == first.content
    assert on_hand(shop["tee"], shop["north"]) == 2
    cancel = post(api, f"{ORDERS}/{order['id']}/cancel", None, **{"Idempotency-Key": "c-1"})
    repeat = post(api, f"{ORDERS}/{order['id']}/cancel", None, **{"Idempotency-Key": "c-1"})
    assert cancel.status_code == repeat.status_code == 200
    assert body(repeat)["status"] == "closed"


def test_suppliers_are_listed(api, shop, company):
    create(api)
    create(api, supplier="  acme   textiles ")
    factories.company("Other").pk  # noqa: B018 - suppliers of others never show
    rows = body(api.get("/api/v1/suppliers"))["results"]
    assert [r["name"] for r in rows] == ["Acme Textiles"]


def test_a_draft_is_placed_once(api, shop, company):
    from apps.operations import services

    draft = services.create_purchase_order(
        company=company,
        supplier=services.find_or_create_supplier(company=company, name="Acme"),
        location=shop["main"],
        lines=[services.OrderLine(shop["tee"], 3)],
        status="draft",
    )
    path = f"{ORDERS}/{draft.uuid}/open"
    first = post(api, path, None, **{"Idempotency-Key": "o"})
    again = post(api, path, None, **{"Idempotency-Key": "o"})
    assert (body(first)["status"], again.content) == ("open", first.content)
    problem(post(api, path), 409)
