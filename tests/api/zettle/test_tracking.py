"""POST /organizations/self/inventory starts tracking a product;
DELETE /organizations/self/inventory/products/{productUuid} stops it."""

import pytest

from apps.inventory.models import InventoryRecord, OutboxEvent
from tests import factories

from .helpers import client, on_hand, product, send, stock, variants

pytestmark = pytest.mark.django_db
START = "/organizations/self/inventory"


@pytest.fixture
def api(write_key):
    return client(write_key)


def test_start_tracking_makes_a_trackable_record_for_every_variant(api, company):
    item = product(company, variants=3, tracked=False)
    store = factories.default_store(company)

    response = send(api, "POST", START, {"productUuid": str(item.uuid)})

    assert response.status_code == 200, response.content
    assert response.json() == {"locationUuid": str(store.uuid), "variants": []}
    records = InventoryRecord.objects.filter(company=company, item=item)
    assert sorted(r.variant_id for r in records) == [v.pk for v in variants(item)]
    assert all(r.is_trackable and r.status == "out_of_stock" for r in records)
    assert OutboxEvent.objects.filter(
        company=company, event_name="InventoryTrackingStarted", payload__productUuid=str(item.uuid)
    ).exists()


def test_stop_keeps_balances_which_reappear_when_tracking_restarts(api, company):
    store = factories.default_store(company)
    item = product(company, variants=2)
    first, _ = variants(item)
    stock(company, first, 5)

    response = api.delete(f"/organizations/self/inventory/products/{item.uuid}")

    assert response.status_code == 204
    assert response.content == b""
    assert not InventoryRecord.objects.filter(item=item, is_trackable=True).exists()
    assert on_hand(first, store) == 5
    balances = client_read(api)
    assert str(item.uuid) not in balances["trackedProducts"]
    assert balances["variants"] == []

    restarted = send(api, "POST", START, {"productUuid": str(item.uuid)})

    assert restarted.status_code == 200
    assert restarted.json()["variants"] == [
        {
            "locationUuid": str(store.uuid),
            "locationType": "STORE",
            "productUuid": str(item.uuid),
            "variantUuid": str(first.uuid),
            "balance": "5",
        }
    ]
    assert [v["variantUuid"] for v in client_read(api)["variants"]] == [str(first.uuid)]


def client_read(api):
    return api.get("/inventory").json()


def test_start_tracking_a_foreign_or_unknown_product_is_404(api, company, other_company):
    foreign = product(other_company, variants=1, tracked=False)

    for product_uuid in (str(foreign.uuid), "3fa85f64-5717-4562-b3fc-2c963f66afa6"):
        response = send(api, "POST", START, {"productUuid": product_uuid})
        assert response.status_code == 404
        assert response.json()["errorType"] == "ENTITY_NOT_FOUND"
        assert [v["propertyName"] for v in response.json()["violations"]] == ["productUuid"]
    assert not InventoryRecord.objects.filter(item=foreign).exists()


@pytest.mark.parametrize("value", ["nope", 5, None])
def test_start_tracking_without_a_product_uuid_is_400(api, value):
    response = send(api, "POST", START, {"productUuid": value})

    assert response.status_code == 400
    assert [v["propertyName"] for v in response.json()["violations"]] == ["productUuid"]


def test_stop_tracking_a_foreign_product_is_404_and_changes_nothing(api, other_company):
    foreign = product(other_company, variants=1)

    response = api.delete(f"/organizations/self/inventory/products/{foreign.uuid}/")

    assert response.status_code == 404
    assert InventoryRecord.objects.get(item=foreign).is_trackable
