import pytest
from django.core.management.base import CommandError

from apps.catalog.models import Item, Variant
from apps.inventory.models import (
    InventoryRecord,
    OutboxEvent,
    StockAlert,
    StockLevel,
    StockMovement,
)
from tests import factories

from .helpers import row, run, stores, write_csv, write_json


def levels_of(company):
    return sorted(
        StockLevel.objects.filter(company=company).values_list(
            "record__sku", "location__store_code", "on_hand"
        )
    )


def test_import_creates_items_variants_and_stock_through_the_ledger(company, tmp_path):
    stores(company)
    path = write_csv(
        tmp_path / "stock.csv",
        [
            row(
                "SHOE-8",
                "main",
                5,
                12,
                item="Trail shoe",
                item_sku="SHOE",
                variant="8",
                size="8",
                width="D",
                upc="012345678905",
                price="89.50",
                reorder_level=6,
                reorder_quantity=20,
                reserved_quantity=2,
            ),
            row(
                "SHOE-8",
                "north",
                7,
                12,
                item="Trail shoe",
                item_sku="SHOE",
                variant="8",
                size="8",
                width="D",
                upc="012345678905",
                price="89.50",
                reorder_level=6,
                reorder_quantity=20,
                reserved_quantity=2,
            ),
            row(
                "SHOE-9",
                "main",
                0,
                0,
                item="Trail shoe",
                item_sku="SHOE",
                variant="9",
                size="9",
                width="D",
                price="89.50",
            ),
        ],
    )
    out, _ = run("import_inventory", path, company=company.name)

    assert "Imported 3 rows" in out
    item = Item.objects.get(company=company, sku="SHOE")
    assert item.name == "Trail shoe"
    variants = {v.sku: v for v in Variant.objects.filter(item=item)}
    assert set(variants) == {"SHOE-8", "SHOE-9"}
    assert variants["SHOE-8"].attributes == {"size": "8", "width": "D"}
    assert variants["SHOE-8"].gtin == "00012345678905"
    assert str(variants["SHOE-8"].price) == "89.50"
    record = InventoryRecord.objects.get(company=company, sku="SHOE-8")
    assert (record.quantity, record.reserved_quantity, record.available_quantity) == (12, 2, 10)
    assert (record.reorder_level, record.reorder_quantity, record.status) == (6, 20, "in_stock")
    assert levels_of(company) == [
        ("SHOE-8", "main", 5),
        ("SHOE-8", "north", 7),
        ("SHOE-9", "main", 0),
    ]
    moves = StockMovement.objects.filter(company=company, reason="import")
    assert moves.count() == 2
    assert set(moves.values_list("door", flat=True)) == {"command"}
    assert StockMovement.objects.filter(company=company, reason="reserve").count() == 1
    assert OutboxEvent.objects.filter(
        company=company, event_name="InventoryBalanceChanged"
    ).exists()
    run("audit_ledger", company=company.name)


def test_one_bad_row_among_thousands_applies_nothing_and_names_the_line(company, tmp_path):
    stores(company)
    rows = [row(f"SKU-{n}", "main", n % 7) for n in range(3000)]
    rows[1499]["on_hand"] = "seven"  # the 1,500th data row: line 1,501 after the header
    path = write_csv(tmp_path / "bad.csv", rows)

    with pytest.raises(CommandError, match="1 bad row"):
        run("import_inventory", path, company=company.name)
    _, err = _errors_of("import_inventory", path, company)
    assert "line 1501, column on_hand: 'seven' is not a whole number" in err
    assert Item.objects.filter(company=company).count() == 0
    assert InventoryRecord.objects.filter(company=company).count() == 0
    assert StockMovement.objects.filter(company=company).count() == 0


