"""Custom low-stock levels: `lowStockLevel` is the record's reorder level, `lowStockAlert`
its alert flag; the status (and alerts) follow at once."""

import pytest

from apps.inventory.models import InventoryRecord, StockAlert
from tests import factories

from .helpers import client, product, record_of, send, stock, variants

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(write_key):
    return client(write_key)


@pytest.fixture
def store(company):
    return factories.default_store(company)


def path(store):
    return f"/custom-low-stock/locations/{store.uuid}"


def setting(item, variant, level=None, alert=None):
    body = {"productUuid": str(item.uuid), "variantUuid": str(variant.uuid)}
    if level is not None:
        body["lowStockLevel"] = level
    if alert is not None:
        body["lowStockAlert"] = alert
    return body


def test_put_sets_level_and_alert_and_the_status_and_alert_follow_at_once(api, company, store):
    item = product(company, variants=1)
    (variant,) = variants(item)
    stock(company, variant, 5)

    response = send(api, "PUT", path(store), setting(item, variant, 10, True))

    assert response.status_code == 204
    assert response.content == b""
    record = record_of(variant)
    assert (record.reorder_level, record.low_stock_alert, record.status) == (10, True, "low_stock")
    alert = StockAlert.objects.get(record=record, kind="low_stock")
    assert (alert.kind, alert.is_open, alert.quantity_at_open) == ("low_stock", True, 5)

    lowered = send(api, "PUT", path(store) + "/", setting(item, variant, 3, True))

    assert lowered.status_code == 204
    assert record_of(variant).status == "in_stock"
    assert not StockAlert.objects.get(pk=alert.pk).is_open


def test_post_sets_many_and_reads_list_only_variants_that_differ_from_defaults(api, company, store):
    shirts = product(company, variants=3)
    small, large, huge = variants(shirts)
    socks = product(company, variants=1)
    (pair,) = variants(socks)

    response = send(
        api,
        "POST",
        path(store),
        {
            "requests": [
                setting(shirts, small, 10, False),
                setting(shirts, large, None, True),
                setting(shirts, huge, None, False),
                setting(socks, pair, "8", True),
            ]
        },
    )

    assert response.status_code == 204, response.content
    everything = api.get(f"/custom-low-stock/v2/locations/{store.uuid}")
    assert everything.status_code == 200
    assert everything.json() == {
        "organizationUuid": str(company.uuid),
        "locationUuid": str(store.uuid),
        "customLowStockLevelsForProducts": [
            {
                "productUuid": str(shirts.uuid),
                "customLowStockLevelForVariants": [
                    {
                        "variantUuid": str(small.uuid),
                        "customLowStockLevel": 10.0,
                        "lowStockAlert": False,
                    },
                    {
                        "variantUuid": str(large.uuid),
                        "customLowStockLevel": None,
                        "lowStockAlert": True,
                    },
                ],
            },
            {
                "productUuid": str(socks.uuid),
                "customLowStockLevelForVariants": [
                    {
                        "variantUuid": str(pair.uuid),
                        "customLowStockLevel": 8.0,
                        "lowStockAlert": True,
                    }
                ],
            },
        ],
    }
    one = api.get(f"/custom-low-stock/v2/locations/{store.uuid}/products/{socks.uuid}/")
    assert one.json() == {
        "productUuid": str(socks.uuid),
        "customLowStockLevelForVariants": [
            {"variantUuid": str(pair.uuid), "customLowStockLevel": 8.0, "lowStockAlert": True}
        ],
    }


def test_deletes_reset_to_defaults_and_answer_202(api, company, store):
    item = product(company, variants=3)
    first, second, third = variants(item)
    stock(company, first, 2)
    send(
        api,
        "POST",
        path(store),
        {"requests": [setting(item, v, 5, True) for v in (first, second, third)]},
    )
    assert record_of(first).status == "low_stock"

    single = api.delete(f"{path(store)}/products/{item.uuid}/variants/{first.uuid}")
    batch = send(
        api,
        "POST",
        f"{path(store)}/delete",
        {"requests": [{"productUuid": str(item.uuid), "variantUuid": str(second.uuid)}]},
    )

    assert (single.status_code, batch.status_code) == (202, 202)
    for variant in (first, second):
        record = record_of(variant)
        assert (record.reorder_level, record.low_stock_alert) == (None, False)
    assert record_of(first).status == "in_stock"
    assert not StockAlert.objects.filter(record=record_of(first), closed_at__isnull=True).exists()
    listed = api.get(f"/custom-low-stock/v2/locations/{store.uuid}/products/{item.uuid}").json()
    assert [v["variantUuid"] for v in listed["customLowStockLevelForVariants"]] == [str(third.uuid)]


