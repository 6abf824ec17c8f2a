"""Issue 14: lists sort by urgency where urgency exists: out of stock, then furthest below
the reorder level, not newest first."""

import pytest

from tests import factories

from .helpers import CHANGELIST, superuser


@pytest.fixture
def shop(company):
    return [
        factories.record(company, sku="LOW-BY-1", on_hand=9, reorder_level=10),
        factories.record(company, sku="OUT-SMALL", on_hand=0, reorder_level=2),
        factories.record(company, sku="LOW-BY-8", on_hand=2, reorder_level=10),
        factories.record(company, sku="FINE", on_hand=50, reorder_level=10),
        factories.record(company, sku="OUT-BIG", on_hand=0, reorder_level=20),
        factories.record(company, sku="LOW-BY-3", on_hand=2, reorder_level=5),
    ]


def _order(client, **query):
    return [r.sku for r in client.get(CHANGELIST, query).context["cl"].result_list]


def test_what_needs_reorder_lists_the_most_urgent_first(client, shop):
    client.force_login(superuser())
    assert _order(client, needs_reorder="yes") == [
        "OUT-BIG",
        "OUT-SMALL",
        "LOW-BY-8",
        "LOW-BY-3",
        "LOW-BY-1",
    ]


def test_low_stock_is_furthest_below_first_and_a_chosen_sort_wins(client, shop):
    client.force_login(superuser())
    assert _order(client, status="low_stock") == ["LOW-BY-8", "LOW-BY-3", "LOW-BY-1"]
    assert _order(client, status="low_stock", o="1") == ["LOW-BY-1", "LOW-BY-3", "LOW-BY-8"]


def test_a_set_too_large_to_sort_stays_newest_first(client, shop, monkeypatch):
    from apps.inventory.admin import records

    monkeypatch.setattr(records, "URGENCY_SORT_LIMIT", 2)
    client.force_login(superuser())
    assert _order(client, status="low_stock") == ["LOW-BY-3", "LOW-BY-8", "LOW-BY-1"]
