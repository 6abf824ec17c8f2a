"""A JSON list of updates is one transaction: all applied, or none with the first failure."""

from unittest import mock

import pytest
from rest_framework.test import APIClient

from apps.inventory import services
from apps.inventory.models import InventoryRecord
from tests import factories

from .helpers import demo, movements, on_hand, post, stock, variant

UPC_BODY = {"upc": "849632048260", "store": "3", "quantity": 12}
SKU_BODY = {"sku": "ZOOT-SUIT", "size": "34", "width": "D", "store": "3", "quantity": 44}


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def shop(company):
    return demo(company)


def test_a_list_applies_every_update_and_answers_each(client, company, write_key, shop):
    suit = variant(shop.zoot, "34", "D")
    stock(company, suit, shop.other_store, 3)

    response = post(client, write_key, [UPC_BODY, SKU_BODY, {**SKU_BODY, "store": "4"}])

    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "results": [
            {
                "success": True,
                "sku": "RF-TEE-M",
                "upc": "849632048260",
                "store": "3",
                "previous_quantity": 0,
                "quantity": 12,
            },
            {
                "success": True,
                "sku": "ZOOT-SUIT-34-D",
                "upc": None,
                "store": "3",
                "previous_quantity": 0,
                "quantity": 44,
            },
            {
                "success": True,
                "sku": "ZOOT-SUIT-34-D",
                "upc": None,
                "store": "4",
                "previous_quantity": 3,
                "quantity": 44,
            },
        ],
    }
    assert on_hand(shop.tee, shop.store) == 12
    assert on_hand(suit, shop.store) == 44
    assert on_hand(suit, shop.other_store) == 44
    assert InventoryRecord.objects.get(variant=suit).quantity == 88


def test_a_list_is_one_service_call(client, write_key, shop):
    with mock.patch(
        "apps.api.storefeed.feed.services.apply_changes", wraps=services.apply_changes
    ) as apply_changes:
        post(client, write_key, [UPC_BODY, SKU_BODY])

    assert apply_changes.call_count == 1
    counts = [c for c in apply_changes.call_args.kwargs["changes"] if isinstance(c, services.Count)]
    assert len(counts) == 2
    assert len({row.created_at for row in movements()}) == 1


def test_counting_one_product_twice_reports_each_previous_figure(client, write_key, shop):
    response = post(client, write_key, [UPC_BODY, {**UPC_BODY, "quantity": 5}])

    figures = [(r["previous_quantity"], r["quantity"]) for r in response.json()["results"]]
    assert figures == [(0, 12), (12, 5)]
    assert on_hand(shop.tee, shop.store) == 5


@pytest.mark.parametrize(
    ("index", "bad", "status", "error"),
    [
        (1, {"size": "34", "width": "D", "store": "3", "quantity": 1}, 400,
         "items[1]: Missing required field: sku"),
        (2, {**UPC_BODY, "quantity": -1}, 400, "items[2]: Invalid quantity: cannot be negative."),
        (2, "not an object", 400, "items[2]: Each inventory update must be a JSON object."),
        (1, {**UPC_BODY, "upc": "000000000017"}, 404,
         "items[1]: Product not found: upc 000000000017"),
        (2, {**SKU_BODY, "store": "404"}, 404, "items[2]: Store not found: 404"),
    ],
)  # fmt: skip
def test_the_first_failure_leads_with_its_index_and_nothing_is_applied(
    client, write_key, shop, index, bad, status, error
):
    body = [UPC_BODY, SKU_BODY, {**SKU_BODY, "store": "4"}]
    body[index] = bad

    response = post(client, write_key, body)

    assert response.status_code == status
    assert response.json() == {"error": error}
    assert not movements().exists()
    assert on_hand(shop.tee, shop.store) == 0


def test_only_the_first_failure_is_reported(client, write_key, shop):
    body = [UPC_BODY, {"quantity": 1}, {**UPC_BODY, "store": None}]

    response = post(client, write_key, body)

    assert response.json() == {"error": "items[1]: Missing required field: sku"}


def test_a_count_below_reserved_in_a_list_names_its_index(client, company, write_key, shop):
    suit = variant(shop.zoot, "34", "D")
    stock(company, suit, shop.store, 10, reserved=8)

    response = post(client, write_key, [UPC_BODY, {**SKU_BODY, "quantity": 2}])

    assert response.status_code == 409
    assert response.json()["error"].startswith("items[1]: ")
    assert on_hand(shop.tee, shop.store) == 0
    assert on_hand(suit, shop.store) == 10
    assert not movements().exists()


def test_a_failure_leaves_no_new_record_behind(client, write_key, shop):
    response = post(client, write_key, [UPC_BODY, {**SKU_BODY, "store": "nowhere"}])

    assert response.status_code == 404
    assert not InventoryRecord.objects.exists()


def test_an_empty_list_changes_nothing(client, write_key, shop):
    response = post(client, write_key, [])

    assert response.status_code == 200
    assert response.json() == {"success": True, "results": []}


def test_at_most_1000_objects(client, write_key, shop):
    response = post(client, write_key, [UPC_BODY] * 1001)

    assert response.status_code == 400
    assert response.json() == {"error": "At most 1000 objects per request; got 1001."}
    assert not movements().exists()


def test_1000_objects_are_accepted(client, write_key, shop):
    response = post(client, write_key, [{**UPC_BODY, "quantity": n} for n in range(1000)])

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1000
    assert on_hand(shop.tee, shop.store) == 999


def test_a_list_costs_a_few_queries_whatever_its_length(
    client, company, write_key, shop, django_assert_max_num_queries
):
    for n in range(200):
        factories.item(
            company,
            sku=f"SHOE-{n}",
            variants=[
                {
                    "sku": f"SHOE-{n}-9-W",
                    "upc": f"{400000000000 + n}",
                    "attributes": {"size": "9", "width": "W"},
                }
            ],
        )
    body = [{"upc": f"{400000000000 + n}", "store": "3", "quantity": 1} for n in range(100)]
    body += [
        {"sku": f"SHOE-{n}", "size": "9", "width": "w", "store": "4", "quantity": 2}
        for n in range(100, 200)
    ]

    # 200 objects, a few set-based queries (bulk inserts come in batches on SQLite)
    with django_assert_max_num_queries(40):
        response = post(client, write_key, body)

    assert response.status_code == 200
    assert movements().count() == 200
