"""Issue 14: a location with history is archived (hidden from pickers and doors, kept in the
ledger), never deleted; the staff are told so in words, not with a permissions message."""

from apps.inventory import services
from apps.inventory.admin.forms import AdjustStockForm
from apps.inventory.models import Door, StockMovement
from apps.locations.models import Location
from tests import factories

from .helpers import change_url

LOCATIONS = "/admin/locations/location/"


def _emptied_store(company):
    north = factories.store(company, name="North", store_code="N1")
    record = factories.record(company, sku="CAP", location=north, on_hand=3)
    services.write_off(company=company, record=record, location=north, quantity=3, door=Door.ADMIN)
    return north, record


def test_a_location_with_history_is_archived_not_deleted(root, company):
    north, record = _emptied_store(company)
    page = root.get(f"{LOCATIONS}{north.pk}/delete/").content.decode()
    assert "has stock history, so it is archived rather than deleted" in page
    assert "permission" not in page

    response = root.post(f"{LOCATIONS}{north.pk}/delete/", follow=True)
    assert "Archived North [N1]" in response.content.decode()
    north.refresh_from_db()
    assert north.is_deleted  # kept, archived
    ledger = StockMovement.objects.filter(record=record).order_by("id")
    assert [(m.reason, m.from_location_id, m.to_location_id) for m in ledger] == [
        ("receipt", factories.virtual(company).supplier.pk, north.pk),
        ("writeoff", north.pk, factories.virtual(company).bin.pk),
    ]
    # Hidden from the pickers and the doors, still named in the ledger.
    assert north not in AdjustStockForm(record=record).fields["location"].queryset
    assert north not in Location.objects.live()
    assert ">North<" in root.get("/admin/inventory/stockmovement/").content.decode()
    assert root.get(change_url(record)).status_code == 200


def test_a_location_holding_stock_is_neither_archived_nor_deleted(root, company):
    north = factories.store(company, name="North", store_code="N1")
    factories.record(company, sku="CAP", location=north, on_hand=3)
    page = root.get(f"{LOCATIONS}{north.pk}/delete/").content.decode()
    assert "It still holds 3 units" in page
    response = root.post(
        LOCATIONS, {"action": "archive_locations", "_selected_action": [north.pk]}, follow=True
    )
    assert "North [N1] still holds 3 units" in response.content.decode()
    north.refresh_from_db()
    assert not north.is_deleted


def test_a_location_without_history_is_simply_deleted(root, company):
    empty = factories.store(company, name="Pop-up", store_code="P1")
    response = root.post(f"{LOCATIONS}{empty.pk}/delete/", {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert not Location.objects.filter(pk=empty.pk).exists()
