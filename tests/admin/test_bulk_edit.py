"""Issue 14, bulk work: many quantities from the filtered inventory list, one engine call
with one reason and note; a refusal names its row and applies nothing."""

import pytest

from apps.inventory.models import InventoryRecord, StockMovement
from tests import factories

from .helpers import CHANGELIST, with_token

BULK = f"{CHANGELIST}bulk-edit/"


@pytest.fixture
def rows(company, other_company):
    return {
        "low": factories.record(company, sku="TEE-S", on_hand=2, reorder_level=5),
        "lower": factories.record(company, sku="TEE-M", on_hand=1, reorder_level=5),
        "fine": factories.record(company, sku="TEE-L", on_hand=40, reorder_level=5),
        "theirs": factories.record(other_company, sku="TEE-XL", on_hand=3),
    }


def _post(client, query, records, cells, **sheet):
    data = {
        "location": factories.default_store(records[0].company).pk,
        "reason": "receipt",
        "note": "",
        "row": [r.pk for r in records],
        **sheet,
    }
    for record, (count, change) in cells.items():
        data[f"count-{record.pk}"] = count
        data[f"change-{record.pk}"] = change
    return client.post(BULK + query, with_token(data), follow=True)


def test_the_sheet_lists_the_filtered_rows_only(clerk, rows):
    page = clerk.get(BULK + "?status=low_stock")
    assert {row.record.sku for row in page.context["rows"]} == {"TEE-S", "TEE-M"}
    listing = clerk.get(CHANGELIST, {"status": "low_stock"}).content.decode()
    assert 'href="/admin/inventory/inventoryrecord/bulk-edit/?status=low_stock"' in listing


def test_counts_and_changes_apply_as_one_request_with_one_note(clerk, rows):
    before = StockMovement.objects.count()
    response = _post(
        clerk,
        "?status=low_stock",
        [rows["low"], rows["lower"]],
        {rows["low"]: ("12", ""), rows["lower"]: ("", "+9")},
        note="Tuesday delivery",
    )
    assert "Applied 2 changes" in response.content.decode()
    assert InventoryRecord.objects.get(pk=rows["low"].pk).quantity == 12
    assert InventoryRecord.objects.get(pk=rows["lower"].pk).quantity == 10
    written = StockMovement.objects.order_by("id")[before:]
    assert [(m.reason, m.quantity, m.note, m.door) for m in written] == [
        ("count", 10, "Tuesday delivery", "admin"),
        ("receipt", 9, "Tuesday delivery", "admin"),
    ]
    assert len({m.created_at for m in written}) == 1  # one engine call


def test_a_refused_row_is_named_and_nothing_is_applied(clerk, rows):
    before = StockMovement.objects.count()
    response = _post(
        clerk,
        "",
        [rows["low"], rows["fine"]],
        {rows["low"]: ("", "+3"), rows["fine"]: ("", "-50")},
        reason="writeoff",
    )
    page = response.content.decode()
    # -50 written off from 40: the engine refuses; +3 is not a write-off: the form refuses.
    assert "Nothing was applied" in page
    assert "A writeoff takes stock out; use a negative change." in page
    assert StockMovement.objects.count() == before
    response = _post(
        clerk,
        "",
        [rows["low"], rows["fine"]],
        {rows["low"]: ("", "-1"), rows["fine"]: ("", "-50")},
        reason="writeoff",
    )
    page = response.content.decode()
    assert "Nothing was applied (row TEE-L)" in page
    refused = {row.record.sku: row.errors for row in response.context["rows"]}
    assert refused["TEE-S"] == {} and "change" in refused["TEE-L"]
    assert StockMovement.objects.count() == before
    assert InventoryRecord.objects.get(pk=rows["low"].pk).quantity == 2


def test_bad_cells_are_named_by_row_and_column(clerk, rows):
    response = _post(
        clerk,
        "",
        [rows["low"], rows["fine"], rows["lower"]],
        {rows["low"]: ("x", ""), rows["fine"]: ("3", "+1"), rows["lower"]: ("", "0")},
    )
    errors = {row.record.sku: row.errors for row in response.context["rows"]}
    assert errors == {
        "TEE-S": {"count": "A count is a whole number of at least 0."},
        "TEE-L": {"count": "Give a new count or a change, not both."},
        "TEE-M": {"change": "A change is a whole number other than 0, e.g. +5 or -2."},
    }
    assert "Nothing was applied: fix the rows marked below." in response.content.decode()


def test_another_companys_rows_are_not_touched(clerk, rows):
    _post(
        clerk,
        "",
        [rows["low"], rows["theirs"]],
        {rows["theirs"]: ("99", ""), rows["low"]: ("7", "")},
    )
    assert InventoryRecord.objects.get(pk=rows["theirs"].pk).quantity == 3
    assert InventoryRecord.objects.get(pk=rows["low"].pk).quantity == 7


def test_the_sheet_acts_once_per_submission(clerk, rows):
    data = {
        "location": factories.default_store(rows["low"].company).pk,
        "reason": "receipt",
        "note": "",
        "row": [rows["low"].pk],
        f"count-{rows['low'].pk}": "",
        f"change-{rows['low'].pk}": "+4",
    }
    data = with_token(data)
    clerk.post(BULK, data)
    second = clerk.post(BULK, data, follow=True)
    assert "already submitted" in second.content.decode()
    assert InventoryRecord.objects.get(pk=rows["low"].pk).quantity == 6


def test_the_sheet_costs_a_bounded_number_of_queries(clerk, rows, django_assert_max_num_queries):
    for n in range(30):
        factories.record(rows["low"].company, sku=f"CAP-{n}", on_hand=n)
    with django_assert_max_num_queries(20):
        assert clerk.get(BULK).status_code == 200
