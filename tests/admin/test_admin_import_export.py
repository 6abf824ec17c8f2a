"""Issue 14, bulk work: the admin's export covers the whole filter in the import's columns,
and a CSV uploads to a dry run (every error by line and column) and then applies."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.inventory.importexport.columns import COLUMNS
from apps.inventory.models import InventoryRecord, StockMovement
from tests import factories

from .helpers import CHANGELIST

EXPORT = f"{CHANGELIST}export/"
IMPORT = f"{CHANGELIST}import/"


def _csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_covers_the_whole_filter_not_the_page(clerk, company, other_company):
    for n in range(105):
        factories.record(company, sku=f"LOW-{n:03d}", on_hand=1, reorder_level=5)
    factories.record(company, sku="FINE", on_hand=50, reorder_level=5)
    factories.record(other_company, sku="THEIRS", on_hand=1, reorder_level=5)
    page = clerk.get(CHANGELIST, {"status": "low_stock"})
    assert len(page.context["cl"].result_list) == 100  # one page
    assert f'href="{EXPORT}?status=low_stock"' in page.content.decode()

    rows = _csv(clerk.get(EXPORT, {"status": "low_stock"}))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == 105 and {r["status"] for r in rows} == {"low_stock"}
    assert "THEIRS" not in {r["sku"] for r in rows}


def _upload(client, text, company):
    return client.post(
        IMPORT,
        {
            "step": "preview",
            "company": company.pk,
            "file": SimpleUploadedFile("stock.csv", text.encode(), "text/csv"),
        },
    )


def test_an_export_edited_and_imported_back_previews_then_applies(clerk, company):
    factories.record(company, sku="TEE-M", on_hand=4)
    exported = _csv(clerk.get(EXPORT))
    exported[0]["on_hand"], exported[0]["quantity"] = "9", ""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS)
    writer.writeheader()
    writer.writerows(exported)
    before = StockMovement.objects.count()

    preview = _upload(clerk, out.getvalue(), company)
    assert preview.context["summary"].movements == 1
    assert [(r.sku, r.action, r.counts) for r in preview.context["rows"]] == [
        ("TEE-M", "change", ["main: 4 to 9"])
    ]
    assert StockMovement.objects.count() == before  # a dry run
    assert InventoryRecord.objects.get(sku="TEE-M").quantity == 4

    apply = {
        "step": "apply",
        "reference": preview.context["reference"],
        "once_token": preview.context["once_token"],
    }
    response = clerk.post(IMPORT, apply, follow=True)
    assert "Imported stock.csv into Acme" in response.content.decode()
    assert InventoryRecord.objects.get(sku="TEE-M").quantity == 9
    row = StockMovement.objects.latest("id")  # the ledger says who imported, from where
    assert (row.door, row.actor_user.username) == ("admin", response.wsgi_request.user.username)
    again = clerk.post(IMPORT, apply, follow=True)  # a double click
    assert "already submitted" in again.content.decode()
    assert StockMovement.objects.count() == before + 1


def test_the_dry_run_lists_every_error_by_line_and_column(clerk, company):
    text = "sku,store_code,on_hand,reorder_level,price\nA,main,2,,\n,main,x,-1,abc\nB,nowhere,3,,\n"
    response = _upload(clerk, text, company)
    errors = [(e.line, e.column) for e in response.context["errors"]]
    assert errors == [
        (2, "item"),
        (3, "on_hand"),
        (3, "price"),
        (3, "reorder_level"),
        (3, "sku"),
        (4, "item"),
        (4, "store_code"),
    ]
    page = response.content.decode()
    assert "7 errors in the file (3 rows checked): nothing was imported" in page
    assert StockMovement.objects.count() == 0


def test_a_file_that_is_not_the_format_says_so(clerk, company):
    response = _upload(clerk, "name;qty\nA;1\n", company)
    assert "unknown column" in response.context["file_error"]


def test_a_clerk_cannot_import_into_another_company(clerk, other_company):
    response = _upload(clerk, "sku,store_code,on_hand\nA,main,2\n", other_company)
    assert "company" in response.context["form"].errors
