"""Issue 14, "Broken today": what the catalog's admin does reaches the stock records at once.

A renamed variant's record carries the new SKU in the same transaction; items born in the
admin or the demo have their records (tracked, at zero, at the default store, out of stock
with its alert); the demo, import and export share the attribute name `color`."""

import csv
import io
import re

from apps.catalog.models import Item, Variant
from apps.inventory.models import InventoryRecord, StockAlert, StockLevel
from tests import factories
from tests.commands.helpers import run

from .helpers import CHANGELIST, listed_skus, superuser
from .test_catalog_locations_admin import _inline, road_racer


def dashboard_cards(response) -> dict[str, int]:
    """The dashboard's cards as the page shows them: {label: count}."""
    found = re.findall(
        r'ae-card-count">(\d+)</span>\s*<span class="ae-card-label">([^<]+)<',
        response.content.decode(),
    )
    return {label: int(count) for count, label in found}


def _variant_post(variant, **changes):
    data = {
        "item": variant.item_id,
        "name": variant.name,
        "sku": variant.sku,
        "upc": variant.upc or "",
        "size": "",
        "width": "",
        "color": "",
        "price": "",
    }
    data.update(changes)
    return data


def test_renaming_a_variant_in_the_admin_renames_its_record(clerk, company):
    record = factories.record(company, sku="TRAI-0000-10-D", on_hand=5)
    url = f"/admin/catalog/variant/{record.variant_id}/change/"
    response = clerk.post(url, _variant_post(record.variant, sku="TRAI-0000-10-D-NEW"))
    assert response.status_code == 302, response.context["adminform"].form.errors

    record.refresh_from_db()
    assert record.sku == "TRAI-0000-10-D-NEW"
    assert listed_skus(clerk.get(CHANGELIST, {"q": "0000-10-D-NEW"})) == {"TRAI-0000-10-D-NEW"}


def test_renaming_a_variant_in_the_items_inline_renames_its_record(clerk, company):
    record = factories.record(company, sku="CAP-1", on_hand=2)
    item = record.item
    data = {
        "company": company.pk,
        "name": item.name,
        "sku": item.sku,
        "type": item.type,
        "status": item.status,
        "price": "",
        "description": "",
        "currency_id": "",
        "variants-TOTAL_FORMS": "1",
        "variants-INITIAL_FORMS": "1",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000",
        "variants-0-id": str(record.variant_id),
        "variants-0-item": str(item.pk),
        "variants-0-name": "Default",
        "variants-0-sku": "CAP-1-BLUE",
        "variants-0-upc": "",
        "variants-0-price": "",
    }
    response = clerk.post(f"/admin/catalog/item/{item.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert InventoryRecord.objects.get(pk=record.pk).sku == "CAP-1-BLUE"


def test_an_item_created_in_the_admin_has_records_at_once(clerk, company):
    data = road_racer(company)
    data.update(
        _inline(
            "variants",
            [
                {"name": "9 D", "sku": "RR-9D", "size": "9", "width": "D", "price": ""},
                {"name": "10 D", "sku": "RR-10D", "size": "10", "width": "D", "price": ""},
            ],
        )
    )
    assert clerk.post("/admin/catalog/item/add/", data).status_code == 302

    records = InventoryRecord.objects.filter(item__sku="RR").order_by("sku")
    assert [(r.sku, r.quantity, r.is_trackable, r.status) for r in records] == [
        ("RR-10D", 0, True, "out_of_stock"),
        ("RR-9D", 0, True, "out_of_stock"),
    ]
    store = factories.default_store(company)
    levels = StockLevel.objects.filter(record__in=records)
    assert {(lv.location_id, lv.on_hand) for lv in levels} == {(store.pk, 0)}
    assert StockAlert.objects.filter(record__in=records, closed_at__isnull=True).count() == 2
    cards = dashboard_cards(clerk.get("/admin/"))
    assert cards["Open alerts"] == cards["Out of stock"] + cards["Low stock"] == 2


def test_a_variant_added_on_its_own_page_is_tracked_at_once(clerk, company):
    item = factories.item(company, sku="HAT")
    response = clerk.post(
        "/admin/catalog/variant/add/", _variant_post(Variant(item=item, name="L", sku="HAT-L"))
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = InventoryRecord.objects.get(sku="HAT-L")
    assert (record.quantity, record.status) == (0, "out_of_stock")


def test_the_demo_is_tracked_with_alerts_and_exports_its_color(client, db):
    run("seed_demo", items=12)
    company = Item.objects.get(sku="ZOOT-SUIT").company
    assert Variant.objects.filter(company=company).count() == (
        InventoryRecord.objects.filter(company=company).count()
    )
    assert all("color" in v.attributes for v in Variant.objects.filter(company=company))
    out, _ = run("export_inventory", company=company.name)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all(row["color"] for row in rows)

    client.force_login(superuser())
    cards = dashboard_cards(client.get("/admin/"))
    assert cards["Out of stock"] > 0
    assert cards["Open alerts"] == cards["Out of stock"] + cards["Low stock"]
