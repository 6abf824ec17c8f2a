import pytest

from apps.inventory import services
from apps.inventory.models import Door
from tests import factories

from .helpers import CHANGELIST, sell, staff

REPORT = f"{CHANGELIST}reorder-report/"


@pytest.fixture
def clerk(client, company):
    client.force_login(staff(company))
    return client


@pytest.fixture
def stock(company):
    north = factories.store(company, name="North")
    main = factories.default_store(company)
    low = factories.record(company, sku="LOW", on_hand=2, reorder_level=5)
    out = sell(
        factories.record(company, sku="OUT", on_hand=1, location=north, reorder_level=2), north, 1
    )
    split = factories.record(company, sku="SPLIT", on_hand=1, reorder_level=10, reorder_quantity=30)
    services.receive(company=company, record=split, location=north, quantity=3, door=Door.ADMIN)
    fine = factories.record(company, sku="FINE", on_hand=50, reorder_level=5)
    return {"north": north, "main": main, "low": low, "out": out, "split": split, "fine": fine}


def test_report_groups_records_needing_reorder_by_location(clerk, stock):
    response = clerk.get(REPORT)
    assert response.status_code == 200
    groups = {
        loc.name: [(r.sku, r.suggested_reorder_quantity) for r in rows]
        for loc, rows in response.context["groups"]
    }
    # SPLIT has most of its units at North, so it is bought once, for North.
    assert groups == {"Main store": [("LOW", 8)], "North": [("OUT", 4), ("SPLIT", 30)]}


def test_report_filtered_to_one_location(clerk, stock):
    response = clerk.get(REPORT, {"location": stock["north"].pk})
    skus = [r.sku for _, rows in response.context["groups"] for r in rows]
    assert skus == ["OUT", "SPLIT"]


def test_report_csv(clerk, stock):
    response = clerk.get(REPORT, {"format": "csv"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "sku,item,variant,location,suggested_reorder_quantity"
    assert sorted(
        line.split(",")[0] + "," + line.split(",")[-2] + "," + line.split(",")[-1]
        for line in lines[1:]
    ) == ["LOW,Main store,8", "OUT,North,4", "SPLIT,North,30"]


def test_dashboard_counts_link_to_filtered_lists(clerk, stock):
    response = clerk.get("/admin/")
    cards = {c["label"]: c for c in response.context["dash"]["cards"]}
    assert cards["Out of stock"]["count"] == 1
    assert cards["Low stock"]["count"] == 2
    assert cards["Open alerts"]["count"] == 3
    body = response.content.decode()
    assert f'href="{CHANGELIST}?status=out_of_stock"' in body
    followed = clerk.get(cards["Low stock"]["url"])
    assert {r.sku for r in followed.context["cl"].result_list} == {"LOW", "SPLIT"}
    followed = clerk.get(cards["Open alerts"]["url"])
    assert {r.sku for r in followed.context["cl"].result_list} == {"LOW", "SPLIT", "OUT"}
    latest = response.context["dash"]["latest"]
    assert (latest[0].record.sku, latest[0].reason) == ("FINE", "receipt")


def test_dashboard_queries_are_bounded(clerk, stock, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert clerk.get("/admin/").status_code == 200


def test_cards_count_what_they_list_and_what_is_on_order_drops_off_needs_reorder(clerk, stock):
    """An open order covering LOW kept it out of the "Low stock" card (1), while the card's
    link listed 2 and the alerts counted 3 beside 1 + 1: each card now counts its own list."""
    from apps.operations import services as operations

    operations.create_purchase_order(
        company=stock["low"].company,
        supplier=operations.find_or_create_supplier(company=stock["low"].company, name="Acme"),
        location=stock["main"],
        lines=[operations.OrderLine(stock["low"], 10)],
    )
    response = clerk.get("/admin/")
    cards = {c["label"]: c for c in response.context["dash"]["cards"]}
    counts = {label: card["count"] for label, card in cards.items()}
    assert counts == {"Out of stock": 1, "Low stock": 2, "Needs reorder": 2, "Open alerts": 3}
    for label, card in cards.items():
        listed = clerk.get(card["url"]).context["cl"].result_list
        assert len(listed) == card["count"], label
    needing = clerk.get(cards["Needs reorder"]["url"]).context["cl"].result_list
    assert {r.sku for r in needing} == {"OUT", "SPLIT"}
