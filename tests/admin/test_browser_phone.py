"""Issue 14, "the ledger and record page are usable on a phone": the ledger and a record's
page on the demo's eight weeks, at 390 x 844 (a phone) and at 1366 px. On the phone no page
scrolls sideways, a ledger row's time, SKU, change, locations and balance after are on screen
and not clipped, and the record page's figures and adjust form are inside the screen, a thumb
high, and work by touch. SAVE_SCREENSHOTS=1 refreshes docs/ledger-phone.png and
docs/record-phone.png."""

import pytest

from apps.inventory.models import InventoryRecord, Reason, StockMovement

from .screen import (
    DESKTOP,
    PHONE,
    boxes,
    inside_and_readable,
    no_sideways_scroll,
    open_page,
    read_row,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEDGER = "/admin/inventory/stockmovement/"
# The ledger list's key cells, and a record page's (the record's own SKU is its title).
LEDGER_CELLS = [".field-when", ".field-record_sku", ".field-units", ".field-on_hand_after"]
RECORD_CELLS = [".l-when", ".l-reason", ".l-units", ".l-after"]


def _busy_record(company):
    """A record with sales, a transfer and a count: a page with every kind of row."""
    return (
        InventoryRecord.objects.filter(company=company, movements__reason=Reason.TRANSFER_IN)
        .filter(movements__reason=Reason.SALE)
        .distinct()
        .order_by("id")
        .first()
    )


def test_the_ledger_on_a_phone_is_one_card_per_row(browser, live_server, demo, shots):
    page = open_page(browser, live_server, PHONE, f"{LEDGER}?reason__exact=sale")
    no_sideways_scroll(page, PHONE)
    page.screenshot(path=str(shots / "ledger-phone.png"), full_page=False)
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == min(100, StockMovement.objects.filter(reason=Reason.SALE).count())
    for selector in LEDGER_CELLS:
        inside_and_readable(boxes(page, f"#result_list tbody tr {selector}")[:20], PHONE)
    sale = StockMovement.objects.filter(reason=Reason.SALE).select_related("record").first()
    card = read_row(page, "#result_list tbody tr")
    for words in (sale.record.sku, f"-{sale.quantity}", f"on hand after {sale.quantity_after}"):
        assert words in card, card
    assert "from Downtown store" in card and "to Sold" in card, card
    # Links are tall enough to tap (WCAG 2.5.8: 24 px).
    assert min(box["height"] for box in boxes(page, ".field-record_sku a")[:20]) >= 24
    # The filters come after a page of rows: one tap from the top.
    page.tap("#jump-to-filters")
    page.wait_for_function(
        "() => document.querySelector('#changelist-filter').getBoundingClientRect().top < 844"
    )


def test_a_count_on_the_phone_reads_at_the_shelf_counted(browser, live_server, demo):
    page = open_page(browser, live_server, PHONE, f"{LEDGER}?reason__exact=count")
    card = read_row(page, "#result_list tbody tr")
    assert "Count: counted" in card and "at Downtown store" in card, card
    assert "from " not in card, card
    no_sideways_scroll(page, PHONE)


def test_the_ledger_at_1366_px_shows_every_column(browser, live_server, demo):
    page = open_page(browser, live_server, DESKTOP, LEDGER)
    no_sideways_scroll(page, DESKTOP)
    headers = boxes(page, "#result_list thead th")
    assert len(headers) == 11
    inside_and_readable(headers, DESKTOP, font=11)
    dates = boxes(page, "#result_list tbody .field-when .ae-nowrap")[:20]
    assert max(box["height"] for box in dates) < 24  # one line, not three
    assert not page.locator("#jump-to-filters").is_visible()  # the filters are beside
    table = page.evaluate(
        "() => [document.querySelector('#result_list').scrollWidth,"
        " document.querySelector('#result_list').closest('.results').clientWidth]"
    )
    assert table[0] <= table[1], table


def test_the_record_page_on_a_phone_shows_figures_and_adjusts_by_touch(
    browser, live_server, demo, shots
):
    record = _busy_record(demo)
    page = open_page(
        browser, live_server, PHONE, f"/admin/inventory/inventoryrecord/{record.pk}/change/"
    )
    no_sideways_scroll(page, PHONE)
    figures = boxes(page, ".ae-figure")
    assert len(figures) >= 5
    inside_and_readable(figures, PHONE)
    assert page.inner_text("#figure-quantity") == str(record.quantity)
    for selector in RECORD_CELLS:
        inside_and_readable(boxes(page, f"#ledger tbody tr {selector}")[:10], PHONE)
    transfer = read_row(page, "#ledger tbody tr", has_text="Transfer in")
    assert "from In transit to Downtown store" in transfer and "TR-" in transfer, transfer
    chart_labels = boxes(page, ".ae-chart .ae-label")
    assert min(box["height"] for box in chart_labels) >= 9  # legible, not 6 px
    # The adjust form: every field and the button inside the screen and a thumb high.
    controls = boxes(page, "#adjust-stock select, #adjust-stock input:not([type=hidden])")
    assert len(controls) == 6
    for box in controls:
        assert box["left"] >= 0 and box["right"] <= PHONE["width"], box
        assert box["height"] >= 44 and box["font"] >= 15, box
    page.screenshot(path=str(shots / "record-phone.png"), full_page=True)

    store = record.levels.get(location__store_code="3").location
    page.select_option("#id_location", str(store.pk))
    page.tap("#id_new_count")
    page.fill("#id_new_count", "7")
    page.tap("#adjust-stock input[type=submit]")
    page.wait_for_selector(".messagelist")
    record.refresh_from_db()
    assert page.inner_text("#figure-quantity") == str(record.quantity)
    assert record.levels.get(location=store).on_hand == 7
    first = read_row(page, "#ledger tbody tr")
    assert "Count: counted 7" in first and "at Downtown store" in first, first
    no_sideways_scroll(page, PHONE)


def test_the_record_page_at_1366_px_fits(browser, live_server, demo):
    record = _busy_record(demo)
    path = f"/admin/inventory/inventoryrecord/{record.pk}/change/"
    page = open_page(browser, live_server, DESKTOP, path)
    no_sideways_scroll(page, DESKTOP)
    headers = boxes(page, "#ledger thead th")
    assert len(headers) == 12
    inside_and_readable(headers, DESKTOP, font=10)
    inside_and_readable(boxes(page, ".ae-figure"), DESKTOP)
    # The desktop keeps its table: no phone card labels.
    assert "on hand after" not in read_row(page, "#ledger tbody tr")
