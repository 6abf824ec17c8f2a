"""POST /organizations/self/v2/inventory/bulk: tracking changes and movements of many
products in one transaction."""

import pytest

from apps.inventory.models import InventoryRecord, StockMovement
from tests import factories

from .helpers import client, ledger_size, on_hand, product, send, stock, variants

pytestmark = pytest.mark.django_db
PATH = "/organizations/self/v2/inventory/bulk"


@pytest.fixture
def api(write_key):
    return client(write_key)


def variant_change(variant, source, target, units):
    return {
        "variantUuid": str(variant.uuid),
        "fromLocationUuid": str(source.uuid),
        "toLocationUuid": str(target.uuid),
        "change": units,
    }


def test_start_tracking_and_set_balances_in_one_request(api, company):
    store = factories.default_store(company)
    supplier = factories.virtual(company).supplier
    item = product(company, variants=2, tracked=False)
    first, second = variants(item)

    response = send(
        api,
        "POST",
        PATH,
        {
            "returnBalanceForLocationUuid": str(store.uuid),
            "productChanges": [
                {
                    "productUuid": str(item.uuid),
                    "trackingStatusChange": "START_TRACKING",
                    "variantChanges": [
                        variant_change(first, supplier, store, 42),
                        variant_change(second, supplier, store, "1337"),
                    ],
                }
            ],
        },
    )

    assert response.status_code == 200, response.content
    assert response.json() == {
        "locationUuid": str(store.uuid),
        "variants": [
            {"productUuid": str(item.uuid), "variantUuid": str(first.uuid), "balance": 42},
            {"productUuid": str(item.uuid), "variantUuid": str(second.uuid), "balance": 1337},
        ],
    }
    assert all(r.is_trackable for r in InventoryRecord.objects.filter(item=item))


def test_tracking_only_answers_no_variants(api, company):
    store = factories.default_store(company)
    item = product(company, variants=2, tracked=False)

    response = send(
        api,
        "POST",
        PATH,
        {
            "returnBalanceForLocationUuid": str(store.uuid),
            "productChanges": [
                {"productUuid": str(item.uuid), "trackingStatusChange": "START_TRACKING"}
            ],
        },
    )

    assert response.status_code == 200
    assert response.json() == {"locationUuid": str(store.uuid), "variants": []}
    assert InventoryRecord.objects.filter(item=item, is_trackable=True).count() == 2


def test_only_variants_whose_balance_changed_at_the_location_are_answered(api, company):
    store = factories.default_store(company)
    virtual = factories.virtual(company)
    shirts = product(company, variants=2)
    small, large = variants(shirts)
    socks = product(company, variants=1)
    (pair,) = variants(socks)
    stock(company, small, 10)

    response = send(
        api,
        "POST",
        PATH,
        {
            "productChanges": [
                {
                    "productUuid": str(shirts.uuid),
                    "trackingStatusChange": "NO_CHANGE",
                    "variantChanges": [
                        variant_change(small, store, virtual.sold, 3),
                        # Received and sold in one request: touched, balance unchanged.
                        variant_change(large, virtual.supplier, store, 7),
                        variant_change(large, store, virtual.sold, 7),
                    ],
                },
                {
                    "productUuid": str(socks.uuid),
                    "variantChanges": [variant_change(pair, virtual.supplier, store, 2)],
                },
            ]
        },
    )

    assert response.status_code == 200, response.content
    assert response.json() == {
        "locationUuid": str(store.uuid),
        "variants": [
            {"productUuid": str(shirts.uuid), "variantUuid": str(small.uuid), "balance": 7},
            {"productUuid": str(socks.uuid), "variantUuid": str(pair.uuid), "balance": 2},
        ],
    }
    assert on_hand(large, store) == 0


def test_a_failing_movement_undoes_the_tracking_changes_and_other_movements(api, company):
    store = factories.default_store(company)
    virtual = factories.virtual(company)
    fresh = product(company, variants=1, tracked=False)
    (fresh_variant,) = variants(fresh)
    stocked = product(company, variants=1)
    (stocked_variant,) = variants(stocked)
    stock(company, stocked_variant, 1)
    before = ledger_size(company)

    response = send(
        api,
        "POST",
        PATH,
        {
            "productChanges": [
                {
                    "productUuid": str(fresh.uuid),
                    "trackingStatusChange": "START_TRACKING",
                    "variantChanges": [variant_change(fresh_variant, virtual.supplier, store, 5)],
                },
                {
                    "productUuid": str(stocked.uuid),
                    "variantChanges": [variant_change(stocked_variant, store, virtual.sold, 2)],
                },
            ]
        },
    )

    assert response.status_code == 409
    assert response.json()["errorType"] == "INSUFFICIENT_STOCK"
    assert [v["propertyName"] for v in response.json()["violations"]] == [
        "productChanges[1].variantChanges[0].change"
    ]
    assert ledger_size(company) == before
    assert not InventoryRecord.objects.filter(item=fresh).exists()
    assert on_hand(stocked_variant, store) == 1


