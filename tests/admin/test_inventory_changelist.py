import csv
import io

import pytest
from django.utils import timezone

from apps.catalog.models import Item
from apps.inventory import services
from apps.inventory.importexport.columns import COLUMNS
from apps.inventory.models import InventoryRecord, StockAlert
from tests import factories

from .helpers import CHANGELIST, listed_skus, sell, staff, superuser


@pytest.fixture
def shop(company):
    """In stock, low, out, untracked and deleted records, in two stores."""
    north = factories.store(company, name="North", store_code="N")
    records = {
        "in": factories.record(
            company, sku="IN-1", on_hand=40, reorder_level=5, upc="012345678905"
        ),
        "low": factories.record(company, sku="LOW-1", on_hand=2, reorder_level=5, name="Wide"),
        "out": factories.record(company, sku="OUT-1", on_hand=3, reorder_level=3),
        "north": factories.record(company, sku="NORTH-1", on_hand=9, location=north),
        "untracked": factories.record(company, sku="UNT-1", on_hand=1),
        "deleted": factories.record(company, sku="DEL-1", on_hand=4),
    }
    records["out"] = sell(records["out"], factories.default_store(company), 3)
    services.stop_tracking(company=company, item=records["untracked"].item)
    InventoryRecord.objects.filter(pk=records["deleted"].pk).update(
        rootfi_deleted_at=timezone.now()
    )
    Item.objects.filter(pk=records["north"].item_id).update(type=Item.Type.SERVICE)
    Item.objects.filter(pk=records["low"].item_id).update(status=Item.Status.DRAFT)
    records["north_store"] = north
    return records


@pytest.fixture
def admin_client(client, db):
    client.force_login(superuser())
    return client


def test_columns_show_figures_badge_and_locations(admin_client, shop):
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<span class="ae-badge ae-low_stock">Low stock</span>' in body
    assert '<span class="ae-badge ae-out_of_stock">Out of stock</span>' in body
    assert "North:&nbsp;9" in body
    assert "Main store:&nbsp;40" in body
    # Live records only by default.
    assert listed_skus(response) == {"IN-1", "LOW-1", "OUT-1", "NORTH-1", "UNT-1"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=low_stock", {"LOW-1"}),
        ("status=out_of_stock", {"OUT-1"}),
        ("needs_reorder=yes", {"LOW-1", "OUT-1"}),
        ("needs_reorder=no", {"IN-1", "NORTH-1", "UNT-1"}),
        ("is_trackable__exact=0", {"UNT-1"}),
        ("item_type=SERVICE", {"NORTH-1"}),
        ("item_status=DRAFT", {"LOW-1"}),
        ("open_alert=yes", {"LOW-1", "OUT-1"}),
        ("open_alert=no", {"IN-1", "NORTH-1", "UNT-1"}),
        ("deleted=yes", {"DEL-1"}),
        ("deleted=all", {"IN-1", "LOW-1", "OUT-1", "NORTH-1", "UNT-1", "DEL-1"}),
        ("q=low-1", {"LOW-1"}),
        ("q=012345678905", {"IN-1"}),
        ("q=wide", {"LOW-1"}),
    ],
)
def test_filters_and_search(admin_client, shop, query, expected):
    response = admin_client.get(f"{CHANGELIST}?{query}")
    assert response.status_code == 200
    assert listed_skus(response) == expected


def test_location_filter_lists_records_held_there(admin_client, shop):
    response = admin_client.get(f"{CHANGELIST}?location={shop['north_store'].pk}")
    assert listed_skus(response) == {"NORTH-1"}


def test_search_by_item_name(admin_client, shop):
    name = shop["out"].item.name
    response = admin_client.get(CHANGELIST, {"q": name.upper()})
    assert listed_skus(response) == {"OUT-1"}


def test_sortable_by_quantity(admin_client, shop):
    response = admin_client.get(CHANGELIST, {"o": "4"})  # the quantity column, ascending
    quantities = [r.quantity for r in response.context["cl"].result_list]
    assert quantities == sorted(quantities)
    response = admin_client.get(CHANGELIST, {"o": "-4"})
    quantities = [r.quantity for r in response.context["cl"].result_list]
    assert quantities == sorted(quantities, reverse=True)


def _act(client, action, records):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [r.pk for r in records]})


def test_mark_and_clear_discontinued_go_through_the_service(admin_client, shop):
    low = shop["low"]
    response = _act(admin_client, "mark_discontinued", [low, shop["in"]])
    assert response.status_code == 302
    low.refresh_from_db()
    assert low.is_discontinued and low.status == "discontinued"
    # Leaving low stock closes its alert, as the service does.
    assert not StockAlert.objects.filter(record=low, closed_at__isnull=True).exists()
    _act(admin_client, "clear_discontinued", [low])
    low.refresh_from_db()
    assert not low.is_discontinued and low.status == "low_stock"
    assert StockAlert.objects.filter(record=low, closed_at__isnull=True).count() == 1


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_export_selection_as_csv_in_the_imports_columns(admin_client, shop):
    response = _act(admin_client, "export_csv", [shop["low"], shop["in"]])
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert tuple(rows[0]) == COLUMNS
    by_sku = {row[3]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_sku) == {"LOW-1", "IN-1"}
    assert by_sku["LOW-1"]["quantity"] == "2" and by_sku["LOW-1"]["status"] == "low_stock"
    assert by_sku["IN-1"]["upc"] == "012345678905"


def test_export_purchase_list(admin_client, company, shop):
    services.set_reorder(company=company, record=shop["in"], reorder_quantity=12)
    response = _act(
        admin_client, "export_purchase_list", [shop["low"], shop["out"], shop["north"], shop["in"]]
    )
    rows = _csv(response)
    assert rows[0] == ["sku", "item", "variant", "location", "suggested_reorder_quantity"]
    by_sku = {row[0]: row for row in rows[1:]}
    # No reorder quantity set: twice the reorder level less what is on hand.
    assert by_sku["LOW-1"][3:] == ["Main store", "8"]
    assert by_sku["OUT-1"][3:] == ["Main store", "6"]
    assert by_sku["NORTH-1"][3] == "North"
    assert by_sku["IN-1"][3:] == ["Main store", "12"]


def test_view_only_staff_cannot_run_change_actions(client, company, shop):
    client.force_login(staff(company, perms=("view",)))
    response = client.get(CHANGELIST)
    choices = dict(response.context["action_form"].fields["action"].choices)
    assert "mark_discontinued" not in choices and "export_csv" in choices
    _act(client, "mark_discontinued", [shop["low"]])
    shop["low"].refresh_from_db()
    assert not shop["low"].is_discontinued


def test_no_add_or_delete_of_records(admin_client, shop):
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    assert admin_client.get(f"{CHANGELIST}{shop['in'].pk}/delete/").status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "",
        "needs_reorder=yes",
        "location=1",
        "open_alert=yes",
        "q=SKU",
        "item_type=INVENTORY",
        "o=-4",
    ],
)
def test_changelist_queries_do_not_grow_with_rows(
    admin_client, company, django_assert_max_num_queries, query
):
    for n in range(15):
        factories.record(company, on_hand=n % 4, reorder_level=2)
    with django_assert_max_num_queries(12):
        response = admin_client.get(f"{CHANGELIST}?{query}")
    assert response.status_code == 200
