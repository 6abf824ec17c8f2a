"""PUT /organizations/self/inventory: movements between locations."""

import pytest

from apps.inventory.models import OutboxEvent, StockMovement
from tests import factories

from .helpers import change, client, ledger_size, on_hand, product, send, stock, variants

pytestmark = pytest.mark.django_db
PATH = "/organizations/self/inventory"


@pytest.fixture
def api(write_key):
    return client(write_key)


@pytest.fixture
def places(company):
    virtual = factories.virtual(company)
    return factories.default_store(company), virtual.supplier, virtual.sold, virtual.bin


def test_seed_example_moves_two_variants_from_supplier_and_answers_store_balances(
    api, company, places
):
    store, supplier, _, _ = places
    item = product(company)
    first, second = variants(item)
    stock(company, first, 154)
    stock(company, second, 9359)

    response = send(
        api,
        "PUT",
        PATH,
        {
            "changes": [
                change(item, first, supplier, store, 42),
                change(item, second, supplier, store, 1337),
            ]
        },
    )

    assert response.status_code == 200, response.content
    assert response.json() == {
        "locationUuid": str(store.uuid),
        "variants": [
            {
                "locationUuid": str(store.uuid),
                "locationType": "STORE",
                "productUuid": str(item.uuid),
                "variantUuid": str(first.uuid),
                "balance": 196,
            },
            {
                "locationUuid": str(store.uuid),
                "locationType": "STORE",
                "productUuid": str(item.uuid),
                "variantUuid": str(second.uuid),
                "balance": 10696,
            },
        ],
    }
    rows = StockMovement.objects.filter(company=company, door="zettle").order_by("id")
    assert [(r.reason, r.quantity, r.to_on_hand_after) for r in rows] == [
        ("receipt", 42, 196),
        ("receipt", 1337, 10696),
    ]
