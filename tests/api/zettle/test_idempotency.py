"""Idempotency-Key on Zettle writes: a repeat replays the first answer and moves nothing,
another request under the key is 409, two identical requests at once make one movement."""

import threading

import pytest
from django.db import close_old_connections, connection
from rest_framework.test import APIClient

from apps.inventory.models import StockMovement
from tests import factories

from .helpers import change, client, ledger_size, on_hand, product, send, variants

PATH = "/organizations/self/inventory"


def receipt(company, units):
    item = product(company, variants=1)
    (variant,) = variants(item)
    virtual = factories.virtual(company)
    store = factories.default_store(company)
    return variant, store, {"changes": [change(item, variant, virtual.supplier, store, units)]}


@pytest.mark.django_db
def test_a_repeat_replays_the_first_answer_byte_for_byte_and_moves_nothing(company, write_key):
    api = client(write_key)
    variant, store, body = receipt(company, 5)

    first = send(api, "PUT", PATH, body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = send(api, "PUT", PATH, body, HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert on_hand(variant, store) == 5
    assert ledger_size(company) == 1


@pytest.mark.django_db
def test_another_request_under_the_same_key_is_409_and_moves_nothing(company, write_key):
    api = client(write_key)
    _, _, body = receipt(company, 5)
    _, _, other = receipt(company, 7)
    send(api, "PUT", PATH, body, HTTP_IDEMPOTENCY_KEY="k-2")

    response = send(api, "PUT", PATH, other, HTTP_IDEMPOTENCY_KEY="k-2")

    assert response.status_code == 409
    assert response.json()["errorType"] == "IDEMPOTENCY_CONFLICT"
    assert ledger_size(company) == 1


@pytest.mark.django_db
def test_a_refused_request_leaves_its_key_free_for_a_retry(company, write_key):
    api = client(write_key)
    item = product(company, variants=1)
    (variant,) = variants(item)
    virtual = factories.virtual(company)
    store = factories.default_store(company)
    body = {"changes": [change(item, variant, store, virtual.sold, 2)]}

    refused = send(api, "PUT", PATH, body, HTTP_IDEMPOTENCY_KEY="k-3")
    send(api, "PUT", PATH, receipt_for(item, variant, virtual.supplier, store, 2))
    retried = send(api, "PUT", PATH, body, HTTP_IDEMPOTENCY_KEY="k-3")

    assert refused.status_code == 409
    assert retried.status_code == 200
    assert on_hand(variant, store) == 0


def receipt_for(item, variant, source, target, units):
    return {"changes": [change(item, variant, source, target, units)]}


@pytest.mark.django_db
def test_keys_guard_bulk_tracking_and_low_stock_writes_too(company, write_key):
    api = client(write_key)
    item = product(company, variants=1, tracked=False)
    store = factories.default_store(company)
    supplier = factories.virtual(company).supplier
    (variant,) = variants(item)
    bulk = {
        "productChanges": [
            {
                "productUuid": str(item.uuid),
                "trackingStatusChange": "START_TRACKING",
                "variantChanges": [
                    {
                        "variantUuid": str(variant.uuid),
                        "fromLocationUuid": str(supplier.uuid),
                        "toLocationUuid": str(store.uuid),
                        "change": 3,
                    }
                ],
            }
        ]
    }

    for _ in range(2):
        response = send(
            api, "POST", "/organizations/self/v2/inventory/bulk", bulk, HTTP_IDEMPOTENCY_KEY="b"
        )
        assert response.status_code == 200
    assert on_hand(variant, store) == 3
    low = {"productUuid": str(item.uuid), "variantUuid": str(variant.uuid), "lowStockLevel": 1}
    for _ in range(2):
        response = send(
            api, "PUT", f"/custom-low-stock/locations/{store.uuid}", low, HTTP_IDEMPOTENCY_KEY="l"
        )
        assert response.status_code == 204


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_once_make_one_movement():
    company = factories.company()
    _, secret = factories.api_key(company)
    variant, store, body = receipt(company, 5)
    barrier = threading.Barrier(2)
    answers, errors = [], []

    def put():
        try:
            api = client(secret)
            barrier.wait()
            answers.append(send(api, "PUT", PATH, body, HTTP_IDEMPOTENCY_KEY="same"))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=put) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].content == answers[1].content
    assert sum(a.has_header("Idempotent-Replayed") for a in answers) == 1
    assert on_hand(variant, store) == 5
    assert StockMovement.objects.filter(company=company).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sales_through_the_door_never_oversell():
    company = factories.company()
    _, secret = factories.api_key(company)
    item = product(company, variants=1)
    (variant,) = variants(item)
    store = factories.default_store(company)
    sold = factories.virtual(company).sold
    send(
        client(secret),
        "PUT",
        PATH,
        receipt_for(item, variant, factories.virtual(company).supplier, store, 10),
    )
    barrier = threading.Barrier(6)
    codes, errors = [], []

    def sell():
        try:
            api = client(secret)
            barrier.wait()
            for _ in range(3):
                codes.append(
                    send(api, "PUT", PATH, receipt_for(item, variant, store, sold, 1)).status_code
                )
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=sell) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sorted(codes) == [200] * 10 + [409] * 8
    assert on_hand(variant, store) == 0


def test_self_and_the_organization_uuid_are_one_endpoint_for_a_key(company, write_key):
    item = factories.item(company, sku="IDEM-ORG")
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {write_key}")
    body = {"productUuid": str(item.uuid)}

    first = client.post(
        "/organizations/self/inventory", body, format="json", HTTP_IDEMPOTENCY_KEY="org-1"
    )
    again = client.post(
        f"/organizations/{company.uuid}/inventory",
        body,
        format="json",
        HTTP_IDEMPOTENCY_KEY="org-1",
    )

    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
