import pytest
from rest_framework.test import APIClient

from apps.catalog.models import Item, Variant
from apps.inventory.models import StockMovement


@pytest.fixture
def api(write_key):
    client = APIClient()
    client.credentials(HTTP_API_KEY=write_key)
    return client


@pytest.fixture
def read_api(read_key):
    client = APIClient()
    client.credentials(HTTP_API_KEY=read_key)
    return client


@pytest.fixture
def other_api(other_key):
    client = APIClient()
    client.credentials(HTTP_API_KEY=other_key)
    return client


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def ledger():
    """The ledger rows, for asserting that a refused request wrote nothing."""

    def rows():
        return list(StockMovement.objects.order_by("id").values_list("id", flat=True))

    return rows


@pytest.fixture
def catalog_state():
    def state():
        return (
            list(Item.objects.order_by("id").values_list("id", "sku", "rootfi_deleted_at")),
            list(Variant.objects.order_by("id").values_list("id", "sku", "rootfi_deleted_at")),
        )

    return state
