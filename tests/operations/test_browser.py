"""The operations' admin flows in a real browser (Playwright driving Debian's Chromium):
receiving a 3-line order, shipping and receiving a transfer. They skip, saying why, when
/usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (tests/admin/test_browser.py)."""

import pytest

from apps.inventory.models import StockMovement
from apps.operations.models import PurchaseOrder, Transfer
from tests import factories

from .helpers import on_hand, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(db):
    company = factories.company("Demo Outfitters")
    main = factories.default_store(company)
    north = factories.store(company, name="North warehouse", store_code="north")
    records = {
        "tee": factories.record(company, sku="TEE-M-BLK", on_hand=12),
        "cap": factories.record(company, sku="CAP-RED", on_hand=5, upc="012345678905"),
        "boot": factories.record(company, sku="BOOT-9D"),
    }
    staff(company, username="maria", password="s3cret-pass")
    return {"company": company, "main": main, "north": north, **records}


def _login(page, live_server):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", "s3cret-pass")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_receive_a_three_line_order(browser, live_server, shop):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    _login(page, live_server)
    page.goto(f"{live_server.url}/admin/operations/purchaseorder/add/")
    page.select_option("#id_location", label="North warehouse [north]")
    page.fill("#id_supplier", "Acme Textiles")
    page.fill("#id_lines", "TEE-M-BLK,10\n012345678905,6\nBOOT-9D,4")
    page.click("#create-order input[type=submit]")
    page.wait_for_selector("#order-lines")
    assert page.inner_text("#figure-outstanding") == "20"
    order = PurchaseOrder.objects.get()

    # Part of the delivery: the inputs hold what is outstanding; change one, receive.
    page.fill("input[aria-label='Receive BOOT-9D']", "1")
    page.click("#receive-form input[type=submit]")
    page.wait_for_selector(".messagelist")
    assert "partially received" in page.inner_text(".messagelist")
    assert page.inner_text("#figure-received") == "17"
    assert page.inner_text("#line-BOOT-9D .line-outstanding") == "3"

    # The rest in one click (clicked twice, as impatient hands do: the button disables
    # itself on submit and the server acts once per form token).
    page.dblclick("#action-receive_all input[type=submit]")
    page.wait_for_selector("#figure-outstanding:text-is('0')")
    assert (on_hand(shop["tee"], shop["north"]), on_hand(shop["boot"], shop["north"])) == (10, 4)
    rows = StockMovement.objects.filter(reference=order.number)
    assert sorted(r.quantity for r in rows) == [1, 3, 6, 10]
    assert {(r.reason, r.door) for r in rows} == {("receipt", "admin")}
    assert PurchaseOrder.objects.get().status == "received"


def test_ship_and_receive_a_transfer(browser, live_server, shop):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.on("dialog", lambda dialog: dialog.accept())
    _login(page, live_server)
    page.goto(f"{live_server.url}/admin/operations/transfer/add/")
    page.select_option("#id_from_location", label="Main store [main]")
    page.select_option("#id_to_location", label="North warehouse [north]")
    page.fill("#id_lines", "TEE-M-BLK,8\nCAP-RED,5")
    page.click("#create-transfer input[type=submit]")
    page.wait_for_selector("#transfer-lines")
    transfer = Transfer.objects.get()
    assert transfer.status == "draft"

    page.click("#action-ship input[type=submit]")
    page.wait_for_selector(".messagelist")
    assert page.inner_text("#figure-in-transit") == "13"
    assert (on_hand(shop["tee"], shop["main"]), on_hand(shop["tee"], shop["north"])) == (4, 0)

    page.fill("input[aria-label='Receive CAP-RED']", "3")
    page.click("#receive-form input[type=submit]")
    page.wait_for_selector(".messagelist")
    assert page.inner_text("#figure-in-transit") == "2"
    assert page.inner_text("#line-CAP-RED .line-in-transit") == "2"
    assert (on_hand(shop["tee"], shop["north"]), on_hand(shop["cap"], shop["north"])) == (8, 3)

    page.click("#action-close input[type=submit]")
    page.wait_for_selector(".messagelist")
    assert "closed" in page.inner_text(".messagelist")
    assert page.inner_text("#figure-lost") == "2"
    transfer.refresh_from_db()
    assert transfer.status == "closed"
    assert (on_hand(shop["cap"], shop["main"]), on_hand(shop["cap"], shop["north"])) == (0, 3)
