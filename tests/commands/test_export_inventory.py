import csv
import io
import json

import pytest
from django.core.management.base import CommandError

from apps.catalog.models import Item, Variant
from apps.inventory import services
from apps.inventory.importexport.columns import COLUMNS
from apps.inventory.models import Door, InventoryRecord, StockLevel
from tests import factories

from .helpers import export_csv_rows, run, stores


def figures(company):
    """Every figure a round trip must keep, keyed by SKU and store."""
    records = sorted(
        InventoryRecord.objects.filter(company=company).values_list(
            "sku", "quantity", "reserved_quantity", "status", "reorder_level", "reorder_quantity"
        )
    )
    levels = sorted(
        StockLevel.objects.filter(company=company).values_list(
            "record__sku", "location__store_code", "on_hand"
        )
    )
    variants = sorted(
        Variant.objects.filter(company=company).values_list(
            "sku", "name", "upc", "price", "attributes", "item__name", "item__sku"
        )
    )
    return records, levels, variants


def stocked_company(company):
    main, north = stores(company)
    shoe = factories.item(
        company,
        name="Trail shoe",
        sku="SHOE",
        price="89.50",
        variants=[
            {
                "sku": "SHOE-8",
                "name": "8 D",
                "upc": "012345678905",
                "attributes": {"size": "8", "width": "D"},
                "price": "89.50",
            },
            {"sku": "SHOE-9", "name": "9 D", "attributes": {"size": "9", "width": "D"}},
        ],
    )
    records = services.ensure_records(company=company, variants=list(shoe.variants.all()))
    eight = next(r for r in records.values() if r.sku == "SHOE-8")
    nine = next(r for r in records.values() if r.sku == "SHOE-9")
    services.receive(company=company, record=eight, location=main, quantity=5, door=Door.ADMIN)
    services.receive(company=company, record=eight, location=north, quantity=7, door=Door.ADMIN)
    services.reserve(company=company, record=eight, quantity=2, door=Door.ADMIN)
    services.set_reorder(company=company, record=eight, reorder_level=20, reorder_quantity=30)
    services.receive(company=company, record=nine, location=main, quantity=3, door=Door.ADMIN)
    services.sell(company=company, record=nine, location=main, quantity=3, door=Door.ADMIN)
    factories.record(company, sku="NEVER-STOCKED")
    return eight, nine


def test_export_writes_one_row_per_record_and_location(company):
    stocked_company(company)
    rows = export_csv_rows(company)

    assert list(rows[0]) == list(COLUMNS)
    by_key = {(r["sku"], r["store_code"]): r for r in rows}
    assert set(by_key) == {
        ("SHOE-8", "main"),
        ("SHOE-8", "north"),
        ("SHOE-9", "main"),
        ("NEVER-STOCKED", ""),
    }
    north = by_key[("SHOE-8", "north")]
    assert north == {
        "item": "Trail shoe",
        "item_sku": "SHOE",
        "variant": "8 D",
        "sku": "SHOE-8",
        "upc": "012345678905",
        "size": "8",
        "width": "D",
        "color": "",
        "price": "89.50",
        "store_code": "north",
        "on_hand": "7",
        "quantity": "12",
        "reserved_quantity": "2",
        "available_quantity": "10",
        "status": "low_stock",
        "reorder_level": "20",
        "reorder_quantity": "30",
    }
    assert by_key[("SHOE-9", "main")]["status"] == "out_of_stock"
    assert by_key[("SHOE-9", "main")]["on_hand"] == "0"
    assert by_key[("NEVER-STOCKED", "")]["on_hand"] == ""


def test_status_filter_and_json_stream(company, tmp_path):
    stocked_company(company)
    out, _ = run("export_inventory", company=company.name, format="json", status="out_of_stock")
    data = json.loads(out)
    assert sorted(r["sku"] for r in data) == ["NEVER-STOCKED", "SHOE-9"]
    assert all(isinstance(r["quantity"], int) for r in data)

    path = tmp_path / "low.json"
    _, err = run(
        "export_inventory",
        company=company.name,
        format="json",
        status="low_stock,in_stock",
        output=str(path),
    )
    assert "Wrote 2 rows" in err
    assert {r["store_code"] for r in json.loads(path.read_text())} == {"main", "north"}


def test_export_then_import_round_trips_to_the_same_figures(company, other_company, tmp_path):
    stocked_company(company)
    stores(other_company)
    for fmt in ("csv", "json"):
        target = factories.company(f"Copy {fmt}")
        stores(target)
        path = tmp_path / f"stock.{fmt}"
        run("export_inventory", company=company.name, format=fmt, output=str(path))
        run("import_inventory", str(path), company=target.name)

        assert figures(target) == figures(company)
        run("audit_ledger", company=target.name)
        assert export_csv_rows(target) == export_csv_rows(company)


def test_reimporting_an_unchanged_export_moves_nothing(company, tmp_path):
    stocked_company(company)
    path = tmp_path / "stock.csv"
    run("export_inventory", company=company.name, output=str(path))
    before = figures(company)
    out, _ = run("import_inventory", str(path), company=company.name)
    assert "0 ledger movements" in out
    assert figures(company) == before


def test_formula_looking_text_is_escaped_and_read_back_unescaped(company, tmp_path):
    stores(company)
    nasty = {
        '=HYPERLINK("http://x")': "=SUM(A1)",
        "+44 shirt": "+1",
        "-minus": "-2",
        "@at": "@3",
        "'quoted": "'4",
        "\ttabbed": "tab-5",
    }
    for name, sku in nasty.items():
        record = factories.record(company, sku=sku, on_hand=1)
        Item.objects.filter(pk=record.item_id).update(name=name)
    out, _ = run("export_inventory", company=company.name)
    cells = {r["sku"]: r["item"] for r in csv.DictReader(io.StringIO(out))}
    assert cells["'=SUM(A1)"] == '\'=HYPERLINK("http://x")'
    assert cells["'+1"] == "'+44 shirt"
    assert cells["'-2"] == "'-minus"
    assert cells["'@3"] == "'@at"
    assert cells["''4"] == "''quoted"
    assert cells["tab-5"] == "'\ttabbed"

    target = factories.company("Target")
    path = tmp_path / "nasty.csv"
    path.write_text(out)
    run("import_inventory", str(path), company=target.name)
    names = dict(Variant.objects.filter(company=target).values_list("sku", "item__name"))
    assert names == {sku: name for name, sku in nasty.items()}


def test_bad_arguments_and_unknown_company(company):
    with pytest.raises(CommandError, match="Unknown company 'Nope'"):
        run("export_inventory", company="Nope")
    with pytest.raises(CommandError, match="Unknown status 'sold'"):
        run("export_inventory", company=company.name, status="sold")
    with pytest.raises(CommandError, match="invalid choice: 'xlsx'"):
        run("export_inventory", "--company", company.name, "--format", "xlsx")
    with pytest.raises(CommandError, match="Cannot write"):
        run("export_inventory", company=company.name, output="/nonexistent/dir/x.csv")
