"""Issue 14: the ledger is searchable by partial SKU, UPC and item name (any case),
filterable by a date range, and exportable as CSV for that range."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.inventory.models import Door, Reason, StockMovement
from tests import factories

LEDGER = "/admin/inventory/stockmovement/"


@pytest.fixture
def ledger(company, other_company):
    tee = factories.record(company, sku="TRAI-0000-10-D", on_hand=5, upc="012345678905")
    cap = factories.record(company, sku="CAP-RED", on_hand=2)
    factories.record(other_company, sku="TRAI-9999", on_hand=1)
    tee.item.name = "Trail runner black"
    tee.item.save()
    # An older row, as the engine wrote it weeks ago (the ledger is insert-only).
    old = StockMovement.objects.filter(record=cap).get()
    StockMovement.objects.create(
        company=company,
        record=cap,
        from_location=old.from_location,
        to_location=old.to_location,
        quantity=1,
        reason=Reason.RECEIPT,
        door=Door.ADMIN,
        created_at=timezone.now() - timedelta(days=20),
        to_on_hand_after=1,
        quantity_after=1,
        reserved_after=0,
    )
    return {"tee": tee, "cap": cap}


def _skus(response):
    return sorted(m.record.sku for m in response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("trai-0000", ["TRAI-0000-10-D"]),  # partial SKU, any case, not another company's
        ("45678905", ["TRAI-0000-10-D"]),  # part of the UPC
        ("TRAIL RUNNER", ["TRAI-0000-10-D"]),  # the item's name
        ("cap", ["CAP-RED", "CAP-RED"]),
        ("nothing", []),
    ],
)
def test_search_by_partial_sku_upc_and_item_name(clerk, ledger, term, expected):
    assert _skus(clerk.get(LEDGER, {"q": term})) == expected


def test_a_date_range_and_its_csv_export(clerk, ledger):
    today = timezone.localdate()
    week_ago = (today - timedelta(days=7)).isoformat()
    recent = clerk.get(LEDGER, {"created_from": week_ago, "created_to": today.isoformat()})
    assert _skus(recent) == ["CAP-RED", "TRAI-0000-10-D"]
    month = {
        "created_from": (today - timedelta(days=30)).isoformat(),
        "created_to": (today - timedelta(days=10)).isoformat(),
    }
    page = clerk.get(LEDGER, month)
    assert _skus(page) == ["CAP-RED"]
    html = page.content.decode()
    assert 'name="created_from" value="' + month["created_from"] in html
    assert "/admin/inventory/stockmovement/export/?created_from=" in html

    response = clerk.get(f"{LEDGER}export/", month)
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["sku"], r["reason"], r["units"], r["by"]) for r in rows] == [
        ("CAP-RED", "Receipt", "+1", "Admin")
    ]
    everything = clerk.get(f"{LEDGER}export/", {"q": "trai"})
    assert len(list(csv.reader(io.StringIO(b"".join(everything.streaming_content).decode())))) == 2


def test_a_bad_date_is_not_a_server_error(clerk, ledger):
    response = clerk.get(LEDGER, {"created_from": "yesterday"})
    assert response.status_code in (200, 302)
