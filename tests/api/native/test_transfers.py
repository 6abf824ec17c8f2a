"""Transfers over REST: draft, ship into IN_TRANSIT, receive (partly), close (lost), cancel;
figures at both ends and in transit at each step; refusals change nothing."""

import pytest

from apps.inventory.models import StockMovement
from apps.operations.models import Transfer

from .helpers import body, fields, ledger_count, on_hand, patch, post, problem, quantity

pytestmark = pytest.mark.django_db

TRANSFERS = "/api/v1/transfers"


def create(api, shop, lines=None, **extra):
    payload = {
        "from": "main",
        "to": str(shop["north"].uuid),
        "reference": "restock north",
        "lines": lines or [{"sku": "TEE", "quantity": 6}, {"sku": "CAP", "quantity": 4}],
    } | extra
    answer = post(api, TRANSFERS, payload)
    assert answer.status_code == 201, answer.content
    return body(answer)


def line(transfer, sku):
    found = next(ln for ln in transfer["lines"] if ln["sku"] == sku)
    return {k: found[k] for k in ("quantity", "shipped", "received", "in_transit", "lost")}


def in_transit_rows(record) -> int:
    """The ledger's IN_TRANSIT balance of a record: what went in less what came out."""
    rows = StockMovement.objects.filter(record=record)
    into = sum(r.quantity for r in rows if r.to_location.kind == "IN_TRANSIT")
    out = sum(r.quantity for r in rows if r.from_location and r.from_location.kind == "IN_TRANSIT")
    return into - out


def test_a_draft_moves_nothing(api, shop):
    rows = ledger_count(shop["tee"].company)
    transfer = create(api, shop)
    assert transfer["number"] == "TR-00001"
    assert transfer["status"] == "draft"
    assert (transfer["from"], transfer["to"]) == ("main", "north")
    assert line(transfer, "TEE") == {
        "quantity": 6,
        "shipped": 0,
        "received": 0,
        "in_transit": 0,
        "lost": 0,
    }
    assert transfer["lines"][0]["variant"] == str(shop["tee"].variant.uuid)
    assert ledger_count(shop["tee"].company) == rows


def test_shipped_partly_received_then_closed(api, shop):
    tee, cap, main, north = shop["tee"], shop["cap"], shop["main"], shop["north"]
    transfer = create(api, shop)
    path = f"{TRANSFERS}/{transfer['id']}"

    shipped = body(post(api, f"{path}/ship"))
    assert shipped["status"] == "in_transit"
    assert line(shipped, "TEE") == {
        "quantity": 6,
        "shipped": 6,
        "received": 0,
        "in_transit": 6,
        "lost": 0,
    }
    assert (on_hand(tee, main), on_hand(tee, north), quantity(tee)) == (4, 0, 4)
    assert (on_hand(cap, main), quantity(cap)) == (0, 0)
    assert in_transit_rows(tee) == 6
    out = StockMovement.objects.filter(record=tee).first()
    assert (out.reason, out.reference, out.to_location.kind) == (
        "transfer_out",
        "TR-00001",
        "IN_TRANSIT",
    )

    partial = body(post(api, f"{path}/receive", {"lines": [{"sku": "TEE", "quantity": 5}]}))
    assert partial["status"] == "in_transit"
    assert line(partial, "TEE")["in_transit"] == 1
    assert (on_hand(tee, main), on_hand(tee, north), quantity(tee)) == (4, 5, 9)
    assert in_transit_rows(tee) == 1

    closed = body(post(api, f"{path}/close"))
    assert closed["status"] == "closed"
    assert line(closed, "TEE") == {
        "quantity": 6,
        "shipped": 6,
        "received": 5,
        "in_transit": 0,
        "lost": 1,
    }
    assert line(closed, "CAP")["lost"] == 4
    assert (on_hand(tee, main), on_hand(tee, north), quantity(tee)) == (4, 5, 9)
    assert in_transit_rows(tee) == in_transit_rows(cap) == 0
    lost = StockMovement.objects.filter(record=tee).first()
    assert (lost.reason, lost.to_location.kind, lost.quantity) == ("lost_in_transit", "BIN", 1)
    assert StockMovement.objects.filter(reference="TR-00001").count() == 5
    problem(post(api, f"{path}/receive"), 409)


def test_receive_everything_left(api, shop):
    transfer = create(api, shop)
    path = f"{TRANSFERS}/{transfer['id']}"
    post(api, f"{path}/ship")
    received = body(post(api, f"{path}/receive"))
    assert received["status"] == "received"
    assert on_hand(shop["cap"], shop["north"]) == 4
    assert on_hand(shop["tee"], shop["north"]) == 6


def test_not_enough_at_the_origin_is_409_and_nothing_ships(api, shop):
    transfer = create(
        api, shop, lines=[{"sku": "TEE", "quantity": 2}, {"sku": "CAP", "quantity": 5}]
    )
    rows = ledger_count(shop["tee"].company)
    data = problem(post(api, f"{TRANSFERS}/{transfer['id']}/ship"), 409)
    assert fields(data) == ["lines[1].quantity"]
    assert (data["requested"], data["available"]) == (5, 4)
    assert ledger_count(shop["tee"].company) == rows
    assert on_hand(shop["tee"], shop["main"]) == 10
    assert body(api.get(f"{TRANSFERS}/{transfer['id']}"))["status"] == "draft"


