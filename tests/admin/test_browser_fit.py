"""Issue 14, "at 1366 px every list fits without cutting off columns", checked on the demo's
data for every list and page a stock manager works in (the superuser's view: it has the
most columns), and on a phone: no page scrolls sideways, the dashboard's cards sit two to a
row, the inventory list is one card per record and Edit quantities' inputs are a thumb
high. Found cut off before: the purchase order, transfer, count and delivery lists behind
the menu sidebar, the inventory list's locations, the dashboard's "Last counted" and its
fifth card, the item page's variants (the whole page scrolled)."""

import pytest

from apps.catalog.models import Item
from apps.operations.models import PurchaseOrder, Transfer

from .screen import DESKTOP, PHONE, boxes, no_sideways_scroll, open_page, read_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RECORDS = "/admin/inventory/inventoryrecord/"

# Each shown table against the box that holds it: wider means columns hidden behind the
# box's edge (the admin lets a list scroll inside `.results`).
TABLES = """() => [...document.querySelectorAll('table')].filter(t => t.offsetParent !== null)
  .map(t => ({id: t.id || t.className, width: t.scrollWidth, box: t.parentElement.clientWidth}))"""

LISTS = [
    "/admin/inventory/inventoryrecord/",
    "/admin/inventory/inventoryrecord/?status=low_stock",
    "/admin/inventory/stockmovement/",
    "/admin/inventory/stockalert/",
    "/admin/operations/purchaseorder/",
    "/admin/operations/transfer/",
    "/admin/counts/count/",
    "/admin/catalog/item/",
    "/admin/catalog/variant/",
    "/admin/locations/location/",
    "/admin/webhooks/delivery/",
]


def _pages(demo):
    order = PurchaseOrder.objects.filter(company=demo).order_by("id").first()
    transfer = Transfer.objects.filter(company=demo).order_by("id").first()
    item = Item.objects.get(company=demo, sku="ZOOT-SUIT")
    return [
        "/admin/",
        f"/admin/catalog/item/{item.pk}/change/",
        f"/admin/operations/purchaseorder/{order.pk}/change/",
        f"/admin/operations/transfer/{transfer.pk}/change/",
        "/admin/inventory/inventoryrecord/reorder-report/",
        "/admin/inventory/inventoryrecord/bulk-edit/?status=low_stock",
    ]


def test_every_list_and_page_fits_1366_px(browser, live_server, demo):
    page = open_page(browser, live_server, DESKTOP, "/admin/")
    for path in LISTS + _pages(demo):
        page.goto(f"{live_server.url}{path}")
        no_sideways_scroll(page, DESKTOP)
        for table in page.evaluate(TABLES):
            assert table["width"] <= table["box"] + 1, (path, table)
    page.goto(f"{live_server.url}/admin/")
    cards = boxes(page, ".ae-card")
    assert len(cards) == 5 and len({round(box["top"]) for box in cards}) == 1  # one row


def test_the_stock_pages_on_a_phone_do_not_scroll_sideways(browser, live_server, demo):
    page = open_page(browser, live_server, PHONE, "/admin/")
    for path in [*_pages(demo), "/admin/inventory/inventoryrecord/"]:
        page.goto(f"{live_server.url}{path}")
        no_sideways_scroll(page, PHONE)
    page.goto(f"{live_server.url}/admin/")
    cards = boxes(page, ".ae-card")
    assert round(cards[0]["top"]) == round(cards[1]["top"])  # two to a row
    latest = read_row(page, ".ae-latest tbody tr")
    assert "on hand after" in latest, latest


def test_the_inventory_list_on_a_phone_is_a_card_per_record(browser, live_server, demo):
    page = open_page(
        browser, live_server, PHONE, "/admin/inventory/inventoryrecord/?status=low_stock"
    )
    first = read_row(page, "#result_list tbody tr")
    for words in ("Low stock", "on hand", "available", "reorder at"):
        assert words in first, first
    for selector in (".field-sku", ".field-status_badge", ".field-on_hand", ".field-available"):
        for box in boxes(page, f"#result_list tbody tr {selector}")[:10]:
            assert box["left"] >= 0 and box["right"] <= PHONE["width"] and not box["clipped"], box


def test_edit_quantities_on_a_phone_has_thumb_high_inputs(browser, live_server, demo):
    page = open_page(
        browser, live_server, PHONE, "/admin/inventory/inventoryrecord/bulk-edit/?status=low_stock"
    )
    inputs = boxes(page, "#bulk-rows input[type=text]")[:10]
    assert inputs
    for box in inputs:
        assert box["left"] >= 0 and box["right"] <= PHONE["width"], box
        assert box["height"] >= 44 and box["font"] >= 16, box
    assert "here" in read_row(page, "#bulk-rows tbody tr")
