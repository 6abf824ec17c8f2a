"""Products without a width, by SKU and size: `width` may be absent or empty; it is a missing
field only when it tells the variants of that SKU and size apart."""

import pytest
from rest_framework.test import APIClient

from apps.inventory.models import Reason
from tests import factories

from .helpers import demo, movements, on_hand, post, variant

ZOOT_WIDTHS = "Missing required field: width (sku ZOOT-SUIT, size 34 comes in widths D, E)"


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def shop(company):
    """The demo's shop, plus a rain jacket in S, M and L (apparel: no width)."""
    shop = demo(company)
    shop.rain = factories.item(
        company,
        name="Rain jacket",
        sku="RAIN-0009",
        variants=[
            {"sku": f"RAIN-0009-{size}", "upc": f"84963204{n:04d}", "attributes": {"size": size}}
            for n, size in enumerate(("S", "M", "L"))
        ],
    )
    return shop


def rain(shop, size):
    return shop.rain.variants.get(attributes__size=size)


def test_the_issues_request_sets_the_count(client, write_key, shop):
    """Before: 400 {"error": "Missing required field: width"}."""
    body = {"sku": "RAIN-0009", "size": "M", "store": "3", "quantity": 5}

    response = post(client, write_key, body)

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "success": True,
        "sku": "RAIN-0009-M",
        "upc": "849632040001",
        "store": "3",
        "previous_quantity": 0,
        "quantity": 5,
    }
    assert on_hand(rain(shop, "M"), shop.store) == 5
    assert on_hand(rain(shop, "S"), shop.store) == 0
    (row,) = movements()
    assert (row.reason, row.quantity, row.record.variant_id) == (
        Reason.COUNT,
        5,
        rain(shop, "M").pk,
    )


@pytest.mark.parametrize("width", ["", "  ", None])
def test_an_empty_width_is_the_same_as_none(client, write_key, shop, width):
    body = {"sku": "RAIN-0009", "size": "l", "width": width, "store": "3", "quantity": 7}

    response = post(client, write_key, body)

    assert response.status_code == 200, response.json()
    assert response.json()["sku"] == "RAIN-0009-L"
    assert on_hand(rain(shop, "L"), shop.store) == 7


def test_variants_differing_by_width_need_it_and_are_listed(client, write_key, shop):
    for body in (
        {"sku": "ZOOT-SUIT", "size": "34", "store": "3", "quantity": 44},
        {"sku": "ZOOT-SUIT", "size": "34", "width": "", "store": "3", "quantity": 44},
    ):
        response = post(client, write_key, body)

        assert response.status_code == 400
        assert response.json() == {"error": ZOOT_WIDTHS}
    assert not movements().exists()


def test_the_width_comes_before_a_missing_store_or_quantity(client, write_key, shop):
    """The feed names the first missing field in the order sku, size, width, store,
    quantity."""
    no_store = post(client, write_key, {"sku": "ZOOT-SUIT", "size": "34", "quantity": 1})
    assert no_store.json() == {"error": ZOOT_WIDTHS}
    no_quantity = post(client, write_key, {"sku": "ZOOT-SUIT", "size": "34", "store": "3"})
    assert no_quantity.json() == {"error": ZOOT_WIDTHS}
    # Without a width in question, the store is the missing field.
    rain_no_store = post(client, write_key, {"sku": "RAIN-0009", "size": "M", "quantity": 1})
    assert rain_no_store.status_code == 400
    assert rain_no_store.json() == {"error": "Missing required field: store"}
    bad = post(client, write_key, {"sku": "RAIN-0009", "size": "M", "store": "3", "quantity": -1})
    assert bad.json() == {"error": "Invalid quantity: cannot be negative."}
    # A missing store is still refused before an unknown product is looked for.
    unknown = post(client, write_key, {"sku": "NO-SUCH", "size": "M", "quantity": 1})
    assert unknown.json() == {"error": "Missing required field: store"}
    assert not movements().exists()


