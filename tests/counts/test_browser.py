"""The counting screen in a real browser: a scanner types each code and presses Enter into the
focused input; then review and apply."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from apps.counts.models import Count
from apps.inventory import services
from apps.inventory.models import Door
from tests import factories

from .helpers import on_hand

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERMS = (
    "view_count",
    "add_count",
    "change_count",
    "apply_count",
    "cancel_count",
    "view_inventoryrecord",
)


@pytest.fixture
def shop(db):
    company = factories.company("Count Co")
    store = factories.default_store(company)
    tee = factories.record(company, sku="TEE", on_hand=12, upc="012345678905")
    cap = factories.record(company, sku="CAP", on_hand=3)
    user = get_user_model().objects.create_user("stocktaker", password="pw-123456", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=PERMS))
    company.staff.add(user)
    return {"company": company, "store": store, "tee": tee, "cap": cap}


def login(page, live_server):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/counts/count/add/")
    page.fill("#id_username", "stocktaker")
    page.fill("#id_password", "pw-123456")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/counts/count/add/")


def start_count(page, shop):
    page.select_option("#id_location", str(shop["store"].pk))
    page.check("input[name=scope][value=all]")
    page.click("#start-count input[type=submit]")
    page.wait_for_selector("#scan-code")
    return Count.objects.get()


def scanner_types(page, code):
    """What a USB scanner does: keystrokes into whatever has focus, then Enter."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_scanning_then_applying_keeps_a_sale_made_meanwhile(browser, live_server, shop):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    login(page, live_server)
    count = start_count(page, shop)
    assert page.evaluate("document.activeElement.id") == "scan-code"

    scanner_types(page, "TEE")
    scanner_types(page, "012345678905")
    page.wait_for_selector("#scan-log li.cc-ok >> text=TEE · Item")
    scanner_types(page, "=10")
    scanner_types(page, "NOPE-123")
    page.wait_for_selector("#scan-log li.cc-error >> text=Unknown code: NOPE-123")
    page.wait_for_selector("#scan-log li.cc-ok >> text=: 10 (set)")
    assert page.inner_text(f'#count-lines tr[data-record="{shop["tee"].pk}"] .cc-counted') == "10"
    assert count.lines.get(record=shop["tee"]).counted == 10
    assert page.evaluate("document.activeElement.id") == "scan-code"

    services.sell(
        company=shop["company"],
        record=shop["tee"],
        location=shop["store"],
        quantity=2,
        door=Door.ZETTLE,
    )
    page.click("#review-count")
    page.wait_for_selector("#review-lines")
    assert "-2" in page.inner_text("#review-lines tbody tr")  # counted 10, book 12 when counted
    page.click("#apply-button")
    page.wait_for_selector("#count-status >> text=applied")
    tee_row = page.inner_text(f'#count-lines tr[data-record="{shop["tee"].pk}"]')
    assert "-2" in tee_row and "\t8" in tee_row
    assert on_hand(shop["tee"], shop["store"]) == 8
    assert on_hand(shop["cap"], shop["store"]) == 3  # not counted: left alone


def test_two_phones_scanning_at_once_add_up(browser, live_server, shop):
    phones = []
    for _ in range(2):
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, has_touch=True, bypass_csp=True
        )
        page = context.new_page()
        login(page, live_server)
        phones.append(page)
    count = start_count(phones[0], shop)
    phones[1].goto(f"{live_server.url}/admin/counts/count/{count.pk}/change/")
    phones[1].wait_for_selector("#scan-code")
    box = phones[1].locator("#scan-code").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # the input fits a phone screen

    for _ in range(3):
        for phone in phones:
            scanner_types(phone, "CAP")
    for phone in phones:
        phone.wait_for_function("document.querySelectorAll('#scan-log li.cc-ok').length === 3")
    assert count.lines.get(record=shop["cap"]).counted == 6
