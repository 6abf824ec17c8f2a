"""Incoming (outstanding units of open orders) in "needs reorder", the suggested quantity
and the reorder report's draft orders."""

import pytest

from apps.inventory.models import InventoryRecord
from apps.operations import services
from apps.operations.models import PurchaseOrder
from apps.operations.selectors import incoming_by_location, incoming_of
from tests import factories

from .helpers import staff

pytestmark = pytest.mark.django_db


def order(company, record, units, *, status=PurchaseOrder.Status.OPEN, location=None):
    return services.create_purchase_order(
        company=company,
        supplier=services.find_or_create_supplier(company=company, name="Acme"),
        location=location or factories.default_store(company),
        lines=[services.OrderLine(record, units)],
        status=status,
    )


def needing(company):
    return {r.sku: r for r in InventoryRecord.objects.filter(company=company).needing_reorder()}


def test_incoming_counts_open_orders_outstanding_per_location(company):
    tee = factories.record(company, sku="TEE", on_hand=2, reorder_level=10)
    north = factories.store(company, store_code="north")
    first = order(company, tee, 5)
    order(company, tee, 3, location=north)
    order(company, tee, 50, status=PurchaseOrder.Status.DRAFT)  # not placed: not incoming
    services.receive_purchase_order(
        company=company, order=first, lines=[services.Receipt(tee, 2)], door="admin"
    )
    main = factories.default_store(company)
    assert incoming_by_location(company) == {(tee.pk, main.pk): 3, (tee.pk, north.pk): 3}
    assert incoming_of(tee) == 6


def test_needs_reorder_counts_incoming_and_suggestions_subtract_it(company):
    tee = factories.record(company, sku="TEE", on_hand=2, reorder_level=10)
    cap = factories.record(company, sku="CAP", on_hand=1, reorder_level=5, reorder_quantity=20)
    empty = factories.record(company, sku="NONE")  # out of stock, no level
    assert set(needing(company)) == {"TEE", "CAP", "NONE"}
    assert needing(company)["TEE"].suggested_reorder_quantity == 18

    order(company, tee, 5)
    order(company, cap, 4)
    rows = needing(company)
    assert rows["TEE"].incoming == 5
    assert rows["TEE"].suggested_reorder_quantity == 13
    assert set(rows) == {"TEE", "NONE"}  # CAP: 1 available + 4 incoming reaches 5
    assert InventoryRecord.objects.get(pk=cap.pk).suggested_reorder_quantity == 16
    order(company, empty, 1)
    assert set(needing(company)) == {"TEE"}
    order(company, tee, 2)
    assert set(needing(company)) == {"TEE"}  # 2 available + 7 incoming: still below 10
    order(company, tee, 1)
    assert set(needing(company)) == set()  # 2 + 8 reaches the level


def test_the_reorder_report_drafts_orders_of_ticked_suggestions(client, company):
    tee = factories.record(company, sku="TEE", on_hand=2, reorder_level=10)
    cap = factories.record(company, sku="CAP", on_hand=1, reorder_level=5, reorder_quantity=20)
    factories.record(company, sku="OK", on_hand=50, reorder_level=5)
    client.force_login(staff(company))
    report = client.get("/admin/inventory/inventoryrecord/reorder-report/")
    assert 'name="record"' in report.content.decode()
    answer = client.post(
        "/admin/operations/purchaseorder/from-suggestions/",
        {"record": [tee.pk, cap.pk], "supplier": "Acme Textiles"},
        follow=True,
    )
    assert answer.status_code == 200
    drafted = PurchaseOrder.objects.get()
    assert (drafted.status, drafted.supplier.name) == ("draft", "Acme Textiles")
    assert sorted((ln.sku, ln.ordered) for ln in drafted.lines.all()) == [("CAP", 20), ("TEE", 18)]
    assert "PO-00001" in answer.content.decode()
    # Drafts are not on order yet: the report still lists them until they are placed.
    assert set(needing(company)) == {"TEE", "CAP"}
    services.open_purchase_order(company=company, order=drafted)
    assert set(needing(company)) == set()
