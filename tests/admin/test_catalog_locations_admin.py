import pytest

from apps.catalog.models import Item
from apps.locations.models import Location
from tests import factories

from .helpers import staff, superuser


@pytest.fixture
def clerk(client, company):
    client.force_login(staff(company))
    return client


def _inline(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def road_racer(company) -> dict:
    """The item form's fields for a new item "Road racer" (SKU RR)."""
    return {
        "company": company.pk,
        "name": "Road racer",
        "sku": "RR",
        "type": "INVENTORY",
        "status": "ACTIVE",
        "price": "99.00",
        "description": "",
        "currency_id": "USD",
    }


def test_item_with_variants_inline(clerk, company):
    data = road_racer(company)
    data.update(
        _inline(
            "variants",
            [
                {
                    "name": "9 D",
                    "sku": "RR-9D",
                    "upc": "012345678912",
                    "size": "9",
                    "width": "D",
                    "price": "99.00",
                },
                {
                    "name": "10 2E",
                    "sku": "RR-102E",
                    "upc": "",
                    "size": "10",
                    "width": "2E",
                    "price": "",
                },
            ],
        )
    )
    response = clerk.post("/admin/catalog/item/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = Item.objects.get(sku="RR")
    variants = {v.sku: v for v in item.variants.all()}
    assert variants["RR-9D"].attributes == {"size": "9", "width": "D"}
    assert variants["RR-9D"].gtin == "00012345678912" and variants["RR-9D"].company == company
    assert variants["RR-102E"].width == "2E"


def test_item_without_variants_gets_a_default_one(clerk, company):
    data = {
        "company": company.pk,
        "name": "Gift card",
        "sku": "GIFT",
        "type": "DIGITAL",
        "status": "ACTIVE",
        "price": "25",
        "description": "",
        "currency_id": "",
    }
    data.update(_inline("variants", []))
    assert clerk.post("/admin/catalog/item/add/", data).status_code == 302
    assert list(Item.objects.get(sku="GIFT").variants.values_list("sku", flat=True)) == ["GIFT"]


def test_variant_shows_stock_per_location(clerk, company):
    north = factories.store(company, name="North")
    record = factories.record(company, sku="CAP", on_hand=4)
    from apps.inventory import services
    from apps.inventory.models import Door

    services.receive(company=company, record=record, location=north, quantity=6, door=Door.ADMIN)
    page = clerk.get(f"/admin/catalog/variant/{record.variant_id}/change/").content.decode()
    assert "Main store:&nbsp;<b>4</b>" in page and "North:&nbsp;<b>6</b>" in page
    item_page = clerk.get(f"/admin/catalog/item/{record.item_id}/change/").content.decode()
    assert "North:&nbsp;<b>6</b>" in item_page


def test_locations_show_address_and_virtual_ones_are_read_only(clerk, company):
    response = clerk.post(
        "/admin/locations/location/add/",
        {
            "company": company.pk,
            "name": "Harbor shop",
            "description": "",
            "store_code": "H1",
            "address_type": "warehouse",
            "street": "1 Pier Rd",
            "city": "Seattle",
            "state": "WA",
            "postal_code": "98101",
            "country": "US",
        },
    )
    assert response.status_code == 302
    shop = Location.objects.get(name="Harbor shop")
    assert (shop.kind, shop.store_code, shop.city) == ("STORE", "H1", "Seattle")
    listing = clerk.get("/admin/locations/location/").content.decode()
    assert "1 Pier Rd" in listing and "H1" in listing
    bin_ = Location.objects.get(company=company, kind="BIN")
    page = clerk.get(f"/admin/locations/location/{bin_.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    clerk.post(f"/admin/locations/location/{bin_.pk}/change/", {"name": "Trash"})
    bin_.refresh_from_db()
    assert bin_.name == "Bin"
    assert clerk.get(f"/admin/locations/location/{bin_.pk}/delete/").status_code == 403


def test_item_actions_start_and_stop_tracking(client, company):
    client.force_login(superuser())
    record = factories.record(company, sku="HAT", on_hand=2)
    client.post(
        "/admin/catalog/item/", {"action": "stop_tracking", "_selected_action": [record.item_id]}
    )
    record.refresh_from_db()
    assert not record.is_trackable and record.status == "unknown" and record.quantity == 2
    client.post(
        "/admin/catalog/item/", {"action": "start_tracking", "_selected_action": [record.item_id]}
    )
    record.refresh_from_db()
    assert record.is_trackable and record.status == "in_stock"
