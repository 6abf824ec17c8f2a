import pytest

from tests.operations.helpers import stocked_shop

from .helpers import client


@pytest.fixture
def api(write_key):
    return client(write_key)


@pytest.fixture
def read_api(read_key):
    return client(read_key)


@pytest.fixture
def other_api(other_key):
    return client(other_key)


@pytest.fixture
def shop(company):
    """Two stores and three products, the first two stocked at the main store."""
    return stocked_shop(company)
