"""A key bound to a store (`ApiKey.store`) speaks for that store in every Zettle read and
write; the company's other stores and any in-transit location name nothing here."""

import pytest

from apps.inventory.models import StockMovement
from apps.locations.models import Location
from apps.tenancy.models import ApiKey
from tests import factories

from .helpers import change, client, on_hand, product, record_of, send, stock, variants

pytestmark = pytest.mark.django_db

IN_TRANSIT = Location.Kind.IN_TRANSIT


@pytest.fixture
def depot(company):
    return factories.store(company, name="Depot", store_code="depot")


@pytest.fixture
def api(company, depot):
    _, secret = ApiKey.issue(company=company, store=depot)
    return client(secret)


@pytest.fixture
def goods(company, depot):
    item = product(company, variants=1)
    (variant,) = variants(item)
    stock(company, variant, 5)  # at the default store
    stock(company, variant, 9, location=depot)
    return item, variant


def test_movements_and_their_answer_speak_of_the_keys_store(company, api, depot, goods):
    item, variant = goods
    virtual = factories.virtual(company)
    main = factories.default_store(company)

    response = send(
        api,
        "PUT",
        "/organizations/self/inventory",
        {"changes": [change(item, variant, depot, virtual.sold, 2)]},
    )

    assert response.status_code == 200, response.content
    assert response.json() == {
        "locationUuid": str(depot.uuid),
        "variants": [
            {
                "locationUuid": str(depot.uuid),
                "locationType": "STORE",
                "productUuid": str(item.uuid),
                "variantUuid": str(variant.uuid),
                "balance": 7,
            }
        ],
    }
    assert (on_hand(variant, depot), on_hand(variant, main)) == (7, 5)

    response = send(
        api,
        "PUT",
        "/organizations/self/inventory",
        {"changes": [change(item, variant, main, virtual.sold, 1)]},
    )
    assert response.status_code == 404
    assert response.json()["violations"][0]["propertyName"] == "changes[0].fromLocationUuid"
    assert on_hand(variant, main) == 5


def test_bulk_and_tracking_answer_the_keys_store(company, api, depot, goods):
    item, variant = goods
    virtual = factories.virtual(company)

    response = send(
        api,
        "POST",
        "/organizations/self/v2/inventory/bulk",
        {
            "productChanges": [
                {
                    "productUuid": str(item.uuid),
                    "trackingStatusChange": "NO_CHANGE",
                    "variantChanges": [
                        {
                            "variantUuid": str(variant.uuid),
                            "fromLocationUuid": str(virtual.supplier.uuid),
                            "toLocationUuid": str(depot.uuid),
                            "change": 3,
                        }
                    ],
                }
            ]
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["locationUuid"] == str(depot.uuid)
    assert response.json()["variants"][0]["balance"] == 12

    response = send(api, "POST", "/organizations/self/inventory", {"productUuid": str(item.uuid)})
    assert response.status_code == 200
    assert response.json()["locationUuid"] == str(depot.uuid)
    assert [v["balance"] for v in response.json()["variants"]] == ["12"]


def test_balance_reads_are_the_keys_store_and_other_locations_are_not_found(
    company, api, depot, goods
):
    item, _ = goods
    main = factories.default_store(company)
    transit = Location.objects.get(company=company, kind=IN_TRANSIT)

    for path in ("/inventory", "/organizations/self/inventory/locations?type=STORE"):
        body = api.get(path).json()
        assert body["locationUuid"] == str(depot.uuid)
        assert [v["balance"] for v in body["variants"]] == ["9"]
    body = api.get(f"/organizations/self/inventory/locations/{depot.uuid}").json()
    assert [(v["locationUuid"], v["balance"]) for v in body["variants"]] == [(str(depot.uuid), "9")]
    for other in (main, transit):
        for path in (
            f"/organizations/self/inventory/locations/{other.uuid}",
            f"/organizations/self/inventory/locations/{other.uuid}/products/{item.uuid}",
        ):
            response = api.get(path)
            assert response.status_code == 404
            assert response.json()["errorType"] == "ENTITY_NOT_FOUND"
    response = api.get(f"/organizations/self/inventory/locations?type={IN_TRANSIT}")
    assert response.status_code == 400


def test_low_stock_levels_are_set_only_through_the_keys_store(company, api, depot, goods):
    item, variant = goods
    main = factories.default_store(company)
    body = {"productUuid": str(item.uuid), "variantUuid": str(variant.uuid), "lowStockLevel": 4}

    response = send(api, "PUT", f"/custom-low-stock/locations/{main.uuid}", body)
    assert response.status_code == 404
    assert record_of(variant).reorder_level is None

    response = send(api, "PUT", f"/custom-low-stock/locations/{depot.uuid}", body)
    assert response.status_code == 204
    assert record_of(variant).reorder_level == 4
    read = api.get(f"/custom-low-stock/v2/locations/{depot.uuid}")
    assert read.status_code == 200
    assert read.json()["locationUuid"] == str(depot.uuid)

    # An unbound key still names the default store.
    _, secret = ApiKey.issue(company=company)
    unbound = client(secret)
    response = send(unbound, "PUT", f"/custom-low-stock/locations/{depot.uuid}", body)
    assert response.status_code == 404
    assert send(unbound, "PUT", f"/custom-low-stock/locations/{main.uuid}", body).status_code == 204
    assert StockMovement.objects.filter(company=company, door="zettle").count() == 0
