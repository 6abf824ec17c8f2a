import csv
import json
from contextlib import closing

from django.core.management.base import CommandError

from apps.inventory.importexport.cli import OperatorCommand
from apps.inventory.importexport.columns import escape_cell
from apps.inventory.importexport.lookup import company_named
from apps.inventory.importexport.report import FIELDS, report_rows
from apps.locations.models import Location


class Command(OperatorCommand):
    help = """List the records that need reorder: status low_stock or out_of_stock (the one
rule used everywhere: admin filter, alerts, reports).

Each row has sku, item, variant, location, on_hand, quantity, reserved_quantity,
available_quantity, status, reorder_level, reorder_quantity, the suggested reorder
quantity (reorder_quantity, or 2 x reorder_level - quantity when none is set) and
the record's open alerts. Without --location, location lists every store holding
the record and on_hand is its total; with --location, only records held at that
store are listed, with on_hand at that store.

Formats: table (default, for people), csv (for a spreadsheet), json (a list of
objects, for scripts).

Examples:
  manage.py low_stock_report --company "Demo Outfitters"
  manage.py low_stock_report --company "Demo Outfitters" --location 3 --format csv
  manage.py low_stock_report --company "Demo Outfitters" --format json > reorder.json
"""

    def add_arguments(self, parser):
        parser.add_argument(
            "--company", required=True, help="The company's name, exactly as in the admin."
        )
        parser.add_argument(
            "--format", choices=("table", "csv", "json"), default="table", help="Default: table."
        )
        parser.add_argument(
            "--location", metavar="STORE_CODE", help="Only records held at this store."
        )

    def handle(self, *args, company, format="table", location=None, **options):
        company_obj = company_named(company)
        store = None
        if location is not None:
            store = (
                Location.objects.live()
                .filter(company=company_obj, kind=Location.Kind.STORE, store_code=location)
                .first()
            )
            if store is None:
                codes = Location.objects.live().filter(
                    company=company_obj, kind=Location.Kind.STORE
                )
                known = ", ".join(codes.values_list("store_code", flat=True)[:10])
                raise CommandError(f"Unknown store code {location!r}; known codes: {known}.")
        # closing(): a reader that stops early (`| head`) ends the query before exit.
        with closing(report_rows(company_obj, store)) as rows:
            if format == "json":
                self._json(rows)
            elif format == "csv":
                self._csv(rows)
            else:
                self._table(rows, company_obj, store)

    def _write(self, text):
        self.stdout.write(text, ending="")

    def _json(self, rows):
        self._write("[")
        for n, row in enumerate(rows):
            self._write(("\n" if n == 0 else ",\n") + json.dumps(row, ensure_ascii=False))
        self._write("\n]\n")

    def _csv(self, rows):
        class Out:
            write = staticmethod(self._write)

        writer = csv.writer(Out(), lineterminator="\n")
        writer.writerow(FIELDS)
        for row in rows:
            row["open_alerts"] = " ".join(a["kind"] for a in row["open_alerts"])
            writer.writerow(
                [
                    escape_cell(v) if isinstance(v, str) else ("" if v is None else v)
                    for v in (row[f] for f in FIELDS)
                ]
            )

    def _table(self, rows, company, store):
        from rich.console import Console
        from rich.table import Table

        where = f" at store {store.store_code}" if store else ""
        table = Table(title=f"{company.name}: records needing reorder{where}")
        for name, justify in (
            ("SKU", "left"),
            ("Item", "left"),
            ("Variant", "left"),
            ("Location", "left"),
            ("On hand", "right"),
            ("Qty", "right"),
            ("Reserved", "right"),
            ("Avail.", "right"),
            ("Status", "left"),
            ("Reorder lvl", "right"),
            ("Reorder qty", "right"),
            ("Suggested", "right"),
            ("Open alerts", "left"),
        ):
            table.add_column(name, justify=justify)
        count = 0
        for row in rows:
            count += 1
            table.add_row(
                *("" if row[f] is None else str(row[f]) for f in FIELDS if f != "open_alerts"),
                ", ".join(a["kind"] for a in row["open_alerts"]),
            )
        out = getattr(self.stdout, "_out", self.stdout)
        terminal = hasattr(out, "isatty") and out.isatty()
        console = Console(file=out, width=None if terminal else 200, no_color=not terminal)
        if count:
            console.print(table)
        console.print(f"{count} record(s) need reorder{where}.")
