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