def test_receiving_more_than_in_transit_is_409(api, shop):
    transfer = create(api, shop)
    path = f"{TRANSFERS}/{transfer['id']}"
    post(api, f"{path}/ship")
    rows = ledger_count(shop["tee"].company)
    data = problem(post(api, f"{path}/receive", {"lines": [{"sku": "CAP", "quantity": 5}]}), 409)
    assert fields(data) == ["lines[0].quantity"]
    assert (data["requested"], data["available"]) == (5, 4)
    assert ledger_count(shop["tee"].company) == rows


def test_cancel_a_draft_or_an_unreceived_shipment(api, shop):
    draft = create(api, shop)
    assert body(post(api, f"{TRANSFERS}/{draft['id']}/cancel"))["status"] == "cancelled"
    problem(post(api, f"{TRANSFERS}/{draft['id']}/ship"), 409)

    moving = create(api, shop)
    post(api, f"{TRANSFERS}/{moving['id']}/ship")
    back = body(post(api, f"{TRANSFERS}/{moving['id']}/cancel"))
    assert back["status"] == "cancelled"
    assert line(back, "TEE")["in_transit"] == 0
    assert (on_hand(shop["tee"], shop["main"]), quantity(shop["tee"])) == (10, 10)
    assert in_transit_rows(shop["tee"]) == 0

    partly = create(api, shop)
    post(api, f"{TRANSFERS}/{partly['id']}/ship")
    post(api, f"{TRANSFERS}/{partly['id']}/receive", {"lines": [{"sku": "TEE", "quantity": 1}]})
    rows = ledger_count(shop["tee"].company)
    problem(post(api, f"{TRANSFERS}/{partly['id']}/cancel"), 409)
    assert ledger_count(shop["tee"].company) == rows


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"to": "main"}, "to"),
        ({"from": "nowhere"}, "from"),
        ({"lines": [{"sku": "NOPE", "quantity": 1}]}, "lines[0].sku"),
        ({"lines": []}, "lines"),
    ],
)
def test_bad_transfers_are_400(api, shop, change, field):
    payload = {"from": "main", "to": "north", "lines": [{"sku": "TEE", "quantity": 1}]} | change
    assert field in fields(problem(post(api, TRANSFERS, payload), 400))
    assert not Transfer.objects.exists()


def test_patch_a_draft_only(api, shop):
    transfer = create(api, shop)
    path = f"{TRANSFERS}/{transfer['id']}"
    changed = body(patch(api, path, {"lines": [{"sku": "CAP", "quantity": 1}]}))
    assert [ln["sku"] for ln in changed["lines"]] == ["CAP"]
    post(api, f"{path}/ship")
    problem(patch(api, path, {"reference": "late"}), 409)


def test_another_companys_transfer_is_404(api, other_api, shop):
    transfer = create(api, shop)
    problem(other_api.get(f"{TRANSFERS}/{transfer['id']}"), 404)
    problem(post(other_api, f"{TRANSFERS}/{transfer['id']}/ship"), 404)
    assert body(other_api.get(TRANSFERS))["results"] == []
    assert on_hand(shop["tee"], shop["main"]) == 10


def test_idempotent_retries_of_ship_and_receive(api, shop):
    transfer = create(api, shop)
    path = f"{TRANSFERS}/{transfer['id']}"
    for _ in range(2):
        assert post(api, f"{path}/ship", None, **{"Idempotency-Key": "s"}).status_code == 200
    assert on_hand(shop["tee"], shop["main"]) == 4
    payload = {"lines": [{"sku": "TEE", "quantity": 2}]}
    for _ in range(2):
        post(api, f"{path}/receive", payload, **{"Idempotency-Key": "r"})
    assert on_hand(shop["tee"], shop["north"]) == 2
    for _ in range(2):
        post(api, f"{path}/close", None, **{"Idempotency-Key": "c"})
    assert body(api.get(path))["status"] == "closed"
    create_body = {"from": "main", "to": "north", "lines": [{"sku": "TEE", "quantity": 1}]}
    for _ in range(2):
        post(api, TRANSFERS, create_body, **{"Idempotency-Key": "n"})
    assert Transfer.objects.count() == 2


def test_in_transit_units_cannot_be_sold(api, shop, company):
    from apps.inventory import services
    from apps.inventory.errors import InsufficientStock
    from apps.inventory.models import Door

    transfer = create(api, shop, lines=[{"sku": "TEE", "quantity": 10}])
    post(api, f"{TRANSFERS}/{transfer['id']}/ship")
    for location in (shop["main"], shop["north"]):
        with pytest.raises(InsufficientStock):
            services.sell(
                company=company,
                record=shop["tee"],
                location=location,
                quantity=1,
                door=Door.ROOTFI,
            )


def test_idempotent_retries_of_cancel(api, shop):
    transfer = create(api, shop)
    path = f"{TRANSFERS}/{transfer['id']}"
    post(api, f"{path}/ship")
    first = post(api, f"{path}/cancel", None, **{"Idempotency-Key": "x"})
    again = post(api, f"{path}/cancel", None, **{"Idempotency-Key": "x"})
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert on_hand(shop["tee"], shop["main"]) == 10
    assert StockMovement.objects.filter(reference=transfer["number"]).count() == 4


def test_lists_filter_by_status_and_cost_a_fixed_number_of_queries(
    api, shop, django_assert_max_num_queries
):
    for _ in range(4):
        create(api, shop)
    shipped = create(api, shop)
    post(api, f"{TRANSFERS}/{shipped['id']}/ship")
    with django_assert_max_num_queries(6):
        moving = body(api.get(TRANSFERS, {"status": "in_transit"}))["results"]
    assert [t["number"] for t in moving] == [shipped["number"]]
    assert len(body(api.get(TRANSFERS, {"status": "draft,in_transit"}))["results"]) == 5
