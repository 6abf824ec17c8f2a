"""GET /organizations/self/locations: Zettle's one STORE (the key's store, else the default
store), then SUPPLIER, SOLD, BIN; no other store and no in-transit location."""

import pytest

from apps.locations.models import Location
from apps.tenancy.models import ApiKey
from tests import factories

from .helpers import client

pytestmark = pytest.mark.django_db

IN_TRANSIT = Location.Kind.IN_TRANSIT


def entry(loc, *, default=False):
    return {
        "uuid": str(loc.uuid),
        "type": loc.kind,
        "name": loc.name,
        "description": loc.description,
        "default": default,
    }


@pytest.fixture
def places(company):
    depot = factories.store(company, name="Depot", description="Back room", store_code="depot")
    assert Location.objects.filter(company=company, kind=IN_TRANSIT).exists()
    factories.store(factories.company(), name="Someone else's")
    return factories.default_store(company), depot, factories.virtual(company)


def test_exactly_one_store_the_default_one_then_supplier_sold_bin(company, write_key, places):
    main, _, virtual = places

    response = client(write_key).get("/organizations/self/locations")

    assert response.status_code == 200
    assert response.json() == [
        entry(main, default=True),
        *(entry(loc) for loc in (virtual.supplier, virtual.sold, virtual.bin)),
    ]


def test_a_store_bound_key_lists_its_store_as_the_one_default_store(company, places):
    main, depot, virtual = places
    _, secret = ApiKey.issue(company=company, store=depot)

    response = client(secret).get(f"/organizations/{company.uuid}/locations")

    assert response.status_code == 200
    body = response.json()
    assert body == [
        entry(depot, default=True),
        *(entry(loc) for loc in (virtual.supplier, virtual.sold, virtual.bin)),
    ]
    assert [loc["type"] for loc in body].count("STORE") == 1
    assert str(main.uuid) not in {loc["uuid"] for loc in body}


def test_listing_locations_costs_a_fixed_number_of_queries(
    company, write_key, django_assert_max_num_queries
):
    for _ in range(20):
        factories.store(company)
    api = client(write_key)

    with django_assert_max_num_queries(5):
        response = api.get("/organizations/self/locations")

    assert len(response.json()) == 4
