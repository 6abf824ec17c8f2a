"""Balance reads: `{locationUuid, trackedProducts, variants, latest}`, non-zero balances of
tracked products only, `balance` as a string."""

from datetime import UTC, datetime, timedelta

import pytest

from apps.inventory import services
from apps.inventory.models import Door, InventoryRecord, StockLevel
from tests import factories

from .helpers import client, product, record_of, send, stock, variants

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(write_key):
    return client(write_key)


@pytest.fixture
def shop(company, other_company):
    """Two tracked products with stock, one tracked with none, one untracked with stock
    history, and another company's stock."""
    store = factories.default_store(company)
    shirts = product(company, variants=2)
    small, large = variants(shirts)
    socks = product(company, variants=1)
    (pair,) = variants(socks)
    empty = product(company, variants=1)
    hidden = product(company, variants=1)
    (hidden_variant,) = variants(hidden)
    stock(company, small, 42)
    stock(company, pair, 1337)
    stock(company, hidden_variant, 9)
    services.stop_tracking(company=company, item=hidden)
    foreign = product(other_company, variants=1)
    stock(other_company, variants(foreign)[0], 5)
    return {
        "store": store,
        "shirts": shirts,
        "small": small,
        "large": large,
        "socks": socks,
        "pair": pair,
        "empty": empty,
    }


def entry(store, item, variant, balance):
    return {
        "locationUuid": str(store.uuid),
        "locationType": "STORE",
        "productUuid": str(item.uuid),
        "variantUuid": str(variant.uuid),
        "balance": balance,
    }


def latest_millis(store) -> int:
    """The last change of a level at `store` or of a record holding one."""
    levels = StockLevel.objects.filter(location=store)
    moment = max(
        *levels.values_list("updated_at", flat=True),
        *levels.values_list("record__updated_at", flat=True),
    )
    return int(moment.timestamp() * 1000)


def expected(shop):
    store = shop["store"]
    return {
        "locationUuid": str(store.uuid),
        "trackedProducts": [str(shop[k].uuid) for k in ("shirts", "socks", "empty")],
        "variants": [
            entry(store, shop["shirts"], shop["small"], "42"),
            entry(store, shop["socks"], shop["pair"], "1337"),
        ],
        "latest": latest_millis(store),
    }


def test_inventory_answers_the_default_store(api, shop):
    response = api.get("/inventory")

    assert response.status_code == 200
    assert response.json() == expected(shop)


def test_balances_of_a_location_by_uuid(api, shop):
    response = api.get(f"/organizations/self/inventory/locations/{shop['store'].uuid}")

    assert response.status_code == 200
    assert response.json() == expected(shop)


def test_balances_of_a_location_type(api, shop, company):
    store_type = api.get("/organizations/self/inventory/locations?type=STORE")
    sold_type = api.get("/organizations/self/inventory/locations/?type=SOLD")

    assert store_type.status_code == 200
    assert store_type.json() == expected(shop)
    assert sold_type.status_code == 200
    assert sold_type.json()["locationUuid"] == str(factories.virtual(company).sold.uuid)
    assert sold_type.json()["variants"] == []


@pytest.mark.parametrize("query", ["", "?type=", "?type=SHELF"])
def test_a_missing_or_unknown_location_type_is_400(api, query):
    response = api.get(f"/organizations/self/inventory/locations{query}")

    assert response.status_code == 400
    assert [v["propertyName"] for v in response.json()["violations"]] == ["type"]


def test_balances_of_one_product_at_a_location(api, shop):
    store = shop["store"]

    response = api.get(
        f"/organizations/self/inventory/locations/{store.uuid}/products/{shop['shirts'].uuid}"
    )

    assert response.status_code == 200
    assert response.json() == {
        "locationUuid": str(store.uuid),
        "variants": [entry(store, shop["shirts"], shop["small"], "42")],
    }


