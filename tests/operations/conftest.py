import pytest

from .helpers import staff, stocked_shop


@pytest.fixture
def shop(company):
    return stocked_shop(company)


@pytest.fixture
def clerk(client, company):
    """A logged-in staff user of `company` with every operations permission."""
    client.force_login(staff(company))
    return client
