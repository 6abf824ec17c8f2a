"""The admin works under the Content-Security-Policy: every page a stock manager opens
(dashboard, changelist, a record's page with its chart, the reorder report, an item with its
variants, the API docs) loads in Chromium with no CSP violation in the console, and the
reorder report's location picker still submits (a script file, not an inline handler)."""

import pytest

from apps.inventory.models import InventoryRecord
from tests import factories
from tests.admin.helpers import sell, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_pages_raise_no_csp_violation(browser, live_server):
    company = factories.company("Demo Outfitters")
    store = factories.default_store(company)
    factories.store(company, name="North warehouse", store_code="7")
    record = factories.record(
        company, sku="TEE-M", on_hand=30, reorder_level=12, upc="849632048260"
    )
    sell(record, store, 25)
    user = staff(company, username="maria")
    user.set_password("s3cret-pass")
    user.save()

    page = browser.new_page()
    violations = []
    page.on(
        "console",
        lambda msg: (
            violations.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", "s3cret-pass")
    page.click("input[type=submit]")
    record = InventoryRecord.objects.get(pk=record.pk)
    pages = [
        "/admin/",
        "/admin/inventory/inventoryrecord/",
        f"/admin/inventory/inventoryrecord/{record.pk}/change/",
        "/admin/inventory/inventoryrecord/reorder-report/",
        f"/admin/catalog/item/{record.variant.item_id}/change/",
        "/admin/catalog/item/add/",
        "/docs/",
    ]
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert response.headers.get("content-security-policy"), path
        page.wait_for_load_state("networkidle")
    assert page.locator(".swagger-ui").count() == 1  # the docs rendered under the policy

    page.goto(f"{live_server.url}/admin/inventory/inventoryrecord/reorder-report/")
    with page.expect_navigation():
        page.select_option("#location", index=1)
    assert "location=" in page.url
    assert violations == []
