"""Inventory writes: envelopes, absolute figures through the ledger, settings, refusals
that write nothing, If-Match and Idempotency-Key."""

import json

import pytest

from apps.inventory.models import (
    IdempotencyKey,
    InventoryRecord,
    Reason,
    StockAlert,
    StockLevel,
    StockMovement,
)
from apps.locations.models import Location
from tests import factories

from .helpers import INVENTORIES, ITEMS, WAREHOUSE, create_inventory, create_item, error_of


def url(record):
    return f"{INVENTORIES}/{record.pk if hasattr(record, 'pk') else record}"


def test_client_sends_back_what_it_read_with_only_quantity_changed(api, company):
    record = factories.record(company, on_hand=100, reserved=10, reorder_level=20)
    read = api.get(url(record)).json()
    read["quantity"] = 44
    response = api.put(url(record), {"data": [read]}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["quantity"], body["reserved_quantity"], body["available_quantity"]) == (44, 10, 34)
    assert body["status"] == "in_stock"
    movement = StockMovement.objects.filter(record_id=record.pk).order_by("-id").first()
    assert movement.reason == Reason.COUNT
    assert movement.quantity == 56
    assert movement.from_location == factories.default_store(company)
    assert movement.to_location.kind == Location.Kind.BIN
    assert movement.door == "rootfi"
    assert movement.quantity_after == 44


def test_unchanged_quantity_writes_no_ledger_row(api, company, ledger):
    record = factories.record(company, on_hand=10)
    before = ledger()
    assert api.patch(url(record), {"quantity": 10}, format="json").status_code == 200
    assert ledger() == before


def test_quantity_counts_at_the_named_warehouse(api, company):
    """Seed 000 pairs `quantity` with `warehouse_location`: "North now holds 100"."""
    north = factories.store(company, store_code="NORTH")
    record = factories.record(company, on_hand=10)
    factories.receive(record, north, 72)
    response = api.patch(
        url(record), {"quantity": 100, "warehouse_location": "NORTH"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["quantity"] == 110  # the record's total
    assert StockLevel.objects.get(record=record, location=north).on_hand == 100
    assert StockLevel.objects.get(record=record, location__is_default=True).on_hand == 10
    for name in (north.platform_id, str(north.pk)):  # every way of naming North
        response = api.patch(
            url(record), {"quantity": 40, "warehouse_location": name}, format="json"
        )
        assert response.status_code == 200, response.json()
        assert StockLevel.objects.get(record=record, location=north).on_hand == 40
    assert api.get(url(record)).json()["quantity"] == 50


def test_stock_in_several_locations_needs_a_warehouse(api, company, ledger):
    north = factories.store(company)
    record = factories.record(company, on_hand=10)
    from apps.inventory import services

    services.receive(company=company, record=record, location=north, quantity=3, door="command")
    before = ledger()
    error = error_of(api.patch(url(record), {"quantity": 5}, format="json"), 400)
    assert "warehouse_location" in error["fields"]
    assert ledger() == before
    error = error_of(
        api.patch(url(record), {"quantity": 5, "warehouse_location": "nowhere"}, format="json"),
        400,
    )
    assert "warehouse_location" in error["fields"]


def test_new_record_counts_at_default_store(api, company):
    item = create_item(api, sku="NEW-1")
    body = create_inventory(api, sku="NEW-1", quantity=7)
    assert body["quantity"] == 7
    assert body["variant_id"] == item["variants"][0]["platform_id"]
    assert [a["store_code"] for a in body["addresses"]] == ["main"]


def test_quantity_and_reserved_are_judged_together(api, company, ledger):
    record = factories.record(company, on_hand=100, reserved=10)
    # Lowering quantity below the current reservation is fine when reserved drops too.
    response = api.patch(url(record), {"quantity": 5, "reserved_quantity": 5}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["quantity"], response.json()["reserved_quantity"]) == (5, 5)

    before = ledger()
    error = error_of(
        api.patch(url(record), {"quantity": 3, "reserved_quantity": 4}, format="json"), 409
    )
    assert "3" in error["message"] and "4" in error["message"]
    assert error["figures"]["reserved_quantity"] == 4
    assert ledger() == before
    error = error_of(api.patch(url(record), {"quantity": 2}, format="json"), 409)
    assert error["code"] == "INSUFFICIENT_STOCK"
    assert ledger() == before
    assert api.get(url(record)).json()["quantity"] == 5


def test_reserved_quantity_becomes_reserve_and_release(api, company):
    record = factories.record(company, on_hand=10)
    api.patch(url(record), {"reserved_quantity": 4}, format="json")
    api.patch(url(record), {"reserved_quantity": 1}, format="json")
    reasons = list(
        StockMovement.objects.filter(record_id=record.pk)
        .order_by("id")
        .values_list("reason", "reserved_change")
    )
    assert reasons[-2:] == [(Reason.RESERVE, 4), (Reason.RELEASE, -3)]
    error = error_of(api.patch(url(record), {"reserved_quantity": 11}, format="json"), 409)
    assert error["code"] == "RESERVED_ABOVE_QUANTITY"


def test_status_and_settings(api, company):
    record = factories.record(company, on_hand=10)
    body = api.patch(url(record), {"status": "DISCONTINUED"}, format="json").json()
    assert body["status"] == "discontinued"
    body = api.patch(url(record), {"status": "in_stock", "reorder_level": 20}, format="json")
    assert body.json()["status"] == "low_stock"
    assert StockAlert.objects.filter(record_id=record.pk, closed_at__isnull=True).count() == 1
    body = api.patch(url(record), {"reorder_level": None, "reorder_quantity": 5}, format="json")
    assert (body.json()["status"], body.json()["reorder_quantity"]) == ("in_stock", 5)
    body = api.patch(url(record), {"is_trackable": False}, format="json").json()
    assert (body["status"], body["is_trackable"]) == ("unknown", False)
    error = error_of(api.patch(url(record), {"quantity": 3}, format="json"), 409)
    assert error["code"] == "PRODUCT_NOT_TRACKED"
    body = api.patch(url(record), {"is_trackable": True, "quantity": 3}, format="json").json()
    assert (body["status"], body["quantity"]) == ("in_stock", 3)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"quantity": -1}, "quantity"),
        ({"quantity": 1.5}, "quantity"),
        ({"quantity": "12"}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"reserved_quantity": -2}, "reserved_quantity"),
        ({"reorder_level": 2.5}, "reorder_level"),
        ({"status": "plenty"}, "status"),
        ({"is_trackable": "yes"}, "is_trackable"),
        ({"colour": "red"}, "colour"),
        ({"addresses": [{**WAREHOUSE, "country": "USA"}]}, "addresses[0].country"),
        ({"addresses": [{"rootfi_id": 999999}]}, "addresses[0].rootfi_id"),
        ({"addresses": [{"city": "Paris", "floor": 3}]}, "addresses[0].floor"),
        ({"raw_data": [1]}, "raw_data"),
    ],
)
def test_bad_input_is_400_naming_the_field(api, company, ledger, payload, field):
    record = factories.record(company, on_hand=10)
    before = ledger()
    read_before = api.get(url(record)).json()
    error = error_of(api.patch(url(record), payload, format="json"), 400)
    assert field in error["fields"], error
    assert ledger() == before
    assert api.get(url(record)).json() == read_before