def test_balances_of_listed_products_by_location_type_even_with_a_read_only_key(
    shop, read_key, other_company
):
    store = shop["store"]
    foreign = product(other_company, variants=1)

    response = send(
        client(read_key),
        "POST",
        "/organizations/self/inventory/products",
        {
            "locationType": "STORE",
            "productUuids": [str(shop["socks"].uuid), str(shop["empty"].uuid), str(foreign.uuid)],
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["trackedProducts"] == [str(shop["socks"].uuid), str(shop["empty"].uuid)]
    assert body["variants"] == [entry(store, shop["socks"], shop["pair"], "1337")]


def test_another_company_location_or_product_is_404(api, shop, other_company):
    foreign_store = factories.default_store(other_company)
    foreign = product(other_company, variants=1)
    store = shop["store"]

    for path in (
        f"/organizations/self/inventory/locations/{foreign_store.uuid}",
        f"/organizations/self/inventory/locations/{store.uuid}/products/{foreign.uuid}",
    ):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json()["errorType"] == "ENTITY_NOT_FOUND"


def test_since_lists_only_levels_changed_since_including_ones_that_fell_to_zero(api, shop, company):
    store = shop["store"]
    first = api.get("/inventory").json()
    earlier = datetime.now(UTC) - timedelta(days=1)
    StockLevel.objects.filter(location=store).update(updated_at=earlier)
    InventoryRecord.objects.filter(company=company).update(updated_at=earlier)
    services.sell(
        company=company,
        record=record_of(shop["pair"]),
        location=store,
        quantity=1337,
        door=Door.COMMAND,
    )

    changed = api.get("/inventory", {"since": first["latest"]})
    iso = api.get("/inventory", {"since": (earlier + timedelta(hours=1)).isoformat()})
    everything = api.get("/inventory", {"since": "0"})

    assert changed.status_code == 200
    assert changed.json()["variants"] == [entry(store, shop["socks"], shop["pair"], "0")]
    assert changed.json()["latest"] >= first["latest"]
    assert iso.json()["variants"] == changed.json()["variants"]
    assert len(everything.json()["variants"]) == 2
    assert api.get("/inventory").json()["variants"] == [
        entry(store, shop["shirts"], shop["small"], "42")
    ]


def test_since_lists_kept_balances_that_reappear_when_tracking_restarts(api, shop, company):
    store = shop["store"]
    send(api, "DELETE", f"/organizations/self/inventory/products/{shop['shirts'].uuid}")
    earlier = datetime.now(UTC) - timedelta(days=1)
    StockLevel.objects.filter(location=store).update(updated_at=earlier)
    InventoryRecord.objects.filter(company=company).update(updated_at=earlier)
    before = api.get("/inventory").json()

    restarted = send(
        api, "POST", "/organizations/self/inventory", {"productUuid": str(shop["shirts"].uuid)}
    )
    changed = api.get("/inventory", {"since": before["latest"] + 1})

    assert restarted.status_code == 200
    assert changed.json()["variants"] == [entry(store, shop["shirts"], shop["small"], "42")]
    assert changed.json()["latest"] > before["latest"]
    assert api.get("/inventory", {"since": changed.json()["latest"] + 1}).json()["variants"] == []


def test_since_that_is_no_date_is_400(api):
    response = api.get("/inventory", {"since": "yesterday"})

    assert response.status_code == 400
    assert [v["propertyName"] for v in response.json()["violations"]] == ["since"]


def test_reads_cost_a_fixed_number_of_queries(api, company, shop, django_assert_max_num_queries):
    for _ in range(15):
        item = product(company, variants=2)
        for variant in variants(item):
            stock(company, variant, 3)
    store = shop["store"]

    with django_assert_max_num_queries(8):
        response = api.get("/inventory")
    assert len(response.json()["variants"]) == 32
    with django_assert_max_num_queries(8):
        api.get(f"/organizations/self/inventory/locations/{store.uuid}")
    with django_assert_max_num_queries(8):
        api.get("/organizations/self/inventory/locations?type=STORE")


@pytest.mark.parametrize("since", ["99999999999999999999", "2024-13-45T00:00:00"])
def test_since_out_of_range_is_400(api, since):
    response = api.get("/inventory", {"since": since})

    assert response.status_code == 400