def test_stop_tracking_in_bulk_keeps_balances_and_refuses_moves_of_that_product(api, company):
    store = factories.default_store(company)
    virtual = factories.virtual(company)
    item = product(company, variants=1)
    (variant,) = variants(item)
    stock(company, variant, 4)

    stopped = send(
        api,
        "POST",
        PATH,
        {
            "productChanges": [
                {"productUuid": str(item.uuid), "trackingStatusChange": "STOP_TRACKING"}
            ]
        },
    )
    moved = send(
        api,
        "POST",
        PATH,
        {
            "productChanges": [
                {
                    "productUuid": str(item.uuid),
                    "variantChanges": [variant_change(variant, store, virtual.sold, 1)],
                }
            ]
        },
    )
    restarted = send(
        api,
        "POST",
        PATH,
        {
            "productChanges": [
                {
                    "productUuid": str(item.uuid),
                    "trackingStatusChange": "START_TRACKING",
                    "variantChanges": [variant_change(variant, store, virtual.sold, 1)],
                }
            ]
        },
    )

    assert stopped.status_code == 200
    assert moved.status_code == 422
    assert moved.json()["errorType"] == "PRODUCT_NOT_TRACKED"
    # productUuid belongs to the product change, not to its variant change.
    assert [v["propertyName"] for v in moved.json()["violations"]] == [
        "productChanges[0].productUuid"
    ]
    assert restarted.status_code == 200
    assert restarted.json()["variants"][0]["balance"] == 3
    assert StockMovement.objects.filter(record__variant=variant, door="zettle").count() == 1


def test_a_never_tracked_product_is_422_naming_its_product_change(api, company):
    store = factories.default_store(company)
    tracked = product(company, variants=1)
    never = product(company, variants=1, tracked=False)
    (tracked_variant,) = variants(tracked)
    (never_variant,) = variants(never)
    supplier = factories.virtual(company).supplier

    response = send(
        api,
        "POST",
        PATH,
        {
            "productChanges": [
                {
                    "productUuid": str(tracked.uuid),
                    "variantChanges": [variant_change(tracked_variant, supplier, store, 2)],
                },
                {
                    "productUuid": str(never.uuid),
                    "variantChanges": [variant_change(never_variant, supplier, store, 1)],
                },
            ]
        },
    )

    assert response.status_code == 422, response.content
    assert response.json()["errorType"] == "PRODUCT_NOT_TRACKED"
    assert [v["propertyName"] for v in response.json()["violations"]] == [
        "productChanges[1].productUuid"
    ]
    assert on_hand(tracked_variant, store) == 0
    assert ledger_size(company) == 0


def test_unknown_product_and_bad_tracking_value(api, company, other_company):
    foreign = product(other_company, variants=1, tracked=False)

    missing = send(
        api,
        "POST",
        PATH,
        {
            "productChanges": [
                {"productUuid": str(foreign.uuid), "trackingStatusChange": "START_TRACKING"}
            ]
        },
    )
    wrong = send(
        api,
        "POST",
        PATH,
        {"productChanges": [{"productUuid": str(foreign.uuid), "trackingStatusChange": "MAYBE"}]},
    )

    assert missing.status_code == 404
    assert [v["propertyName"] for v in missing.json()["violations"]] == [
        "productChanges[0].productUuid"
    ]
    assert wrong.status_code == 400
    assert [v["propertyName"] for v in wrong.json()["violations"]] == [
        "productChanges[0].trackingStatusChange"
    ]
    assert not InventoryRecord.objects.filter(item=foreign).exists()


def test_more_than_1000_movement_lines_is_400(api, company):
    store = factories.default_store(company)
    supplier = factories.virtual(company).supplier
    item = product(company, variants=1)
    (variant,) = variants(item)
    line = variant_change(variant, supplier, store, 1)

    response = send(
        api,
        "POST",
        PATH,
        {
            "productChanges": [
                {"productUuid": str(item.uuid), "variantChanges": [line] * 600},
                {"productUuid": str(item.uuid), "variantChanges": [line] * 401},
            ]
        },
    )

    assert response.status_code == 400
    assert ledger_size(company) == 0
