import csv
import io
import json

import pytest
from django.core.management.base import CommandError

from tests import factories

from .helpers import run, stores


@pytest.fixture
def shop(company):
    _, north = stores(company)
    factories.record(company, sku="LOW", on_hand=3, reorder_level=5, reorder_quantity=12)
    factories.record(company, sku="OUT", reorder_level=4)  # never stocked: out of stock
    factories.record(company, sku="FINE", on_hand=50, reorder_level=5)
    factories.record(company, sku="NORTH", on_hand=1, reorder_level=3, location=north)
    return company


def test_json_lists_the_records_needing_reorder_with_suggestions_and_alerts(shop):
    out, _ = run("low_stock_report", company=shop.name, format="json")
    rows = {r["sku"]: r for r in json.loads(out)}
    assert set(rows) == {"LOW", "OUT", "NORTH"}
    low = rows["LOW"]
    assert {
        k: low[k]
        for k in (
            "location",
            "quantity",
            "reserved_quantity",
            "available_quantity",
            "status",
            "reorder_level",
            "reorder_quantity",
            "suggested_reorder_quantity",
        )
    } == {
        "location": "main",
        "quantity": 3,
        "reserved_quantity": 0,
        "available_quantity": 3,
        "status": "low_stock",
        "reorder_level": 5,
        "reorder_quantity": 12,
        "suggested_reorder_quantity": 12,
    }
    assert low["item"] and "variant" in low
    assert [a["kind"] for a in low["open_alerts"]] == ["low_stock"]
    assert rows["NORTH"]["suggested_reorder_quantity"] == 5  # 2 x 3 - 1
    assert rows["OUT"]["suggested_reorder_quantity"] == 8


def test_location_limits_the_report_to_that_store(shop):
    out, _ = run("low_stock_report", company=shop.name, format="csv", location="north")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["sku"], r["location"], r["on_hand"]) for r in rows] == [("NORTH", "north", "1")]


def test_table_names_the_records_and_counts_them(shop):
    out, _ = run("low_stock_report", company=shop.name)
    assert "LOW" in out and "NORTH" in out and "FINE" not in out
    assert "3 record(s) need reorder." in out


def test_bad_arguments_and_unknown_company(company):
    with pytest.raises(CommandError, match="Unknown company 'Nope'"):
        run("low_stock_report", company="Nope")
    with pytest.raises(CommandError, match="Unknown store code 'zz'"):
        run("low_stock_report", company=company.name, location="zz")
    with pytest.raises(CommandError, match="invalid choice: 'xml'"):
        run("low_stock_report", "--company", company.name, "--format", "xml")
