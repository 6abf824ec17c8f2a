"""POST /api/product/inventory with one object: the seed's payloads, lookups and figures."""

import pytest
from rest_framework.test import APIClient

from apps.inventory.models import Door, InventoryRecord, Reason
from apps.tenancy.models import ApiKey
from tests import factories

from .helpers import URL, demo, movements, on_hand, post, stock, variant


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def shop(company):
    return demo(company)


def test_seed_upc_payload_sets_the_count(client, company, write_key, shop):
    response = post(client, write_key, {"upc": "849632048260", "store": "3", "quantity": 12})

    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "sku": "RF-TEE-M",
        "upc": "849632048260",
        "store": "3",
        "previous_quantity": 0,
        "quantity": 12,
    }
    assert on_hand(shop.tee, shop.store) == 12
    assert InventoryRecord.objects.get(variant=shop.tee).quantity == 12


def test_seed_sku_size_width_payload_sets_the_count(client, company, write_key, shop):
    body = {"sku": "ZOOT-SUIT", "size": "34", "width": "D", "store": "3", "quantity": 44}

    response = post(client, write_key, body)

    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "sku": "ZOOT-SUIT-34-D",
        "upc": None,
        "store": "3",
        "previous_quantity": 0,
        "quantity": 44,
    }
    assert on_hand(variant(shop.zoot, "34", "D"), shop.store) == 44
    for size, width in (("34", "E"), ("36", "D"), ("36", "E")):
        assert on_hand(variant(shop.zoot, size, width), shop.store) == 0


def test_the_count_is_one_ledger_row_of_the_difference(client, company, write_key, shop):
    key = ApiKey.objects.get(company=company)
    stock(company, shop.tee, shop.store, 20)

    response = post(client, write_key, {"upc": "849632048260", "store": "3", "quantity": 12})

    assert response.json()["previous_quantity"] == 20
    assert response.json()["quantity"] == 12
    [row] = movements(shop.tee)
    assert (row.reason, row.door, row.quantity) == (Reason.COUNT, Door.STOREFEED, 8)
    assert row.from_location == shop.store
    assert row.to_location == factories.virtual(company).bin
    assert row.actor_api_key == key
    assert row.quantity_after == 12


def test_a_count_above_the_shelf_comes_from_the_supplier(client, company, write_key, shop):
    stock(company, shop.tee, shop.store, 5)

    post(client, write_key, {"upc": "849632048260", "store": "3", "quantity": 9})

    [row] = movements(shop.tee)
    assert (row.reason, row.quantity) == (Reason.COUNT, 4)
    assert row.from_location == factories.virtual(company).supplier
    assert row.to_location == shop.store


def test_an_unchanged_count_writes_no_movement(client, company, write_key, shop):
    stock(company, shop.tee, shop.store, 12)

    response = post(client, write_key, {"upc": "849632048260", "store": "3", "quantity": 12})

    assert response.status_code == 200
    assert response.json()["previous_quantity"] == 12
    assert response.json()["quantity"] == 12
    assert not movements().exists()


def test_trailing_slash_is_the_same_endpoint(client, write_key, shop):
    body = {"upc": "849632048260", "store": "3", "quantity": 3}

    response = post(client, write_key, body, url=URL + "/")

    assert response.status_code == 200
    assert on_hand(shop.tee, shop.store) == 3


def test_store_sent_as_a_number_is_read_as_its_text(client, write_key, shop):
    response = post(client, write_key, {"upc": "849632048260", "store": 3, "quantity": 7})

    assert response.status_code == 200
    assert response.json()["store"] == "3"
    assert on_hand(shop.tee, shop.store) == 7


def test_quantity_may_be_a_string_of_digits(client, write_key, shop):
    response = post(client, write_key, {"upc": "849632048260", "store": "3", "quantity": "15"})

    assert response.status_code == 200
    assert response.json()["quantity"] == 15
    assert on_hand(shop.tee, shop.store) == 15


