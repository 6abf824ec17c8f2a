"""Query budgets of the Zettle and store feed writes (issue 10): one engine call a request,
so a 100-line request costs about what a 1-line one does. Counts include BEGIN, COMMIT and
SAVEPOINTs as Django's CaptureQueriesContext sees them in production: there a request's
transaction is BEGIN/COMMIT, which Django does not send as statements on PostgreSQL; inside
a test's transaction it becomes one SAVEPOINT/RELEASE pair, which `request_queries` leaves
out (every other savepoint counts)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.api.storefeed.helpers import URL as FEED
from tests.api.zettle.helpers import client, product, stock, variants

MOVES = "/organizations/self/inventory"


def request_queries(captured) -> int:
    sql = [q["sql"] for q in captured.captured_queries]
    outer = next((s for s in sql if s.startswith("SAVEPOINT")), None)
    if outer is None:
        return len(sql)
    name = outer.split()[1]
    return len([s for s in sql if s not in (f"SAVEPOINT {name}", f"RELEASE SAVEPOINT {name}")])


def _count(api, method, path, body, **headers) -> int:
    getattr(api, method)(path)  # the key's first use of the minute records its last use
    with CaptureQueriesContext(connection) as captured:
        response = getattr(api, method)(
            path, data=json.dumps(body), content_type="application/json", **headers
        )
    assert response.status_code == 200, response.content
    return request_queries(captured)


def _sales(company, lines):
    store, sold = factories.default_store(company), factories.virtual(company).sold
    changes = []
    for _ in range(lines):
        item = product(company, variants=1)
        (variant,) = variants(item)
        stock(company, variant, 10)
        changes.append(
            {
                "productUuid": str(item.uuid),
                "variantUuid": str(variant.uuid),
                "fromLocationUuid": str(store.uuid),
                "toLocationUuid": str(sold.uuid),
                "change": 1,
            }
        )
    return {"changes": changes}


@pytest.mark.parametrize(
    ("lines", "key", "budget"), [(1, None, 10), (1, "sale-1", 12), (100, None, 12)]
)
def test_a_zettle_movement_request_costs_a_few_queries(write_key, company, lines, key, budget):
    body = _sales(company, lines)
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    count = _count(client(write_key), "put", MOVES, body, **headers)
    assert count <= budget, count


def _feed_counts(company, lines):
    store = factories.store(company, store_code="3")
    bodies = []
    for n in range(lines):
        record = factories.record(company, sku=f"FEED-{n}", upc=f"0000000{n:05d}", on_hand=5)
        factories.receive(record, store, 2)
        bodies.append({"upc": record.variant.upc, "store": "3", "quantity": 7})
    return bodies


@pytest.mark.parametrize(("lines", "budget"), [(1, 10), (100, 12)])
def test_a_store_feed_count_costs_a_few_queries(write_key, company, lines, budget):
    bodies = _feed_counts(company, lines)
    body = bodies[0] if lines == 1 else bodies
    api = client(write_key)
    api.post(FEED, data="{}", content_type="application/json")
    with CaptureQueriesContext(connection) as captured:
        response = api.post(FEED, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert request_queries(captured) <= budget, request_queries(captured)


def test_the_key_s_store_comes_with_the_key(write_key, company):
    # Issue 10: "a key's store is resolved with the key". A key bound to no store speaks for
    # the default store, read in the key's own query, not in one of its own.
    api = client(write_key)
    body = _sales(company, 1)
    api.put(MOVES)  # the key's first use of the minute records its last use
    with CaptureQueriesContext(connection) as captured:
        response = api.put(MOVES, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    reading_locations = [
        q["sql"] for q in captured.captured_queries if 'FROM "locations_location"' in q["sql"]
    ]
    assert reading_locations == []  # the store, and the movement's SOLD (cached), were known
    assert "is_default" in captured.captured_queries[0]["sql"]  # the key's query