def _errors_of(name, *args_and_company):
    import io

    from django.core.management import call_command

    *args, company = args_and_company
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command(name, *args, company=company.name, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def row_errors(*args):
    """The row errors a failed import reported (progress lines left out)."""
    _, err = _errors_of(*args)
    return [line for line in err.splitlines() if line.startswith("line ")]


def test_quantity_that_disagrees_with_the_on_hand_rows_is_a_row_error(company, tmp_path):
    stores(company)
    path = write_csv(
        tmp_path / "stock.csv",
        [
            row("A", "main", 1, 1),
            row("B", "main", 4, 10),
            row("B", "north", 5, 10),
        ],
    )
    _, err = _errors_of("import_inventory", path, company)
    assert "line 3, column quantity: 10 disagrees with the on_hand rows of SKU 'B'" in err
    assert "make 9; correct quantity or leave it blank." in err
    assert StockMovement.objects.filter(company=company).count() == 0


def test_every_bad_row_is_reported_by_line_and_column(company, tmp_path):
    stores(company)
    path = write_csv(
        tmp_path / "stock.csv",
        [
            row("A", "main", 1),
            row("B", "nowhere", 2),
            row("C", "main", -3, 0),
            row("", "main", 1),
            row("D", "main", 2, reorder_level=5),
            row("D", "north", 0, 2, reorder_level=6),
            row("E", "main", 1, status="sold_out"),
            row("A", "main", 1),
        ],
    )
    lines = row_errors("import_inventory", path, company)
    assert lines == [
        "line 3, column store_code: no store with code 'nowhere'.",
        "line 4, column on_hand: '-3' is not a whole number of at least 0.",
        "line 5, column sku: required (the variant's SKU).",
        "line 7, column reorder_level: '6' disagrees with line 6 for SKU 'D' (a record's "
        "reorder_level is the same on all its rows).",
        "line 8, column status: 'sold_out' is not one of discontinued, in_stock, low_stock, "
        "out_of_stock, unknown (or blank).",
        "line 9, column store_code: SKU 'A' at store 'main' is already on line 2.",
    ]


def test_json_rows_are_reported_by_the_line_they_start_on(company, tmp_path):
    stores(company)
    path = write_json(
        tmp_path / "stock.json",
        [row("A", "main", 1), row("B", "main", "x", 1), row("C", "main", 2)],
    )
    assert row_errors("import_inventory", path, company) == [
        "line 3, column on_hand: 'x' is not a whole number of at least 0."
    ]


def test_json_import_applies_numbers_and_nulls(company, tmp_path):
    stores(company)
    path = write_json(
        tmp_path / "stock.json",
        [row("A", "main", 3, 3, reorder_level=None, price=12.5, reserved_quantity=1)],
    )
    run("import_inventory", path, company=company.name)
    record = InventoryRecord.objects.get(company=company, sku="A")
    assert (record.quantity, record.reserved_quantity, record.reorder_level) == (3, 1, None)
    assert str(record.variant.price) == "12.50"


def test_dry_run_checks_and_plays_the_import_but_writes_nothing(company, tmp_path):
    stores(company)
    path = write_csv(tmp_path / "stock.csv", [row("A", "main", 4), row("B", "north", 2)])
    out, _ = run("import_inventory", path, company=company.name, dry_run=True)
    assert "Dry run, nothing was imported" in out
    assert "2 ledger movements" in out
    assert Item.objects.filter(company=company).count() == 0
    assert StockMovement.objects.filter(company=company).count() == 0


def test_import_updates_existing_records_with_count_movements_and_opens_alerts(company, tmp_path):
    main, north = stores(company)
    record = factories.record(company, sku="KEEP", on_hand=10, reorder_level=2)
    factories.record(company, sku="OTHER", on_hand=3)
    path = write_csv(
        tmp_path / "stock.csv",
        [row("KEEP", "main", 1, 4, reorder_level=5), row("KEEP", "north", 3, 4, reorder_level=5)],
    )
    run("import_inventory", path, company=company.name)

    record.refresh_from_db()
    assert (record.quantity, record.status, record.reorder_level) == (4, "low_stock", 5)
    imports = StockMovement.objects.filter(record=record, reason="import").order_by("id")
    assert [(m.from_location_id, m.to_location_id, m.quantity) for m in imports] == [
        (main.pk, factories.virtual(company).bin.pk, 9),
        (factories.virtual(company).supplier.pk, north.pk, 3),
    ]
    alert = StockAlert.objects.get(record=record)
    assert (alert.kind, alert.closed_at) == ("low_stock", None)
    assert OutboxEvent.objects.filter(company=company, event_name="InventoryLowStock").count() == 1
    # The other record is not in the file: untouched.
    assert InventoryRecord.objects.get(company=company, sku="OTHER").quantity == 3


def test_a_sku_of_another_item_or_a_taken_upc_is_refused(company, tmp_path):
    stores(company)
    factories.item(company, sku="JACKET", variants=[{"sku": "J-M", "upc": "5012345678900"}])
    path = write_csv(
        tmp_path / "stock.csv",
        [
            row("J-M", "main", 1, item_sku="SHIRT"),
            row("NEW", "main", 1, upc="05012345678900"),
        ],
    )
    _, err = _errors_of("import_inventory", path, company)
    assert "line 2, column item_sku: SKU 'J-M' belongs to item 'JACKET', not 'SHIRT'" in err
    assert "line 3, column upc: '05012345678900' is already the UPC of SKU 'J-M'." in err


def test_import_queries_stay_few_per_thousand_rows(
    company, tmp_path, django_assert_max_num_queries, on_postgres
):
    stores(company)
    rows = []
    for n in range(1000):
        rows.append(
            row(
                f"Q-{n}",
                "main",
                n % 5,
                n % 5 + 1,
                item_sku=f"I-{n // 4}",
                item=f"Item {n // 4}",
                reorder_level=n % 3,
            )
        )
        rows.append(
            row(
                f"Q-{n}",
                "north",
                1,
                n % 5 + 1,
                item_sku=f"I-{n // 4}",
                item=f"Item {n // 4}",
                reorder_level=n % 3,
            )
        )
    path = write_csv(tmp_path / "many.csv", rows)
    # Set-based: the number of queries grows with batches, not rows. SQLite batches are
    # smaller (Django keeps an insert under 999 bound parameters there).
    with django_assert_max_num_queries(60 if on_postgres else 150):
        run("import_inventory", path, company=company.name)
    assert StockLevel.objects.filter(company=company).count() == 2000


def test_bad_arguments_and_unknown_company_are_one_clear_line(company, tmp_path):
    path = write_csv(tmp_path / "stock.csv", [row("A", "main", 1)])
    with pytest.raises(CommandError, match="Unknown company 'Nope'"):
        run("import_inventory", path, company="Nope")
    with pytest.raises(CommandError, match="No such file"):
        run("import_inventory", str(tmp_path / "missing.csv"), company=company.name)
    with pytest.raises(CommandError, match="invalid choice: 'xml'"):
        run("import_inventory", path, "--company", company.name, "--format", "xml")
    with pytest.raises(CommandError, match="the following arguments are required: --company"):
        run("import_inventory", path)
    (tmp_path / "odd.csv").write_text("sku,colour\nA,red\n")
    with pytest.raises(CommandError, match="unknown column"):
        run("import_inventory", str(tmp_path / "odd.csv"), company=company.name)


def test_status_column_sets_tracking_and_the_discontinued_mark(company, tmp_path):
    stores(company)
    kept = factories.record(company, sku="OLD", on_hand=2)
    path = write_csv(
        tmp_path / "stock.csv",
        [
            row("OLD", "main", 5, status="discontinued"),
            row("NOTRACK", "main", 4, item="Gift card", status="unknown"),
        ],
    )
    run("import_inventory", path, company=company.name)
    kept.refresh_from_db()
    assert (kept.quantity, kept.status, kept.is_discontinued) == (5, "discontinued", True)
    untracked = InventoryRecord.objects.get(company=company, sku="NOTRACK")
    assert (untracked.quantity, untracked.status, untracked.is_trackable) == (4, "unknown", False)

    path = write_csv(tmp_path / "again.csv", [row("OLD", "main", 5, status="in_stock")])
    run("import_inventory", path, company=company.name)
    kept.refresh_from_db()
    assert (kept.status, kept.is_discontinued) == ("in_stock", False)
    run("audit_ledger", company=company.name)