def test_a_upc_a_matches_its_ean_13(client, write_key, shop):
    response = post(client, write_key, {"upc": "0849632048260", "store": "3", "quantity": 2})

    assert response.status_code == 200
    assert response.json()["upc"] == "849632048260"
    assert on_hand(shop.tee, shop.store) == 2


def test_an_ean_13_stored_matches_the_upc_a_sent(client, company, write_key, shop):
    factories.item(company, sku="CAP", variants=[{"sku": "CAP-1", "upc": "0012345678905"}])

    response = post(client, write_key, {"upc": "012345678905", "store": "3", "quantity": 4})

    assert response.status_code == 200
    assert response.json()["sku"] == "CAP-1"


def test_size_and_width_match_as_trimmed_case_insensitive_text(client, write_key, shop):
    body = {"sku": "ZOOT-SUIT", "size": " 36 ", "width": "e ", "store": "3", "quantity": 5}

    response = post(client, write_key, body)

    assert response.status_code == 200
    assert response.json()["sku"] == "ZOOT-SUIT-36-E"
    assert on_hand(variant(shop.zoot, "36", "E"), shop.store) == 5


def test_sku_may_be_the_variants_own_sku(client, write_key, shop):
    body = {"sku": "ZOOT-SUIT-36-D", "size": "36", "width": "D", "store": "3", "quantity": 6}

    response = post(client, write_key, body)

    assert response.status_code == 200
    assert on_hand(variant(shop.zoot, "36", "D"), shop.store) == 6


def test_figures_are_per_store_when_the_variant_is_in_two_stores(client, company, write_key, shop):
    suit = variant(shop.zoot, "34", "D")
    stock(company, suit, shop.store, 5)
    stock(company, suit, shop.other_store, 7)

    body = {"sku": "ZOOT-SUIT", "size": "34", "width": "D", "store": "3", "quantity": 10}
    response = post(client, write_key, body)

    assert response.json()["previous_quantity"] == 5
    assert response.json()["quantity"] == 10
    assert on_hand(suit, shop.store) == 10
    assert on_hand(suit, shop.other_store) == 7
    assert InventoryRecord.objects.get(variant=suit).quantity == 17

    body["store"] = "4"
    body["quantity"] = 0
    response = post(client, write_key, body)

    assert response.json()["previous_quantity"] == 7
    assert response.json()["quantity"] == 0
    assert InventoryRecord.objects.get(variant=suit).quantity == 10


def test_a_variant_without_a_record_gets_one(client, write_key, shop):
    assert not InventoryRecord.objects.filter(variant=shop.tee).exists()

    post(client, write_key, {"upc": "849632048260", "store": "3", "quantity": 1})

    record = InventoryRecord.objects.get(variant=shop.tee)
    assert (record.quantity, record.is_trackable) == (1, True)


def test_another_companys_key_cannot_see_or_set_these_products(
    client, company, other_company, other_key, shop
):
    factories.store(other_company, store_code="3")
    stock(company, shop.tee, shop.store, 20)

    by_upc = post(client, other_key, {"upc": "849632048260", "store": "3", "quantity": 1})
    by_sku = post(
        client,
        other_key,
        {"sku": "ZOOT-SUIT", "size": "34", "width": "D", "store": "3", "quantity": 1},
    )

    assert by_upc.status_code == 404
    assert by_upc.json() == {"error": "Product not found: upc 849632048260"}
    assert by_sku.status_code == 404
    assert by_sku.json() == {"error": "Product not found: sku ZOOT-SUIT, size 34, width D"}
    assert on_hand(shop.tee, shop.store) == 20
    assert not movements().exists()


def test_another_companys_store_code_is_unknown(client, company, other_company, write_key, shop):
    factories.store(other_company, store_code="99")

    response = post(client, write_key, {"upc": "849632048260", "store": "99", "quantity": 1})

    assert response.status_code == 404
    assert response.json() == {"error": "Store not found: 99"}
