import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api(write_key):
    client = APIClient()
    client.credentials(HTTP_API_KEY=write_key)
    return client
