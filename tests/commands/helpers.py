import csv
import io
import json

from django.core.management import call_command

from apps.inventory.importexport.columns import COLUMNS
from apps.locations.models import Location
from tests import factories


def stores(company):
    """The company's default store (code "main") and a second store (code "north")."""
    main = factories.default_store(company)
    north = Location.objects.filter(company=company, store_code="north").first()
    if north is None:
        north = factories.store(company, name="North", store_code="north")
    return main, north


def write_csv(path, rows, columns=COLUMNS):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return str(path)


def write_json(path, rows):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("[\n" + ",\n".join(json.dumps(row) for row in rows) + "\n]\n")
    return str(path)


def run(name, *args, **kwargs):
    """Run a command; returns (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def row(sku, store_code, on_hand, quantity=None, **fields):
    base = {
        "item": f"Item {sku}",
        "item_sku": "",
        "variant": "",
        "sku": sku,
        "store_code": store_code,
        "on_hand": on_hand,
        "quantity": on_hand if quantity is None else quantity,
    }
    base.update(fields)
    return base


def export_csv_rows(company, **options):
    out, _ = run("export_inventory", company=company.name, **options)
    return list(csv.DictReader(io.StringIO(out)))