def test_the_variant_without_a_width_is_the_one_named(client, company, write_key, shop):
    """A SKU and size with a no-width variant and a wide one: no width names the former."""
    wide = shop.rain.variants.create(
        company=company, sku="RAIN-0009-M-WIDE", attributes={"size": "M", "width": "W"}
    )
    body = {"sku": "RAIN-0009", "size": "M", "store": "3", "quantity": 2}

    assert post(client, write_key, body).json()["sku"] == "RAIN-0009-M"
    assert post(client, write_key, {**body, "width": "w"}).json()["sku"] == wide.sku


def test_the_only_variant_of_a_sku_and_size_needs_no_width(client, company, write_key, shop):
    factories.item(
        company,
        sku="BOOT-1",
        variants=[
            {"sku": "BOOT-1-9-D", "attributes": {"size": "9", "width": "D"}},
            {"sku": "BOOT-1-10-2E", "attributes": {"size": "10", "width": "2E"}},
        ],
    )
    body = {"sku": "BOOT-1", "size": "10", "store": "3", "quantity": 3}

    response = post(client, write_key, body)

    assert response.status_code == 200, response.json()
    assert response.json()["sku"] == "BOOT-1-10-2E"


def test_two_variants_of_one_width_still_conflict(client, company, write_key, shop):
    shop.rain.variants.create(company=company, sku="RAIN-0009-M-BIS", attributes={"size": "M"})
    body = {"sku": "RAIN-0009", "size": "M", "store": "3", "quantity": 2}

    response = post(client, write_key, body)

    assert response.status_code == 409
    assert response.json() == {
        "error": "Several products match sku RAIN-0009, size M: RAIN-0009-M, RAIN-0009-M-BIS"
    }


def test_a_width_the_product_has_not_is_not_found(client, write_key, shop):
    body = {"sku": "RAIN-0009", "size": "M", "width": "D", "store": "3", "quantity": 2}
    response = post(client, write_key, body)
    assert response.status_code == 404
    assert response.json() == {"error": "Product not found: sku RAIN-0009, size M, width D"}
    unknown = post(
        client, write_key, {"sku": "RAIN-0009", "size": "XL", "store": "3", "quantity": 1}
    )
    assert unknown.status_code == 404
    assert unknown.json() == {"error": "Product not found: sku RAIN-0009, size XL"}


def test_in_a_list_the_first_failing_entry_leads(client, write_key, shop):
    ok = {"sku": "RAIN-0009", "size": "S", "store": "3", "quantity": 1}
    cases = [
        ([ok, {"sku": "ZOOT-SUIT", "size": "34", "store": "3", "quantity": 1}], 400,
         f"items[1]: {ZOOT_WIDTHS}"),
        ([{"sku": "ZOOT-SUIT", "size": "34"}, {"size": "M"}], 400, f"items[0]: {ZOOT_WIDTHS}"),
        ([ok, {"sku": "RAIN-0009", "size": "M"}, {"size": "M"}], 400,
         "items[1]: Missing required field: store"),
        ([{"sku": "NO-SUCH", "size": "M", "store": "3", "quantity": 1},
          {"sku": "ZOOT-SUIT", "size": "34"}], 404,
         "items[0]: Product not found: sku NO-SUCH, size M"),
    ]  # fmt: skip
    for body, status, message in cases:
        response = post(client, write_key, body)

        assert response.status_code == status, body
        assert response.json() == {"error": message}
    assert not movements().exists()

    both = post(client, write_key, [ok, {**ok, "size": "M", "width": ""}])
    assert both.status_code == 200, both.json()
    assert [r["sku"] for r in both.json()["results"]] == ["RAIN-0009-S", "RAIN-0009-M"]


def test_footwear_with_a_width_is_unchanged(client, write_key, shop):
    body = {"sku": "ZOOT-SUIT", "size": "36", "width": "E", "store": "3", "quantity": 9}
    response = post(client, write_key, body)
    assert response.status_code == 200
    assert on_hand(variant(shop.zoot, "36", "E"), shop.store) == 9
