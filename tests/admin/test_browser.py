"""Real-browser tests: Playwright driving Debian's Chromium against a live server.

They skip, saying why, when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (CI),
where a missing browser fails. With SAVE_SCREENSHOTS=1 they refresh docs/record-page.png and
docs/dashboard.png (the README's pictures); otherwise screenshots go to a temporary folder, so
a test run never changes tracked files."""

import pytest

from apps.inventory import services
from apps.inventory.models import Door, StockMovement
from tests import factories

from .helpers import sell, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(db):
    company = factories.company("Demo Outfitters")
    main = factories.default_store(company)
    north = factories.store(company, name="North warehouse", store_code="7")
    tee = factories.record(company, sku="TEE-M-BLK", on_hand=30, reorder_level=12, name="M black")
    for units in (6, 5, 4, 7):
        tee = sell(tee, main, units)
    services.receive(company=company, record=tee, location=north, quantity=3, door=Door.ZETTLE)
    tee = sell(tee, north, 1)
    for n in range(6):
        factories.record(company, sku=f"CAP-{n}", on_hand=20 + n, reorder_level=5)
    boot = factories.record(company, sku="BOOT-9D", on_hand=2, reorder_level=4)
    sell(boot, main, 2)
    user = staff(company, username="maria")
    user.set_password("s3cret-pass")
    user.save()
    return {"company": company, "tee": tee, "main": main}


def _login(page, live_server):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", "s3cret-pass")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_filter_low_stock_and_adjust_a_count(browser, live_server, shop, shots):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    _login(page, live_server)
    page.screenshot(path=str(shots / "dashboard.png"), full_page=True)

    page.click("a.ae-card-low_stock")
    page.wait_for_selector("#result_list")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "TEE-M-BLK" in rows.first.inner_text()
    assert "Low stock" in rows.first.inner_text()

    page.click("#result_list tbody tr >> text=TEE-M-BLK")
    page.wait_for_selector("#adjust-stock")
    assert page.inner_text("#figure-quantity") == "10"
    page.select_option("#id_location", str(shop["main"].pk))
    page.fill("#id_new_count", "25")
    page.fill("#id_note", "shelf recount")
    page.click("#adjust-stock input[type=submit]")
    page.wait_for_selector(".messagelist")
    assert page.inner_text("#figure-quantity") == "27"
    first_row = page.locator("#ledger tbody tr").first.inner_text()
    assert "Count" in first_row and "17" in first_row and "shelf recount" in first_row
    assert "maria" in first_row
    movement = StockMovement.objects.filter(record=shop["tee"]).first()
    assert (movement.door, movement.quantity, movement.quantity_after) == ("admin", 17, 27)
    page.screenshot(path=str(shots / "record-page.png"), full_page=True)


def test_a_refused_change_shows_the_figures(browser, live_server, shop):
    page = browser.new_page()
    _login(page, live_server)
    page.goto(f"{live_server.url}/admin/inventory/inventoryrecord/{shop['tee'].pk}/change/")
    page.select_option("#id_location", str(shop["main"].pk))
    page.fill("#id_change", "-50")
    page.select_option("#id_reason", "writeoff")
    page.click("#adjust-stock input[type=submit]")
    page.wait_for_selector("#adjust-stock .errorlist")
    error = page.inner_text("#adjust-stock .errorlist")
    assert "Not enough stock of TEE-M-BLK at Main store: 8 on hand, 50 requested." in error
    assert page.inner_text("#figure-quantity") == "10"
