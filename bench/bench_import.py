"""Import and export throughput: 100,000 rows (50,000 SKUs in 10,000 items, two stores).

Database: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/inv_bench_import
(created and migrated if missing). Also run it on SQLite with
DATABASE_URL=sqlite:////tmp/inv_bench_import.db. Each run imports into a new company.
BENCH_IMPORT_ROWS changes the size (an even number)."""

import csv
import io
import os
import random
import tempfile
import time
import uuid

from bench._db import prepare_database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/inv_bench_import"


def _setup():
    prepare_database(DEFAULT_URL)


def _write_file(path: str, skus: int, tag: str) -> int:
    from apps.inventory.importexport.columns import COLUMNS

    rng = random.Random(7)
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for n in range(skus):
            counts = [rng.randint(0, 60), rng.randint(0, 60)]
            level = rng.choice([None, 5, 10, 20])
            base = {
                "item": f"Item {n // 5}",
                "item_sku": f"{tag}-I{n // 5}",
                "variant": f"Size {n % 5}",
                "sku": f"{tag}-V{n}",
                "upc": "",
                "size": str(n % 5),
                "price": "19.99",
                "quantity": sum(counts),
                "reserved_quantity": min(sum(counts), rng.choice([0, 0, 1, 2])),
                "status": "",
                "reorder_level": "" if level is None else level,
                "reorder_quantity": "" if level is None else level * 2,
            }
            for store, units in zip(("main", "north"), counts, strict=True):
                writer.writerow({**base, "store_code": store, "on_hand": units})
    return skus * 2


def main():
    _setup()
    from django.core.management import call_command
    from django.db import connection

    from apps.locations.models import Location
    from apps.tenancy.models import Company

    rows_wanted = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    tag = uuid.uuid4().hex[:6].upper()
    company = Company.objects.create(name=f"Bench import {tag}")
    Location.objects.create(company=company, name="North", store_code="north")
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "import.csv")
        rows = _write_file(path, rows_wanted // 2, tag)
        quiet = io.StringIO()
        started = time.perf_counter()
        call_command("import_inventory", path, company=company.name, stdout=quiet, stderr=quiet)
        took = time.perf_counter() - started
        print(f"import {rows} rows (new items): {took:.1f}s, {rows / took:,.0f} rows/s")

        started = time.perf_counter()
        call_command("import_inventory", path, company=company.name, stdout=quiet, stderr=quiet)
        took = time.perf_counter() - started
        print(f"re-import {rows} rows (no change): {took:.1f}s, {rows / took:,.0f} rows/s")

        out = os.path.join(folder, "export.csv")
        started = time.perf_counter()
        call_command("export_inventory", company=company.name, output=out, stderr=quiet)
        took = time.perf_counter() - started
        print(f"export {rows} rows: {took:.1f}s, {rows / took:,.0f} rows/s")


if __name__ == "__main__":
    main()
