"""Cycle counts through the native API, as a client sees them."""

import json

import pytest
from django.core.management import call_command

from apps.counts.models import Count
from apps.inventory.models import StockMovement
from tests import factories
from tests.api.native.helpers import body, client, fields, post, problem

from .helpers import figures, ledger, on_hand

pytestmark = pytest.mark.django_db

COUNTS = "/api/v1/counts"


@pytest.fixture
def api(write_key):
    return client(write_key)


@pytest.fixture
def tee(company):
    return factories.record(company, sku="TEE", on_hand=12, upc="012345678905")


def open_count(api, **fields):
    response = post(api, COUNTS, {"store_code": "main", **fields})
    assert response.status_code == 201, response.content
    return body(response)


def count_lines(api, count, lines, **headers):
    return post(api, f"{COUNTS}/{count['id']}/lines", {"lines": lines}, **headers)


def zettle_sale(key, record, store, units):
    """A sale sent through the Zettle door, as a till would."""
    sold = factories.virtual(record.company).sold
    change = {
        "productUuid": str(record.item.uuid),
        "variantUuid": str(record.variant.uuid),
        "fromLocationUuid": str(store.uuid),
        "toLocationUuid": str(sold.uuid),
        "change": units,
    }
    response = client(key).put(
        "/organizations/self/inventory",
        data=json.dumps({"changes": [change]}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


def test_a_sale_between_counting_and_applying_is_kept(api, write_key, store, tee):
    count = open_count(api)
    assert (count["number"], count["status"], count["blind"]) == ("CC-00001", "open", True)
    assert count["lines"] == [
        {
            "sku": "TEE",
            "upc": "012345678905",
            "variant": str(tee.variant.uuid),
            "expected": None,
            "counted": None,
            "counted_at": None,
            "added": False,
            "expected_at_count": None,
            "variance": None,
            "applied_on_hand": None,
        }
    ]
    counted = count_lines(api, count, [{"sku": "TEE", "counted": 10}])
    assert counted.status_code == 200, counted.content
    assert body(counted)["lines"][0]["counted"] == 10
    assert body(counted)["lines"][0]["counted_at"] is not None

    zettle_sale(write_key, tee, store, 2)

    applied = post(api, f"{COUNTS}/{count['id']}/apply")
    assert applied.status_code == 200, applied.content
    line = body(applied)["lines"][0]
    assert body(applied)["status"] == "applied"
    assert (line["expected_at_count"], line["variance"], line["applied_on_hand"]) == (12, -2, 8)
    assert line["expected"] == 12  # shown once the count is no longer open
    assert on_hand(tee, store) == 8
    assert ledger(tee)[-2:] == [
        ("sale", 2, "STORE", "SOLD", ""),
        ("count", 2, "STORE", "BIN", "CC-00001"),
    ]
    assert StockMovement.objects.filter(record=tee).first().door == "native"
    call_command("audit_ledger")


def test_blind_answers_hide_expected_and_an_open_one_shows_it(api, tee):
    blind = open_count(api)
    post(api, f"{COUNTS}/{blind['id']}/lines", {"lines": [{"upc": "012345678905", "counted": 3}]})
    for answer in (
        body(api.get(f"{COUNTS}/{blind['id']}")),
        body(count_lines(api, blind, [{"sku": "TEE", "counted": 4}])),
    ):
        assert [line["expected"] for line in answer["lines"]] == [None]
    shown = open_count(api, blind=False)
    assert [line["expected"] for line in shown["lines"]] == [12]


def test_a_repeat_entry_replaces_and_an_item_outside_the_scope_is_added(api, company, tee):
    cap = factories.record(company, sku="CAP")
    count = open_count(api, skus=["TEE"])
    first = body(count_lines(api, count, [{"sku": "TEE", "counted": 5}]))["lines"][0]
    answer = body(
        count_lines(api, count, [{"sku": "TEE", "counted": 7}, {"sku": "CAP", "counted": 2}])
    )
    by_sku = {line["sku"]: line for line in answer["lines"]}
    assert by_sku["TEE"]["counted"] == 7
    assert by_sku["TEE"]["counted_at"] >= first["counted_at"]
    assert (by_sku["CAP"]["counted"], by_sku["CAP"]["added"]) == (2, True)
    assert Count.objects.get().lines.get(record=cap).expected == 0


def test_zero_uncounted_sets_what_nobody_counted_to_zero(api, company, store, tee):
    cap = factories.record(company, sku="CAP", on_hand=5)
    count = open_count(api)
    count_lines(api, count, [{"sku": "TEE", "counted": 12}])
    applied = body(post(api, f"{COUNTS}/{count['id']}/apply", {"zero_uncounted": True}))
    by_sku = {line["sku"]: line for line in applied["lines"]}
    assert (by_sku["CAP"]["counted"], by_sku["CAP"]["variance"]) == (0, -5)
    assert (on_hand(cap, store), on_hand(tee, store)) == (0, 12)
    assert applied["zero_uncounted"] is True


def test_uncounted_lines_are_left_alone_by_default(api, company, store, tee):
    cap = factories.record(company, sku="CAP", on_hand=5)
    count = open_count(api)
    count_lines(api, count, [{"sku": "TEE", "counted": 11}])
    applied = body(post(api, f"{COUNTS}/{count['id']}/apply"))
    by_sku = {line["sku"]: line for line in applied["lines"]}
    assert by_sku["CAP"]["applied_on_hand"] is None
    assert (on_hand(cap, store), on_hand(tee, store)) == (5, 11)


def test_applying_twice_or_a_cancelled_count_is_409_and_changes_nothing(api, tee):
    count = open_count(api)
    count_lines(api, count, [{"sku": "TEE", "counted": 9}])
    assert post(api, f"{COUNTS}/{count['id']}/apply").status_code == 200
    before = figures([tee])
    problem(post(api, f"{COUNTS}/{count['id']}/apply"), 409)
    problem(count_lines(api, count, [{"sku": "TEE", "counted": 1}]), 409)
    problem(post(api, f"{COUNTS}/{count['id']}/cancel"), 409)

    other = open_count(api)
    count_lines(api, other, [{"sku": "TEE", "counted": 1}])
    cancelled = post(api, f"{COUNTS}/{other['id']}/cancel")
    assert body(cancelled)["status"] == "cancelled"
    problem(post(api, f"{COUNTS}/{other['id']}/apply"), 409)
    assert figures([tee]) == before


def test_a_count_overtaken_by_sales_is_refused_with_its_line(api, write_key, company, store, tee):
    factories.record(company, sku="CAP", on_hand=3)
    count = open_count(api)
    count_lines(api, count, [{"sku": "TEE", "counted": 1}, {"sku": "CAP", "counted": 3}])
    zettle_sale(write_key, tee, store, 3)
    before = figures([tee])

    refused = problem(post(api, f"{COUNTS}/{count['id']}/apply"), 409)

    tee_index = [line["sku"] for line in count["lines"]].index("TEE")
    assert fields(refused) == [f"lines[{tee_index}].counted"]
    assert figures([tee]) == before
    assert body(api.get(f"{COUNTS}/{count['id']}"))["status"] == "open"


def test_bad_input_is_400_naming_the_field(api, tee):
    assert fields(problem(post(api, COUNTS, {}), 400)) == ["location"]
    assert fields(problem(post(api, COUNTS, {"store_code": "nowhere"}), 400)) == ["store_code"]
    assert fields(problem(post(api, COUNTS, {"store_code": "main", "skus": ["NOPE"]}), 400)) == [
        "skus[0]"
    ]
    count = open_count(api)
    assert fields(problem(count_lines(api, count, [{"sku": "TEE", "counted": -1}]), 400)) == [
        "lines[0].counted"
    ]
    assert fields(problem(count_lines(api, count, [{"sku": "NOPE", "counted": 1}]), 400)) == [
        "lines[0].sku"
    ]
    assert Count.objects.get().lines.get().counted is None


def test_another_companys_count_is_404_and_absent_from_lists(api, other_key, tee):
    count = open_count(api)
    theirs = client(other_key)
    problem(theirs.get(f"{COUNTS}/{count['id']}"), 404)
    problem(post(theirs, f"{COUNTS}/{count['id']}/apply"), 404)
    problem(count_lines(theirs, count, [{"sku": "TEE", "counted": 1}]), 404)
    assert body(theirs.get(COUNTS))["results"] == []


def test_lists_are_newest_first_filter_by_status_and_page(api, tee, django_assert_max_num_queries):
    made = [open_count(api) for _ in range(3)]
    post(api, f"{COUNTS}/{made[0]['id']}/cancel")
    with django_assert_max_num_queries(6):
        page = body(api.get(COUNTS, {"limit": 2}))
    assert [c["number"] for c in page["results"]] == ["CC-00003", "CC-00002"]
    assert page["results"][0]["lines_total"] == 1
    rest = body(api.get(COUNTS, {"limit": 2, "cursor": page["next"]}))
    assert [c["number"] for c in rest["results"]] == ["CC-00001"] and rest["next"] is None
    cancelled = body(api.get(COUNTS, {"status": "cancelled"}))
    assert [c["number"] for c in cancelled["results"]] == ["CC-00001"]
    assert fields(problem(api.get(COUNTS, {"state": "open"}), 400)) == ["state"]


def test_a_read_only_key_reads_but_cannot_count(read_key, api, tee):
    count = open_count(api)
    reader = client(read_key)
    assert reader.get(f"{COUNTS}/{count['id']}").status_code == 200
    problem(post(reader, COUNTS, {"store_code": "main"}), 403)
    problem(count_lines(reader, count, [{"sku": "TEE", "counted": 1}]), 403)


def test_retries_with_an_idempotency_key_apply_once(api, store, tee):
    count = open_count(api)
    count_lines(api, count, [{"sku": "TEE", "counted": 10}])
    first = post(api, f"{COUNTS}/{count['id']}/apply", **{"Idempotency-Key": "apply-1"})
    again = post(api, f"{COUNTS}/{count['id']}/apply", **{"Idempotency-Key": "apply-1"})
    assert again.status_code == 200 and again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert StockMovement.objects.filter(record=tee, reason="count").count() == 1


def test_a_stale_if_match_is_412(api, tee):
    count = open_count(api)
    etag = api.get(f"{COUNTS}/{count['id']}")["ETag"]
    count_lines(api, count, [{"sku": "TEE", "counted": 10}])
    problem(post(api, f"{COUNTS}/{count['id']}/apply", **{"If-Match": etag}), 412)
    fresh = api.get(f"{COUNTS}/{count['id']}")["ETag"]
    assert post(api, f"{COUNTS}/{count['id']}/apply", **{"If-Match": fresh}).status_code == 200
