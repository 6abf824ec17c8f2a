import pytest

from tests import factories

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
    main = factories.default_store(company)
    north = factories.store(company, name="North", store_code="north")
    tee = factories.record(company, sku="TEE", on_hand=10, upc="012345678905")
    cap = factories.record(company, sku="CAP", on_hand=4)
    sock = factories.record(company, sku="SOCK")
    return {"main": main, "north": north, "tee": tee, "cap": cap, "sock": sock}