def test_fractional_float_that_is_whole_is_accepted(api, company):
    record = factories.record(company, on_hand=10)
    assert api.patch(url(record), {"quantity": 12.0}, format="json").json()["quantity"] == 12


def test_service_owned_fields_are_ignored(api, company):
    record = factories.record(company, on_hand=10)
    response = api.patch(
        url(record),
        {
            "rootfi_id": 1,
            "rootfi_company_id": 999,
            "available_quantity": 1000,
            "data_hash": "x",
            "created_at": "2000-01-01",
            "updated_at": "2000-01-01",
            "rootfi_updated_at": "2000-01-01",
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["available_quantity"] == 10
    assert response.json()["rootfi_company_id"] == company.pk


def test_malformed_json_and_wrong_shapes(api, company):
    record = factories.record(company, on_hand=10)
    bad = api.generic("PATCH", url(record), "{not json", content_type="application/json")
    assert error_of(bad, 400)["code"] == "INVALID_JSON"
    error_of(api.generic("POST", INVENTORIES, "[1, 2]", content_type="application/json"), 400)
    error_of(api.post(INVENTORIES, {"data": "x"}, format="json"), 400)
    error_of(api.post(INVENTORIES, {"data": []}, format="json"), 400)
    error_of(api.post(INVENTORIES, {"data": [1]}, format="json"), 400)
    error_of(api.put(url(record), {"data": [{}, {}]}, format="json"), 400)


def test_a_write_without_a_body_is_400_not_an_update_of_nothing(api, company, ledger):
    record = factories.record(company, on_hand=10)
    before = api.get(url(record)).json()
    rows = ledger()
    for method, path in (("PATCH", url(record)), ("PUT", url(record)), ("POST", INVENTORIES)):
        error = error_of(api.generic(method, path, "", content_type="application/json"), 400)
        assert error["fields"] == {"body": "Empty."}
    # Django reads nothing of a chunked upload (no Content-Length): said so, not ignored.
    chunked = api.generic(
        "PATCH", url(record), "", content_type="application/json", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert "Content-Length" in error_of(chunked, 400)["message"]
    assert error_of(api.generic("PUT", f"{ITEMS}/{record.item_id}", ""), 400)["fields"]
    assert api.get(url(record)).json() == before and ledger() == rows


def test_body_limits(api, company):
    big = json.dumps({"data": [{"sku": "x" * 1000}] * 6000})
    assert error_of(api.generic("POST", INVENTORIES, big, content_type="application/json"), 413)
    many = {"data": [{"sku": f"S-{i}"} for i in range(1001)]}
    assert error_of(api.post(INVENTORIES, many, format="json"), 400)["code"] == "TOO_MANY_OBJECTS"


def test_create_by_each_id_form(api, company):
    items = [create_item(api, sku=f"C-{i}", platform_id=f"prod_{i}") for i in range(4)]
    by_variant_platform = create_inventory(api, variant_id=items[0]["variants"][0]["platform_id"])
    by_variant_rootfi = create_inventory(api, variant_id=items[1]["variants"][0]["rootfi_id"])
    by_item = create_inventory(api, item_id="prod_2")
    by_sku = create_inventory(api, sku="C-3", quantity=2)
    assert [b["item_id"] for b in (by_variant_platform, by_variant_rootfi, by_item, by_sku)] == [
        "prod_0",
        "prod_1",
        "prod_2",
        "prod_3",
    ]
    error = error_of(api.post(INVENTORIES, {"sku": "C-3"}, format="json"), 409)
    assert "variant_id" in error["fields"]
    assert "sku" in error_of(api.post(INVENTORIES, {"sku": "NOPE"}, format="json"), 400)["fields"]
    assert "variant_id" in error_of(api.post(INVENTORIES, {}, format="json"), 400)["fields"]


def test_several_objects_are_one_transaction(api, company, ledger):
    for i in range(3):
        create_item(api, sku=f"B-{i}")
    ok = api.post(
        INVENTORIES,
        {"data": [{"sku": "B-0", "quantity": 1}, {"sku": "B-1", "quantity": 2}]},
        format="json",
    )
    assert ok.status_code == 201
    assert [row["quantity"] for row in ok.json()["data"]] == [1, 2]

    before = ledger()
    records_before = InventoryRecord.objects.count()
    refused = api.post(
        INVENTORIES,
        {"data": [{"sku": "B-2", "quantity": 5}, {"sku": "MISSING", "quantity": 1}]},
        format="json",
    )
    error = error_of(refused, 400)
    assert "data[1].sku" in error["fields"]
    assert ledger() == before
    assert InventoryRecord.objects.count() == records_before


def test_addresses_match_or_create_locations(api, company):
    create_item(api, sku="A-1")
    create_item(api, sku="A-2")
    first = create_inventory(api, sku="A-1", addresses=[WAREHOUSE], quantity=4)
    (address,) = first["addresses"]
    assert address["quantity"] == 4
    # The same platform_id, or the same street/city/postal code/country, is the same place.
    by_street = {k: v for k, v in WAREHOUSE.items() if k != "platform_id"}
    second = create_inventory(api, sku="A-2", addresses=[by_street])
    assert second["addresses"][0]["rootfi_id"] == address["rootfi_id"]
    named = api.patch(
        f"{INVENTORIES}/{second['rootfi_id']}",
        {"addresses": [{"rootfi_id": address["rootfi_id"]}], "quantity": 9},
        format="json",
    ).json()
    assert named["addresses"][0]["quantity"] == 9
    assert Location.objects.filter(company=company, platform_id="loc_warehouse_001").count() == 1
    new_place = {**by_street, "street": "9 Other Rd", "type": "billing"}
    third = api.patch(
        f"{INVENTORIES}/{second['rootfi_id']}", {"addresses": [new_place]}, format="json"
    ).json()
    created = [a for a in third["addresses"] if a["street"] == "9 Other Rd"]
    assert created and created[0]["type"] == "billing" and created[0]["store_code"]


def test_address_match_ignores_case(api, company):
    create_item(api, sku="C-1")
    create_item(api, sku="C-2")
    by_street = {k: v for k, v in WAREHOUSE.items() if k != "platform_id"}
    first = create_inventory(api, sku="C-1", addresses=[by_street])
    shouted = {**by_street, "street": "123 WAREHOUSE ST", "city": "los angeles", "country": "us"}
    second = create_inventory(api, sku="C-2", addresses=[shouted])
    assert second["addresses"][0]["rootfi_id"] == first["addresses"][0]["rootfi_id"]
    assert Location.objects.filter(company=company, street__iexact="123 warehouse st").count() == 1


def test_unknown_enum_value_names_the_allowed_ones(api, company):
    record = factories.record(company, on_hand=1)
    error = error_of(api.patch(url(record), {"status": "Plenty"}, format="json"), 400)
    assert error["fields"]["status"] == (
        '"Plenty" is not one of in_stock, low_stock, out_of_stock, discontinued, unknown.'
    )
    error = error_of(api.post(ITEMS, {"name": "x", "type": ["GOODS"]}, format="json"), 400)
    assert "INVENTORY, NON_INVENTORY, SERVICE, DIGITAL, UNKNOWN" in error["fields"]["type"]


def test_record_variant_cannot_change(api, company):
    record = factories.record(company)
    other = factories.record(company)
    error = error_of(
        api.patch(url(record), {"variant_id": other.variant.platform_id}, format="json"), 400
    )
    assert "variant_id" in error["fields"]
    # The SKU is the variant's: one sent back with an update (read before a rename) is ignored.
    ignored = api.patch(url(record), {"sku": "NEW"}, format="json")
    assert ignored.status_code == 200
    assert ignored.json()["sku"] == record.sku


def test_delete_is_soft_and_keeps_figures(api, company):
    record = factories.record(company, on_hand=7)
    assert api.delete(url(record)).status_code == 204
    error_of(api.get(url(record)), 404)
    error_of(api.patch(url(record), {"quantity": 1}, format="json"), 404)
    error_of(api.delete(url(record)), 404)
    kept = InventoryRecord.objects.get(pk=record.pk)
    assert kept.rootfi_deleted_at is not None and kept.quantity == 7
    # The variant may be tracked again by a new record.
    again = create_inventory(api, variant_id=record.variant.platform_id)
    assert again["rootfi_id"] != record.pk and again["quantity"] == 0


def test_if_match(api, company, ledger):
    record = factories.record(company, on_hand=7)
    read = api.get(url(record))
    etag = read["ETag"]
    ok = api.patch(url(record), {"quantity": 8}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok["ETag"] == f'"{ok.json()["data_hash"]}"'
    before = ledger()
    stale = api.patch(url(record), {"quantity": 9}, format="json", HTTP_IF_MATCH=etag)
    assert error_of(stale, 412)["code"] == "PRECONDITION_FAILED"
    assert ledger() == before
    error_of(api.delete(url(record), HTTP_IF_MATCH=etag), 412)
    assert api.delete(url(record), HTTP_IF_MATCH=ok["ETag"]).status_code == 204


def test_idempotency_key(api, company, ledger):
    record = factories.record(company, on_hand=7)
    first = api.patch(url(record), {"quantity": 9}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    rows = ledger()
    replay = api.patch(url(record), {"quantity": 9}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert replay.status_code == 200 and replay.content == first.content
    assert replay["Idempotent-Replayed"] == "true"
    assert ledger() == rows
    other = api.patch(url(record), {"quantity": 2}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert error_of(other, 409)["code"] == "IDEMPOTENCY_CONFLICT"
    assert ledger() == rows
    create_item(api, sku="IK-1")
    made = api.post(INVENTORIES, {"sku": "IK-1"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    again = api.post(INVENTORIES, {"sku": "IK-1"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert made.status_code == again.status_code == 201
    assert made.json()["rootfi_id"] == again.json()["rootfi_id"]


def test_a_retried_delete_replays_its_204(api, company):
    """A client whose DELETE timed out retries it with the same Idempotency-Key: it gets the
    stored 204, not a 404 for the object it deleted."""
    record = factories.record(company, on_hand=0)
    item = create_item(api, sku="DEL-1")
    for path in (url(record), f"{ITEMS}/{item['rootfi_id']}"):
        first = api.delete(path, HTTP_IDEMPOTENCY_KEY=f"del-{path}")
        again = api.delete(path, HTTP_IDEMPOTENCY_KEY=f"del-{path}")
        assert first.status_code == again.status_code == 204
        assert again["Idempotent-Replayed"] == "true"
        assert error_of(api.delete(path), 404)["code"] == "NOT_FOUND"
        # A key first used on a missing object stores nothing: the 404 is not replayed.
        assert error_of(api.delete(path, HTTP_IDEMPOTENCY_KEY="fresh"), 404)
    assert IdempotencyKey.objects.filter(key="fresh").count() == 0


def test_new_address_moves_rootfi_updated_at(api, company, ledger):
    record = factories.record(company, on_hand=1)
    read = api.get(url(record)).json()
    rows = ledger()
    body = api.patch(url(record), {"addresses": [WAREHOUSE]}, format="json").json()
    assert len(body["addresses"]) == 2
    assert body["rootfi_updated_at"] > read["rootfi_updated_at"]
    assert body["data_hash"] != read["data_hash"]
    assert ledger() == rows
