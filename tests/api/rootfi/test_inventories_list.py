"""Lists: keyset cursors, filters, counts, deleted records and a fixed query cost."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.serializers import BaseSerializer

from apps.inventory import services
from apps.inventory.models import InventoryRecord
from tests import factories

from .helpers import INVENTORIES, error_of


def walk(api, url, direction="next"):
    seen, pages = [], 0
    response = api.get(url)
    while True:
        assert response.status_code == 200, response.json()
        body = response.json()
        seen.extend(row["rootfi_id"] for row in body["data"])
        pages += 1
        if not body[direction]:
            return seen, pages, body
        joiner = "&" if "?" in url else "?"
        response = api.get(f"{url}{joiner}{direction}={body[direction]}")


@pytest.fixture
def many_records(company):
    item = factories.item(company, variants=[{"sku": f"V-{i}"} for i in range(250)])
    records = services.ensure_records(company=company, variants=list(item.variants.all()))
    # Spread the times, with ties, so the sort column alone cannot order them.
    base = timezone.now() - timedelta(days=1)
    for index, record in enumerate(records.values()):
        InventoryRecord.objects.filter(pk=record.pk).update(
            rootfi_created_at=base + timedelta(seconds=index // 3),
            rootfi_updated_at=base + timedelta(seconds=(250 - index) // 4),
        )
    return sorted(r.pk for r in records.values())


def test_default_order_visits_every_row_once(api, many_records):
    seen, pages, _ = walk(api, f"{INVENTORIES}?limit=30")
    assert seen == many_records
    assert pages == 9


@pytest.mark.parametrize("column", ["rootfi_created_at", "rootfi_updated_at"])
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
def test_sorted_pages_visit_every_row_once(api, many_records, column, direction):
    url = f"{INVENTORIES}?limit=40&sort[{column}]={direction}"
    seen, _, last = walk(api, url)
    assert sorted(seen) == many_records and len(seen) == len(set(seen))
    rows = InventoryRecord.objects.filter(pk__in=seen).values_list("pk", column)
    expected = sorted(rows, key=lambda r: (r[1], r[0]), reverse=direction == "DESC")
    assert seen == [pk for pk, _ in expected]

    # And back again through `prev`, from the last page.
    back = [row["rootfi_id"] for row in last["data"]]
    response = last
    while response["prev"]:
        response = api.get(f"{url}&prev={response['prev']}").json()
        back = [row["rootfi_id"] for row in response["data"]] + back
    assert back == seen


def test_cursor_with_other_filters_or_sort_is_400(api, many_records):
    first = api.get(f"{INVENTORIES}?limit=10&status=out_of_stock").json()
    other_filter = api.get(f"{INVENTORIES}?limit=10&status=in_stock&next={first['next']}")
    assert "next" in error_of(other_filter, 400)["fields"]
    other_sort = api.get(
        f"{INVENTORIES}?limit=10&status=out_of_stock&sort[rootfi_updated_at]=ASC"
        f"&next={first['next']}"
    )
    error_of(other_sort, 400)
    other_limit = f"{INVENTORIES}?limit=5&status=out_of_stock&next={first['next']}"
    assert api.get(other_limit).status_code == 200
    error_of(api.get(f"{INVENTORIES}?next=forged"), 400)


def test_limit_defaults_to_100_and_caps_at_1000(api, many_records):
    assert len(api.get(INVENTORIES).json()["data"]) == 100
    assert len(api.get(f"{INVENTORIES}?limit=5000").json()["data"]) == 250
    assert "limit" in error_of(api.get(f"{INVENTORIES}?limit=zero"), 400)["fields"]
    error_of(api.get(f"{INVENTORIES}?limit=0"), 400)


def test_return_count_only_when_asked(api, many_records):
    assert "total_count" not in api.get(f"{INVENTORIES}?limit=1").json()
    body = api.get(f"{INVENTORIES}?limit=1&return_count=true").json()
    assert body["total_count"] == 250


def test_filters(api, company):
    low = factories.record(company, on_hand=5, reorder_level=10, sku="LOW-1")
    empty = factories.record(company, sku="EMPTY-1")
    full = factories.record(company, on_hand=50, reorder_level=10, sku="FULL-1")
    untracked = factories.record(company, on_hand=1, sku="UNT-1")
    services.update_settings(company=company, records=[untracked], is_trackable=False)

    def ids(query):
        response = api.get(f"{INVENTORIES}?{query}")
        assert response.status_code == 200, response.json()
        return [row["rootfi_id"] for row in response.json()["data"]]

    assert ids("status=low_stock") == [low.pk]
    assert ids("status=LOW_STOCK,out_of_stock") == [low.pk, empty.pk]
    assert ids("sku=FULL-1") == [full.pk]
    assert ids(f"item_id={full.item.platform_id}") == [full.pk]
    assert ids(f"item_id={full.item_id}") == [full.pk]
    assert ids(f"variant_id={low.variant.platform_id}") == [low.pk]
    assert ids(f"variant_id={low.variant_id}") == [low.pk]
    assert ids("is_trackable=false") == [untracked.pk]
    assert ids("is_trackable=true") == [low.pk, empty.pk, full.pk]
    assert "status" in error_of(api.get(f"{INVENTORIES}?status=plenty"), 400)["fields"]
    assert "is_trackable" in error_of(api.get(f"{INVENTORIES}?is_trackable=maybe"), 400)["fields"]


def test_sku_item_and_variant_filters_take_comma_lists(api, company):
    one = factories.record(company, sku="CL-1")
    two = factories.record(company, sku="CL-2")
    comma = factories.record(company, sku="CL,3")
    factories.record(company, sku="CL-4")

    def ids(query):
        response = api.get(f"{INVENTORIES}?{query}")
        assert response.status_code == 200, response.json()
        return [row["rootfi_id"] for row in response.json()["data"]]

    assert ids("sku=CL-1,CL-2") == [one.pk, two.pk]
    assert ids("sku=CL-1, CL-2,") == [one.pk, two.pk]
    assert ids("sku=CL,3") == [comma.pk]  # a SKU holding a comma is still found whole
    assert ids(f"item_id={one.item.platform_id},{two.item_id}") == [one.pk, two.pk]
    assert ids(f"variant_id={one.variant_id},{two.variant.platform_id}") == [one.pk, two.pk]


def test_unsupported_bracket_filters_are_400_not_ignored(api, company):
    factories.record(company, sku="B-1")
    for param in ("rootfi_updated_at[ne]", "quantity[gte]", "rootfi_deleted_at[eq]"):
        error = error_of(api.get(f"{INVENTORIES}?{param}=2024-01-01"), 400)
        assert param in error["fields"], error
        assert "rootfi_updated_at[gte]" in error["fields"][param]
    assert error_of(api.get("/v4/payments/items?price[lte]=5"), 400)["fields"]


def test_updated_at_bracket_filters(api, company):
    old = factories.record(company, sku="OLD")
    new = factories.record(company, sku="NEW")
    then = timezone.now() - timedelta(days=3)
    InventoryRecord.objects.filter(pk=old.pk).update(rootfi_updated_at=then)
    read_new = api.get(f"{INVENTORIES}/{new.pk}").json()

    def ids(query):
        response = api.get(f"{INVENTORIES}?{query}")
        assert response.status_code == 200, response.json()
        return [row["rootfi_id"] for row in response.json()["data"]]

    since = (then + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"rootfi_updated_at[gte]={since}") == [new.pk]
    assert ids(f"rootfi_updated_at[lte]={since}") == [old.pk]
    assert ids(f"rootfi_updated_at[eq]={read_new['rootfi_updated_at']}") == [new.pk]
    assert ids(f"rootfi_created_at[lte]={then.date().isoformat()}") == []
    fields = error_of(api.get(f"{INVENTORIES}?rootfi_updated_at[gte]=yesterday"), 400)["fields"]
    assert "rootfi_updated_at[gte]" in fields
    # A stock change moves rootfi_updated_at, so a syncing client sees it.
    api.patch(f"{INVENTORIES}/{old.pk}", {"quantity": 3}, format="json")
    assert ids(f"rootfi_updated_at[gte]={since}") == [old.pk, new.pk]


def test_deleted_records_leave_the_list_unless_asked(api, company):
    kept = factories.record(company, on_hand=1)
    gone = factories.record(company, on_hand=2)
    assert api.delete(f"{INVENTORIES}/{gone.pk}").status_code == 204
    assert [r["rootfi_id"] for r in api.get(INVENTORIES).json()["data"]] == [kept.pk]
    rows = api.get(f"{INVENTORIES}?include_deleted_records=true").json()["data"]
    assert [r["rootfi_id"] for r in rows] == [kept.pk, gone.pk]
    assert rows[1]["rootfi_deleted_at"] is not None
    assert rows[1]["quantity"] == 2


def _stock_in_two_places(company, count):
    north = factories.store(company)
    for index in range(count):
        record = factories.record(company, on_hand=3, sku=f"Q-{index}")
        services.receive(company=company, record=record, location=north, quantity=1, door="command")


def test_page_query_count_is_fixed(api, company, django_assert_max_num_queries):
    _stock_in_two_places(company, 100)
    url = f"{INVENTORIES}?expand=item,variant,addresses&return_count=true"
    api.get(INVENTORIES)  # the key's last_used_at is written once a minute, not per page
    with django_assert_max_num_queries(8) as small:
        assert len(api.get(f"{url}&limit=10").json()["data"]) == 10
    with django_assert_max_num_queries(8) as large:
        body = api.get(f"{url}&limit=100").json()
    assert len(body["data"]) == 100
    assert len(large.captured_queries) == len(small.captured_queries)
    assert all(len(row["addresses"]) == 2 for row in body["data"])


def test_page_builds_a_fixed_number_of_serializers(api, company, monkeypatch):
    """Building a DRF serializer deep-copies its fields; one per row made a 1,000-row page
    with every expansion take seconds. Nested serializers are built once per page."""
    _stock_in_two_places(company, 60)
    built = []
    original = BaseSerializer.__init__

    def counting_init(self, *args, **kwargs):
        built.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(BaseSerializer, "__init__", counting_init)
    url = f"{INVENTORIES}?expand=item,variant,addresses"
    api.get(f"{url}&limit=1")  # the first request imports every door's modules
    built[:] = []
    assert len(api.get(f"{url}&limit=5").json()["data"]) == 5
    small, built[:] = len(built), []
    body = api.get(f"{url}&limit=60").json()
    assert len(body["data"]) == 60
    assert len(built) == small, built
    assert all(len(row["addresses"]) == 2 and row["item"]["variants"] for row in body["data"])
    built[:] = []
    assert len(api.get("/v4/payments/items?limit=5&expand=variants").json()["data"]) == 5
    small, built[:] = len(built), []
    assert len(api.get("/v4/payments/items?limit=60&expand=variants").json()["data"]) == 60
    assert len(built) == small, built


def test_deep_page_costs_what_the_first_does(api, company, django_assert_max_num_queries):
    _stock_in_two_places(company, 30)
    first = api.get(f"{INVENTORIES}?limit=10")
    with django_assert_max_num_queries(8) as deep:
        response = api.get(f"{INVENTORIES}?limit=10&next={first.json()['next']}")
    assert response.status_code == 200
    assert not any("OFFSET" in q["sql"].upper() for q in deep.captured_queries)
    assert not any("COUNT(" in q["sql"].upper() for q in deep.captured_queries)


def test_expand_item_variant_page_is_at_most_five_queries(
    api, company, django_assert_max_num_queries
):
    """Issue 10: `GET /v4/ecommerce/inventories?limit=100&expand=item,variant`, at most 5
    queries (the key, the page, its addresses, the items' variants)."""
    _stock_in_two_places(company, 100)
    api.get(INVENTORIES)  # the key's last_used_at is written once a minute, not per page
    with django_assert_max_num_queries(5):
        response = api.get(f"{INVENTORIES}?limit=100&expand=item,variant")
    body = response.json()
    assert len(body["data"]) == 100
    for row in body["data"]:
        assert row["item"]["rootfi_id"] and row["item"]["variants"]
        assert row["variant"]["platform_id"] == row["variant_id"]
        assert [a["quantity"] for a in row["addresses"]] == [3, 1]
    with django_assert_max_num_queries(3):
        assert len(api.get(f"{INVENTORIES}?limit=100&status=in_stock").json()["data"]) == 100


@pytest.mark.parametrize("expand", ["", "item", "variant", "item,variant,addresses"])
def test_a_list_row_is_the_object_its_detail_answers(api, company, expand):
    """The list loads less than the detail (ids for what is not expanded, addresses as
    values); what it renders is the same, data_hash included."""
    _stock_in_two_places(company, 3)
    factories.record(company, sku="EMPTY")  # no address at all
    rows = api.get(f"{INVENTORIES}?expand={expand}").json()["data"]
    assert len(rows) == 4
    for row in rows:
        detail = api.get(f"{INVENTORIES}/{row['rootfi_id']}?expand={expand}")
        assert row == detail.json()
        assert detail["ETag"] == f'"{row["data_hash"]}"'
