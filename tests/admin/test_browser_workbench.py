"""Issue 14 in a real browser: the inventory list fits 1366 px; the bulk edit, the admin
import and the full export; the ledger filtered by date. With SAVE_SCREENSHOTS=1 they
refresh the closing note's pictures in docs/ (else into a temporary folder)."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from apps.inventory import services
from apps.inventory.models import Door, InventoryRecord, StockMovement
from tests import factories

from .helpers import sell, staff
from .test_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RECORDS = "/admin/inventory/inventoryrecord/"


@pytest.fixture
def store(db):
    company = factories.company("Demo Outfitters")
    main = factories.default_store(company)
    north = factories.store(company, name="North warehouse", store_code="7")
    for n in range(120):
        record = factories.record(
            company,
            sku=f"TRAI-{n:04d}-10-D",
            on_hand=20 + n % 40,
            reorder_level=12,
            name=f"10 D wide {n}",
            upc=f"4000000{n:05d}",
        )
        if n % 3 == 0:
            sell(record, main, 15 + n % 40)
        if n % 4 == 0:
            services.receive(
                company=company, record=record, location=north, quantity=5, door=Door.ZETTLE
            )
    record = InventoryRecord.objects.filter(company=company).first()
    record.item.name = "Trail runner with a rather long name, black and grey"
    record.item.save()
    user = staff(company, username="maria")
    user.set_password("s3cret-pass")
    user.save()
    return {"company": company, "main": main, "north": north}


def _widths(page) -> dict:
    """The table's full width against the box that shows it (the admin clips an overflowing
    table in a scrolling `.results` box, so a column can hide behind its edge)."""
    return page.evaluate(
        """() => {
          const table = document.querySelector('#result_list');
          const box = table.closest('.results') || table.parentElement;
          const last = [...table.querySelectorAll('thead th')].pop();
          return {table: table.scrollWidth, box: box.clientWidth,
                  lastRight: last.getBoundingClientRect().right,
                  boxRight: box.getBoundingClientRect().right,
                  viewport: document.documentElement.clientWidth,
                  page: document.documentElement.scrollWidth};
        }"""
    )


def _page(browser, live_server):
    page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    _login(page, live_server)
    return page


def test_the_inventory_list_fits_1366_px_without_cut_off_columns(
    browser, live_server, store, shots
):
    page = _page(browser, live_server)
    page.goto(f"{live_server.url}{RECORDS}")
    widths = _widths(page)
    page.screenshot(path=str(shots / "inventory-list-1366.png"), full_page=False)
    assert widths["table"] <= widths["box"], widths
    assert widths["lastRight"] <= widths["boxRight"] <= widths["viewport"], widths
    assert widths["page"] <= widths["viewport"], widths
    headers = [h.strip().upper() for h in page.locator("#result_list thead th").all_inner_texts()]
    assert "LOCATIONS" in headers and "REORDER QTY" in headers


def test_bulk_edit_of_one_locations_low_stock(browser, live_server, store, shots):
    page = _page(browser, live_server)
    page.goto(f"{live_server.url}{RECORDS}?status=low_stock&location={store['main'].pk}")
    low = InventoryRecord.objects.filter(company=store["company"], status="low_stock")
    page.click("#bulk-edit-link")
    page.wait_for_selector("#bulk-rows")
    rows = page.locator("#bulk-rows tbody tr")
    assert rows.count() == low.count() > 3
    first, second = low.order_by("-id")[:2]
    page.fill(f"input[name=count-{first.pk}]", "30")
    page.fill(f"input[name=change-{second.pk}]", "+12")
    page.select_option("#id_reason", "receipt")
    page.fill("#id_note", "Tuesday delivery")
    page.screenshot(path=str(shots / "bulk-edit.png"), full_page=False)
    page.click("#bulk-edit input[type=submit]")
    page.wait_for_selector(".messagelist")
    assert "Applied 2 changes" in page.inner_text(".messagelist")
    assert InventoryRecord.objects.get(pk=first.pk).quantity == 30
    assert InventoryRecord.objects.get(pk=second.pk).quantity == second.quantity + 12
    notes = StockMovement.objects.filter(note="Tuesday delivery", door="admin")
    assert notes.count() == 2


def _download(page, selector) -> list[dict]:
    with page.expect_download() as info:
        page.click(selector)
    text = Path(info.value.path()).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_full_export_then_the_admin_import(browser, live_server, store, shots, tmp_path):
    page = _page(browser, live_server)
    page.goto(f"{live_server.url}{RECORDS}")
    assert page.locator("#result_list tbody tr").count() == 100  # one page of 120 records
    rows = _download(page, "#export-link")
    assert len({r["sku"] for r in rows}) == 120  # the whole list, not the page

    target = next(r for r in rows if r["sku"] == "TRAI-0001-10-D" and r["store_code"] == "main")
    target["on_hand"], target["quantity"] = "44", ""
    edited = tmp_path / "stock.csv"
    with open(edited, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    page.click("#import-link")
    page.set_input_files("#id_file", str(edited))
    page.click("#import-upload input[type=submit]")
    page.wait_for_selector("#import-preview")
    assert "TRAI-0001-10-D" in page.inner_text("#import-preview")
    assert "main: 21 to 44" in page.inner_text("#import-preview")
    page.screenshot(path=str(shots / "import-preview.png"), full_page=False)
    assert InventoryRecord.objects.get(sku="TRAI-0001-10-D").quantity == 21  # a dry run
    page.click("#import-preview input[type=submit]")
    page.wait_for_selector(".messagelist")
    assert "Imported stock.csv" in page.inner_text(".messagelist")
    assert InventoryRecord.objects.get(sku="TRAI-0001-10-D").quantity == 44


def test_the_ledger_filtered_by_date(browser, live_server, store, shots):
    record = InventoryRecord.objects.get(sku="TRAI-0002-10-D")
    old = StockMovement.objects.filter(record=record).first()
    StockMovement.objects.create(  # a receipt of three weeks ago (insert-only ledger)
        company=record.company,
        record=record,
        from_location=old.from_location,
        to_location=old.to_location,
        quantity=4,
        reason="receipt",
        door="admin",
        created_at=timezone.now() - timedelta(days=21),
        to_on_hand_after=4,
        quantity_after=4,
        reserved_after=0,
    )
    page = _page(browser, live_server)
    page.goto(f"{live_server.url}/admin/inventory/stockmovement/")
    start = (timezone.localdate() - timedelta(days=28)).isoformat()
    end = (timezone.localdate() - timedelta(days=14)).isoformat()
    page.fill("input[name=created_from]", start)
    page.fill("input[name=created_to]", end)
    page.click(".ae-date-range input[type=submit]")
    page.wait_for_url(f"**created_from={start}**")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1 and "TRAI-0002-10-D" in rows.first.inner_text()
    widths = _widths(page)
    assert widths["table"] <= widths["box"], widths
    page.screenshot(path=str(shots / "ledger-by-date.png"), full_page=False)
    exported = _download(page, "#ledger-export-link")
    assert [(r["sku"], r["units"]) for r in exported] == [("TRAI-0002-10-D", "+4")]
