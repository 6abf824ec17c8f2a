from contextlib import closing

from django.core.management.base import CommandError

from apps.inventory.importexport.cli import OperatorCommand
from apps.inventory.importexport.export import rows, write_csv, write_json
from apps.inventory.importexport.lookup import company_named
from apps.inventory.importexport.progress import Progress
from apps.inventory.models import Status


class _Text:
    """A file-like view of the command's stdout that writes text exactly as given."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")


class Command(OperatorCommand):
    help = """Write a company's inventory as CSV or JSON: one row per record and store.

The columns are the ones import_inventory reads back:
  item, item_sku, variant, sku, upc, size, width, color, price,
  store_code, on_hand (at that store), quantity (the record's total),
  reserved_quantity, available_quantity, status, reorder_level, reorder_quantity
A record with no stock anywhere yet has one row with a blank store_code.
Rows stream in constant memory, so exports of millions of rows are safe. In CSV,
text that a spreadsheet would run as a formula (starting with =, +, -, @) gets a
leading apostrophe; import removes it. Without --output the data goes to
standard output (progress and the row count go to standard error).

Examples:
  manage.py export_inventory --company "Demo Outfitters" --output stock.csv
  manage.py export_inventory --company "Demo Outfitters" --format json > stock.json
  manage.py export_inventory --company "Demo Outfitters" --status low_stock,out_of_stock
"""

    def add_arguments(self, parser):
        parser.add_argument(
            "--company", required=True, help="The company's name, exactly as in the admin."
        )
        parser.add_argument(
            "--format", choices=("csv", "json"), default="csv", help="Default: csv."
        )
        parser.add_argument(
            "--status",
            help="Only records with this status (comma-separated for several): "
            + ", ".join(Status.values)
            + ".",
        )
        parser.add_argument("--output", help="Write to this file (default: standard output).")

    def handle(self, *args, company, format="csv", status=None, output=None, **options):
        company_obj = company_named(company)
        statuses = []
        if status:
            statuses = [s.strip().lower() for s in status.split(",") if s.strip()]
            unknown = [s for s in statuses if s not in Status.values]
            if unknown or not statuses:
                raise CommandError(
                    f"Unknown status {', '.join(unknown) or status!r}; use one of "
                    f"{', '.join(Status.values)}."
                )
        write = write_csv if format == "csv" else write_json
        if output is None:
            # closing(): a reader that stops early (`| head`) ends the query before exit.
            with closing(rows(company_obj, statuses)) as row_iter:
                write(row_iter, _Text(self.stdout))
            return
        try:
            handle = open(output, "w", newline="", encoding="utf-8")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        progress = Progress(self.stderr)
        with handle, progress:
            progress.phase("Exporting rows")
            with closing(rows(company_obj, statuses)) as row_iter:
                count = write(row_iter, handle, on_row=progress.advance)
            progress.done(count)
        self.stderr.write(f"Wrote {count} rows to {output}.")
