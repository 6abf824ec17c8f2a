"""What every door shares through apps.api.common."""

import pytest
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_no_content_answer_carries_no_content_type(company, write_key):
    item = factories.item(company)
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {write_key}")
    client.post("/organizations/self/inventory", {"productUuid": str(item.uuid)}, format="json")

    response = client.delete(f"/organizations/self/inventory/products/{item.uuid}")

    assert response.status_code == 204
    assert "Content-Type" not in response
    assert response.content == b""


@pytest.mark.parametrize("door", ["zettle", "rootfi"])
def test_an_overlong_idempotency_key_is_a_400_in_the_doors_shape(company, write_key, door):
    item = factories.item(company, sku="IK-1")
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {write_key}", HTTP_API_KEY=write_key)
    path, body = {
        "zettle": ("/organizations/self/inventory", {"productUuid": str(item.uuid)}),
        "rootfi": ("/v4/ecommerce/inventories", {"sku": "IK-1", "quantity": 1}),
    }[door]

    response = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY="k" * 256)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.content.decode()
    assert not item.inventory_records.exists()
