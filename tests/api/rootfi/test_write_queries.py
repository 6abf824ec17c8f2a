"""The write path's query budgets (issue 10): a request is one engine call, so its cost does
not grow with the number of objects. Counts include BEGIN, COMMIT and SAVEPOINTs as
Django's CaptureQueriesContext sees them (COPY is not counted)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.inventory.models import InventoryRecord, StockLevel, StockMovement
from tests import factories

from .helpers import INVENTORIES, ITEMS, WAREHOUSE


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code < 300, response.content
    return len(captured)


def _items(company, count, start=0):
    return [factories.item(company, sku=f"Q-{start + i:04d}") for i in range(count)]


def _inventory_objects(items):
    return [
        {
            "item_id": item.platform_id,
            "quantity": 40,
            "reserved_quantity": 5,
            "reorder_level": 10,
            "reorder_quantity": 20,
            "addresses": [WAREHOUSE],
        }
        for item in items
    ]


def test_posting_inventories_costs_the_same_for_100_and_200_objects(api, company):
    first, second = (
        _inventory_objects(_items(company, 100)),
        _inventory_objects(_items(company, 200, 100)),
    )
    hundred = _queries(lambda: api.post(INVENTORIES, {"data": first}, format="json"))
    two_hundred = _queries(lambda: api.post(INVENTORIES, {"data": second}, format="json"))
    assert hundred <= 30, hundred
    assert two_hundred <= hundred + 5, (hundred, two_hundred)
    assert InventoryRecord.objects.filter(company=company, quantity=40).count() == 300
    # Each record born with stock and a reservation: two ledger rows, no more.
    assert StockMovement.objects.filter(company=company).count() == 600


def test_records_counted_at_the_default_store_read_it_once(api, company):
    """Objects with a quantity and no address are counted at the default store: reading it
    is one query for the request, not one per object."""
    first = [{"item_id": i.platform_id, "quantity": 7} for i in _items(company, 100)]
    second = [{"item_id": i.platform_id, "quantity": 7} for i in _items(company, 200, 100)]
    hundred = _queries(lambda: api.post(INVENTORIES, {"data": first}, format="json"))
    two_hundred = _queries(lambda: api.post(INVENTORIES, {"data": second}, format="json"))
    assert hundred <= 30, hundred
    assert two_hundred <= hundred + 5, (hundred, two_hundred)
    store = factories.default_store(company)
    assert StockLevel.objects.filter(location=store, on_hand=7).count() == 300


def test_posting_items_costs_the_same_for_100_and_200_objects(api, company):
    def items(count, start):
        return [
            {"name": f"Item {i}", "sku": f"IT-{start + i:04d}", "price": 9.5} for i in range(count)
        ]

    hundred = _queries(lambda: api.post(ITEMS, {"data": items(100, 0)}, format="json"))
    two_hundred = _queries(lambda: api.post(ITEMS, {"data": items(200, 100)}, format="json"))
    assert hundred <= 30, hundred
    assert two_hundred <= hundred + 5, (hundred, two_hundred)


@pytest.mark.parametrize(
    ("body", "budget"),
    [
        ({"quantity": 55}, 10),
        ({"quantity": 55, "reserved_quantity": 3, "reorder_level": 9, "reorder_quantity": 30}, 12),
    ],
)
def test_a_put_of_one_record_costs_a_few_queries(api, company, body, budget):
    record = factories.record(company, on_hand=20)
    url = f"{INVENTORIES}/{record.pk}"
    api.get(url)  # the key's first use of the minute records its last use: not this budget
    count = _queries(lambda: api.put(url, body, format="json"))
    assert count <= budget, count
    assert api.get(url).json()["quantity"] == 55
