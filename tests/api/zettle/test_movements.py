"""PUT /organizations/self/inventory: movements between locations."""

import pytest

from apps.inventory import services
from apps.inventory.models import Door, OutboxEvent, StockMovement
from tests import factories

from .helpers import (
    change,
    client,
    ledger_size,
    on_hand,
    product,
    record_of,
    send,
    stock,
    variants,
    violations,
)

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


def test_seed_example_as_written_moves_out_of_the_store_and_answers_the_store(api, company, places):
    """Seed 002 moves 42 and 1337 *from* the location its answer calls STORE to another
    one, with no returnBalanceForLocationUuid: the default store's balances come back."""
    store, _, other, _ = places
    item = product(company)
    first, second = variants(item)
    stock(company, first, 238)
    stock(company, second, 12033)

    response = send(
        api,
        "PUT",
        PATH,
        {
            "changes": [
                change(item, first, store, other, 42),
                change(item, second, store, other, 1337),
            ]
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["locationUuid"] == str(store.uuid)
    assert [(v["variantUuid"], v["locationType"], v["balance"]) for v in body["variants"]] == [
        (str(first.uuid), "STORE", 196),
        (str(second.uuid), "STORE", 10696),
    ]
    assert all(type(v["balance"]) is int for v in body["variants"])
    assert (on_hand(first, store), on_hand(second, store)) == (196, 10696)


@pytest.mark.parametrize("units", ["7", 7, 7.0, " 7 "])
def test_change_is_a_number_or_a_numeric_string(api, company, places, units):
    store, supplier, _, _ = places
    item = product(company, variants=1)
    (variant,) = variants(item)

    response = send(api, "PUT", PATH, {"changes": [change(item, variant, supplier, store, units)]})

    assert response.status_code == 200, response.content
    assert response.json()["variants"][0]["balance"] == 7
    assert on_hand(variant, store) == 7


@pytest.mark.parametrize(
    "units",
    [0, -3, "-3", 1.5, "1.5", "ten", "", None, True, [1], {}, "\u0661", "\uff17", "7\n8"],
)
def test_change_that_is_not_a_positive_whole_number_is_400_naming_the_property(
    api, company, places, units
):
    store, supplier, _, _ = places
    item = product(company)
    first, second = variants(item)
    before = ledger_size(company)

    response = send(
        api,
        "PUT",
        PATH,
        {
            "changes": [
                change(item, first, supplier, store, 5),
                change(item, second, supplier, store, units),
            ]
        },
    )

    assert response.status_code == 400
    body = response.json()
    assert body["errorType"] == "VALIDATION_ERROR"
    assert [v["propertyName"] for v in body["violations"]] == ["changes[1].change"]
    assert set(body["violations"][0]) == {"propertyName", "developerMessage", "constraintType"}
    assert ledger_size(company) == before
    assert on_hand(first, store) == 0


def test_a_missing_property_is_400_naming_it(api, company, places):
    store, supplier, _, _ = places
    item = product(company, variants=1)
    (variant,) = variants(item)
    line = change(item, variant, supplier, store, 1)
    del line["toLocationUuid"]

    response = send(api, "PUT", PATH, {"changes": [line]})

    assert response.status_code == 400
    assert response.json()["violations"] == [
        {
            "propertyName": "changes[0].toLocationUuid",
            "developerMessage": "This field is required.",
            "constraintType": "NOT_NULL",
        }
    ]


@pytest.mark.parametrize("value", [5, 0, 3.0, True, ["x"]])
def test_a_uuid_that_is_not_a_string_is_400_naming_the_property(api, company, places, value):
    store, supplier, _, _ = places
    item = product(company, variants=1)
    (variant,) = variants(item)
    line = change(item, variant, supplier, store, 1)
    line["productUuid"] = value

    response = send(api, "PUT", PATH, {"changes": [line], "externalUuid": 7})

    assert response.status_code == 400, response.content
    assert response.json()["errorType"] == "VALIDATION_ERROR"
    assert sorted(v["propertyName"] for v in response.json()["violations"]) == [
        "changes[0].productUuid",
        "externalUuid",
    ]
    assert ledger_size(company) == 0


def test_sale_then_refund_then_write_off_and_return_to_supplier(api, company, places):
    store, supplier, sold, bin_ = places
    item = product(company, variants=1)
    (variant,) = variants(item)
    stock(company, variant, 10)

    def move(source, target, units):
        response = send(
            api, "PUT", PATH, {"changes": [change(item, variant, source, target, units)]}
        )
        assert response.status_code == 200, response.content
        return response.json()["variants"][0]["balance"]

    assert move(store, sold, 4) == 6
    assert move(sold, store, 1) == 7
    assert move(store, bin_, 2) == 5
    assert move(store, supplier, 3) == 2
    reasons = list(
        StockMovement.objects.filter(company=company, door="zettle")
        .order_by("id")
        .values_list("reason", "quantity")
    )
    assert reasons == [("sale", 4), ("refund", 1), ("writeoff", 2), ("supplier_return", 3)]
    assert on_hand(variant, store) == 2


def test_another_store_is_not_a_zettle_location_and_nothing_moves(api, company, places):
    """Zettle's organization has one STORE: the company's other stores name nothing here."""
    store, _, _, _ = places
    depot = factories.store(company, name="Depot")
    item = product(company, variants=1)
    (variant,) = variants(item)
    stock(company, variant, 10)
    before = ledger_size(company)

    response = send(api, "PUT", PATH, {"changes": [change(item, variant, store, depot, 4)]})
    assert response.status_code == 404
    assert response.json()["errorType"] == "ENTITY_NOT_FOUND"
    assert violations(response) == ["changes[0].toLocationUuid"]

    response = send(
        api,
        "PUT",
        PATH,
        {
            "changes": [change(item, variant, store, places[2], 1)],
            "returnBalanceForLocationUuid": str(depot.uuid),
        },
    )
    assert response.status_code == 404
    assert violations(response) == ["returnBalanceForLocationUuid"]
    assert (on_hand(variant, store), on_hand(variant, depot)) == (10, 0)
    assert ledger_size(company) == before


def test_balance_is_answered_for_a_touched_variant_even_where_it_did_not_move(api, company, places):
    store, supplier, sold, _ = places
    item = product(company, variants=1)
    (variant,) = variants(item)
    stock(company, variant, 8)

    response = send(
        api,
        "PUT",
        PATH,
        {
            "changes": [
                change(item, variant, supplier, store, 3),
                change(item, variant, store, sold, 3),
            ]
        },
    )

    assert response.status_code == 200
    assert response.json()["locationUuid"] == str(store.uuid)
    assert [v["balance"] for v in response.json()["variants"]] == [8]


def test_virtual_to_virtual_is_400_and_moves_nothing(api, company, places):
    _, supplier, sold, _ = places
    item = product(company, variants=1)
    (variant,) = variants(item)
    before = ledger_size(company)

    response = send(api, "PUT", PATH, {"changes": [change(item, variant, supplier, sold, 1)]})

    assert response.status_code == 400
    assert response.json()["errorType"] == "VALIDATION_ERROR"
    assert ledger_size(company) == before


def test_taking_more_than_the_store_holds_is_409_and_nothing_in_the_request_is_applied(
    api, company, places
):
    store, supplier, sold, _ = places
    item = product(company)
    first, second = variants(item)
    stock(company, second, 2)
    before = ledger_size(company)
    events = OutboxEvent.objects.filter(company=company).count()

    response = send(
        api,
        "PUT",
        PATH,
        {
            "changes": [
                change(item, first, supplier, store, 5),
                change(item, second, store, sold, 3),
            ]
        },
    )

    assert response.status_code == 409
    body = response.json()
    assert body["errorType"] == "INSUFFICIENT_STOCK"
    assert [v["propertyName"] for v in body["violations"]] == ["changes[1].change"]
    assert ledger_size(company) == before
    assert (on_hand(first, store), on_hand(second, store)) == (0, 2)
    assert OutboxEvent.objects.filter(company=company).count() == events


def test_taking_stock_below_the_reserved_units_is_409(api, company, places):
    store, _, sold, _ = places
    item = product(company, variants=1)
    (variant,) = variants(item)
    stock(company, variant, 5)
    services.reserve(company=company, record=record_of(variant), quantity=4, door=Door.COMMAND)

    response = send(api, "PUT", PATH, {"changes": [change(item, variant, store, sold, 2)]})

    assert response.status_code == 409
    assert response.json()["errorType"] == "INSUFFICIENT_STOCK"
    assert on_hand(variant, store) == 5


def test_untracked_product_is_422(api, company, places):
    store, supplier, _, _ = places
    never = product(company, variants=1, tracked=False)
    stopped = product(company, variants=1)
    services.stop_tracking(company=company, item=stopped)

    for item in (never, stopped):
        (variant,) = variants(item)
        response = send(api, "PUT", PATH, {"changes": [change(item, variant, supplier, store, 1)]})
        assert response.status_code == 422, response.content
        assert response.json()["errorType"] == "PRODUCT_NOT_TRACKED"
        assert [v["propertyName"] for v in response.json()["violations"]] == [
            "changes[0].productUuid"
        ]
    assert ledger_size(company) == 0


def test_unknown_and_foreign_uuids_are_404_entity_not_found(api, company, other_company, places):
    store, supplier, _, _ = places
    item = product(company, variants=1)
    (variant,) = variants(item)
    foreign = product(other_company, variants=1)
    (foreign_variant,) = variants(foreign)
    foreign_store = factories.default_store(other_company)

    cases = {
        "changes[0].productUuid": change(foreign, variant, supplier, store, 1),
        "changes[0].variantUuid": change(item, foreign_variant, supplier, store, 1),
        "changes[0].toLocationUuid": change(item, variant, supplier, foreign_store, 1),
    }
    for property_name, line in cases.items():
        response = send(api, "PUT", PATH, {"changes": [line]})
        assert response.status_code == 404, property_name
        assert response.json()["errorType"] == "ENTITY_NOT_FOUND"
        assert [v["propertyName"] for v in response.json()["violations"]] == [property_name]
    assert ledger_size(company) == 0
    assert ledger_size(other_company) == 0


def test_a_variant_of_another_product_is_400(api, company, places):
    store, supplier, _, _ = places
    item = product(company, variants=1)
    other = product(company, variants=1)
    (other_variant,) = variants(other)

    response = send(
        api, "PUT", PATH, {"changes": [change(item, other_variant, supplier, store, 1)]}
    )

    assert response.status_code == 400
    assert [v["propertyName"] for v in response.json()["violations"]] == ["changes[0].variantUuid"]
    assert ledger_size(company) == 0


def test_external_uuid_reaches_the_balance_changed_event_and_the_ledger(api, company, places):
    store, supplier, _, _ = places
    item = product(company, variants=1)
    (variant,) = variants(item)
    external = "947d712a-892d-11ea-bc55-0242ac130003"

    response = send(
        api,
        "PUT",
        PATH,
        {"changes": [change(item, variant, supplier, store, 5)], "externalUuid": external},
    )

    assert response.status_code == 200
    event = OutboxEvent.objects.get(company=company, event_name="InventoryBalanceChanged")
    assert event.payload["externalUuid"] == external
    assert event.payload["balanceBefore"][0]["balance"] == "0"
    after = event.payload["balanceAfter"][0]
    assert after == {
        "organizationUuid": str(company.uuid),
        "locationUuid": str(store.uuid),
        "productUuid": str(item.uuid),
        "variantUuid": str(variant.uuid),
        "created": after["created"],  # when, as Zettle's payload says it
        "balance": "5",
    }
    assert StockMovement.objects.get(company=company).external_id == external


def test_external_uuid_is_not_a_deduplication_key(api, company, places):
    store, supplier, _, _ = places
    item = product(company, variants=1)
    (variant,) = variants(item)
    body = {
        "changes": [change(item, variant, supplier, store, 5)],
        "externalUuid": "947d712a-892d-11ea-bc55-0242ac130003",
    }

    assert send(api, "PUT", PATH, body).status_code == 200
    assert send(api, "PUT", PATH, body).status_code == 200

    assert on_hand(variant, store) == 10


def test_movements_by_the_api_key_are_recorded_as_zettle_with_the_key_as_actor(company, places):
    key, secret = factories.api_key(company)
    store, supplier, _, _ = places
    item = product(company, variants=1)
    (variant,) = variants(item)

    response = send(
        client(secret), "PUT", PATH, {"changes": [change(item, variant, supplier, store, 1)]}
    )

    assert response.status_code == 200
    row = StockMovement.objects.get(company=company)
    assert (row.door, row.actor_api_key_id) == ("zettle", key.pk)


def test_empty_changes_is_400(api):
    response = send(api, "PUT", PATH, {"changes": []})

    assert response.status_code == 400
    assert [v["propertyName"] for v in response.json()["violations"]] == ["changes"]


def test_more_than_1000_lines_is_400_before_anything_moves(api, company, places):
    store, supplier, _, _ = places
    item = product(company, variants=1)
    (variant,) = variants(item)
    line = change(item, variant, supplier, store, 1)

    response = send(api, "PUT", PATH, {"changes": [line] * 1001})

    assert response.status_code == 400
    assert response.json()["errorType"] == "VALIDATION_ERROR"
    assert ledger_size(company) == 0
    assert send(api, "PUT", PATH, {"changes": [line] * 1000}).status_code == 200
    assert on_hand(variant, store) == 1000


def test_a_change_beyond_the_database_range_is_400(api, company, places):
    store, supplier, _, _ = places
    item = product(company, variants=1)
    (variant,) = variants(item)

    response = send(api, "PUT", PATH, {"changes": [change(item, variant, supplier, store, 2**31)]})

    assert response.status_code == 400
    assert [v["propertyName"] for v in response.json()["violations"]] == ["changes[0].change"]


def test_changes_summing_beyond_the_largest_figure_are_refused(api, company, places):
    store, supplier, _, _ = places
    item = product(company, variants=1)
    (variant,) = variants(item)
    line = change(item, variant, supplier, store, 2**31 - 1)

    response = send(api, "PUT", PATH, {"changes": [line, line]})

    # The figures are 32-bit columns; the service refuses the sum on every database.
    assert response.status_code == 400
    assert response.json()["errorType"] == "VALIDATION_ERROR"
    assert ledger_size(company) == 0
