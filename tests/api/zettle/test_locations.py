"""GET /organizations/self/locations"""

import pytest

from apps.locations.models import Location
from tests import factories

from .helpers import client

pytestmark = pytest.mark.django_db


def test_every_store_then_supplier_sold_bin_with_exactly_one_default(company, write_key):
    depot = factories.store(company, name="Depot", description="Back room")
    gone = factories.store(company, name="Closed")
    Location.objects.filter(pk=gone.pk).update(rootfi_deleted_at="2024-01-01T00:00:00Z")
    factories.store(factories.company(), name="Someone else's")
    main = factories.default_store(company)
    virtual = factories.virtual(company)

    response = client(write_key).get("/organizations/self/locations")

    assert response.status_code == 200
    assert response.json() == [
        {
            "uuid": str(main.uuid),
            "type": "STORE",
            "name": main.name,
            "description": "",
            "default": True,
        },
        {
            "uuid": str(depot.uuid),
            "type": "STORE",
            "name": "Depot",
            "description": "Back room",
            "default": False,
        },
        *(
            {
                "uuid": str(loc.uuid),
                "type": loc.kind,
                "name": loc.name,
                "description": "",
                "default": False,
            }
            for loc in (virtual.supplier, virtual.sold, virtual.bin)
        ),
    ]
    assert [loc["type"] for loc in response.json()][-3:] == ["SUPPLIER", "SOLD", "BIN"]


def test_listing_locations_costs_a_fixed_number_of_queries(
    company, write_key, django_assert_max_num_queries
):
    for _ in range(20):
        factories.store(company)
    api = client(write_key)

    with django_assert_max_num_queries(4):
        response = api.get("/organizations/self/locations")

    assert len(response.json()) == 24
