"""GET /api/v1/stock: on hand, reserved, available, incoming and in transit, per record
and per physical location."""

import pytest

from apps.inventory import services as engine
from apps.inventory.models import Door
from apps.operations import services

from .helpers import body, fields, problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(company, shop):
    """TEE: 10 at main, 3 reserved; 6 shipped main -> north, 2 of them received;
    an open order of 7 to north, 5 received of it... (see figures below)."""
    tee = shop["tee"]
    engine.reserve(company=company, record=tee, quantity=3, door=Door.COMMAND)
    transfer = services.create_transfer(
        company=company,
        from_location=shop["main"],
        to_location=shop["north"],
        lines=[services.TransferItem(tee, 6)],
    )
    services.ship_transfer(company=company, transfer=transfer, door=Door.COMMAND)
    services.receive_transfer(
        company=company, transfer=transfer, lines=[services.TransferItem(tee, 2)], door="command"
    )
    order = services.create_purchase_order(
        company=company,
        supplier=services.find_or_create_supplier(company=company, name="Acme"),
        location=shop["north"],
        lines=[services.OrderLine(tee, 7), services.OrderLine(shop["sock"], 5)],
    )
    services.receive_purchase_order(
        company=company, order=order, lines=[services.Receipt(tee, 1)], door="command"
    )
    return shop


def test_one_record_with_every_state(api, busy):
    answer = api.get("/api/v1/stock", {"sku": "TEE"})
    assert answer.status_code == 200
    data = body(answer)
    assert data["next"] is None
    (tee,) = data["results"]
    assert {
        k: tee[k]
        for k in ("sku", "quantity", "reserved", "available", "incoming", "in_transit", "status")
    } == {
        "sku": "TEE",
        "quantity": 4 + 3,  # main 4, north 2 + 1 received
        "reserved": 3,
        "available": 4,
        "incoming": 6,
        "in_transit": 4,
        "status": "in_stock",
    }
    assert tee["variant"] == str(busy["tee"].variant.uuid)
    by_code = {loc["store_code"]: loc for loc in tee["locations"]}
    assert by_code["main"] == {
        "location": str(busy["main"].uuid),
        "store_code": "main",
        "on_hand": 4,
        "incoming": 0,
        "in_transit": 0,
    }
    assert (
        by_code["north"]["on_hand"],
        by_code["north"]["incoming"],
        by_code["north"]["in_transit"],
    ) == (3, 6, 4)


def test_by_upc_variant_and_a_whole_location(api, busy, django_assert_max_num_queries):
    by_upc = body(api.get("/api/v1/stock", {"upc": "12345678905"}))["results"]
    assert [r["sku"] for r in by_upc] == ["TEE"]
    by_variant = body(api.get("/api/v1/stock", {"variant": str(busy["cap"].variant.uuid)}))
    assert [r["sku"] for r in by_variant["results"]] == ["CAP"]
    with django_assert_max_num_queries(8):
        north = body(api.get("/api/v1/stock", {"store_code": "north"}))["results"]
    # SOCK has no level anywhere yet but 5 are incoming to north.
    assert {r["sku"] for r in north} == {"TEE", "SOCK"}
    sock = next(r for r in north if r["sku"] == "SOCK")
    assert (sock["quantity"], sock["incoming"], sock["locations"][0]["store_code"]) == (
        0,
        5,
        "north",
    )
    page = body(api.get("/api/v1/stock", {"limit": 2}))
    assert len(page["results"]) == 2 and page["next"]


def test_bad_filters_are_400(api, shop):
    assert fields(problem(api.get("/api/v1/stock", {"store_code": "nope"}), 400)) == ["store_code"]
    assert fields(problem(api.get("/api/v1/stock", {"variant": "x"}), 400)) == ["variant"]
    assert fields(problem(api.get("/api/v1/stock", {"upc": "abc"}), 400)) == ["upc"]
    assert fields(problem(api.get("/api/v1/stock", {"colour": "red"}), 400)) == ["colour"]


def test_another_companys_stock_is_not_listed(other_api, shop):
    assert body(other_api.get("/api/v1/stock", {"sku": "TEE"}))["results"] == []
