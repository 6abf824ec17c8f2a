import pytest

from tests import factories


@pytest.fixture
def store(company):
    return factories.default_store(company)
