"""Real threads against PostgreSQL: numbers never shared, a receipt never doubled."""

import pytest

from apps.inventory.models import Door, StockLevel
from apps.operations import services
from apps.operations.errors import InvalidState
from apps.operations.models import PurchaseOrder
from tests import factories
from tests.inventory.test_concurrency import run_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_creations_get_distinct_consecutive_numbers():
    company = factories.company()
    store = factories.default_store(company)
    record = factories.record(company, sku="TEE")
    supplier = services.find_or_create_supplier(company=company, name="Acme")

    def create(_):
        services.create_purchase_order(
            company=company,
            supplier=supplier,
            location=store,
            lines=[services.OrderLine(record, 1)],
        )

    assert run_threads(8, create) == []
    numbers = sorted(PurchaseOrder.objects.filter(company=company).values_list("number", flat=True))
    assert numbers == [f"PO-{n:05d}" for n in range(1, 9)]


def test_two_concurrent_receive_alls_receive_once():
    company = factories.company()
    store = factories.default_store(company)
    record = factories.record(company, sku="TEE")
    order = services.create_purchase_order(
        company=company,
        supplier=services.find_or_create_supplier(company=company, name="Acme"),
        location=store,
        lines=[services.OrderLine(record, 5)],
    )
    refused = []

    def receive(_):
        try:
            services.receive_purchase_order(company=company, order=order, door=Door.ADMIN)
        except InvalidState:
            refused.append(1)

    assert run_threads(4, receive) == []
    assert len(refused) == 3
    assert StockLevel.objects.get(record=record, location=store).on_hand == 5