def test_levels_on_an_untracked_product_do_not_start_tracking(api, company, store):
    item = product(company, variants=1, tracked=False)
    (variant,) = variants(item)

    response = send(api, "PUT", path(store), setting(item, variant, 4, True))

    assert response.status_code == 204
    record = InventoryRecord.objects.get(variant=variant)
    assert (record.is_trackable, record.reorder_level, record.status) == (False, 4, "unknown")


def test_another_location_is_400_and_a_foreign_one_404(api, company, other_company):
    item = product(company, variants=1)
    (variant,) = variants(item)
    depot = factories.store(company)
    sold = factories.virtual(company).sold
    foreign = factories.default_store(other_company)

    response = send(api, "PUT", path(sold), setting(item, variant, 4))
    assert response.status_code == 400
    assert [v["propertyName"] for v in response.json()["violations"]] == ["locationUuid"]
    assert api.get(f"/custom-low-stock/v2/locations/{sold.uuid}").status_code == 400
    # Another store of the company is no Zettle location at all, like another company's.
    for location in (depot, foreign):
        response = send(api, "PUT", path(location), setting(item, variant, 4))
        assert response.status_code == 404
        assert response.json()["errorType"] == "ENTITY_NOT_FOUND"
        assert api.get(f"/custom-low-stock/v2/locations/{location.uuid}").status_code == 404
    assert record_of(variant).reorder_level is None


@pytest.mark.parametrize("level", [-1, 2.5, "many", True])
def test_a_level_that_is_not_a_whole_number_of_at_least_zero_is_400(api, company, store, level):
    item = product(company, variants=1)
    (variant,) = variants(item)

    response = send(api, "PUT", path(store), setting(item, variant, level))

    assert response.status_code == 400
    assert [v["propertyName"] for v in response.json()["violations"]] == ["lowStockLevel"]
    assert record_of(variant).reorder_level is None


def test_a_negative_level_is_refused_in_words_that_allow_zero(api, company, store):
    item = product(company, variants=1)
    (variant,) = variants(item)

    negative = send(api, "PUT", path(store), setting(item, variant, -1))
    zero = send(api, "PUT", path(store), setting(item, variant, 0))

    assert negative.status_code == 400
    assert negative.json()["violations"][0]["developerMessage"] == (
        "Must be a whole number of at least 0."
    )
    assert zero.status_code == 204
    assert record_of(variant).reorder_level == 0


def test_a_foreign_variant_in_a_batch_is_404_and_nothing_is_saved(
    api, company, store, other_company
):
    item = product(company, variants=1)
    (variant,) = variants(item)
    foreign = product(other_company, variants=1)

    response = send(
        api,
        "POST",
        path(store),
        {
            "requests": [
                setting(item, variant, 5, True),
                setting(foreign, variants(foreign)[0], 5, True),
            ]
        },
    )

    assert response.status_code == 404
    assert [v["propertyName"] for v in response.json()["violations"]] == ["requests[1].productUuid"]
    assert record_of(variant).reorder_level is None


def test_reading_an_unknown_product_is_404(api, store, other_company):
    foreign = product(other_company, variants=1)

    response = api.get(f"/custom-low-stock/v2/locations/{store.uuid}/products/{foreign.uuid}")

    assert response.status_code == 404


def test_low_stock_reads_return_an_etag_and_answer_304_while_it_holds(api, company, store):
    item = product(company, variants=1)
    (variant,) = variants(item)
    send(api, "PUT", path(store), setting(item, variant, 4, True))
    reads = (
        f"/custom-low-stock/v2/locations/{store.uuid}",
        f"/custom-low-stock/v2/locations/{store.uuid}/products/{item.uuid}",
    )

    for read in reads:
        first = api.get(read)
        tag = first.headers["ETag"]
        unchanged = api.get(read, HTTP_IF_NONE_MATCH=tag)
        other = api.get(read, HTTP_IF_NONE_MATCH='"something-else"')

        assert first.status_code == 200 and tag.startswith('"')
        assert unchanged.status_code == 304 and unchanged.content == b""
        assert unchanged.headers["ETag"] == tag
        assert other.status_code == 200 and other.json() == first.json()

    before = [api.get(read).headers["ETag"] for read in reads]
    send(api, "PUT", path(store), setting(item, variant, 5, True))
    after = [api.get(read, HTTP_IF_NONE_MATCH=tag) for read, tag in zip(reads, before, strict=True)]

    assert [r.status_code for r in after] == [200, 200]
    assert [r.headers["ETag"] for r in after] != before
