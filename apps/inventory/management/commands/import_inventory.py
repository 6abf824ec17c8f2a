import os

from django.core.management.base import CommandError
from django.db import transaction

from apps.inventory.errors import StockError
from apps.inventory.importexport.apply import apply_plan
from apps.inventory.importexport.cli import OperatorCommand
from apps.inventory.importexport.lookup import company_named
from apps.inventory.importexport.plan import Invalid, build_plan
from apps.inventory.importexport.progress import Progress
from apps.inventory.importexport.reading import FileFormatError, guess_format, read_rows


class DryRun(Exception):
    pass


class Command(OperatorCommand):
    help = """Create or update items, variants and stock from a CSV or JSON file.

The file has the columns export_inventory writes, one row per SKU and store:
  sku                 required: the variant's SKU; a new SKU creates the variant
  item, item_sku      the item's name and SKU (a new SKU needs at least item)
  variant, upc, size, width, color, price
  store_code, on_hand the count now on the shelf at that store; a changed count
                      becomes one ledger movement of the difference
  quantity            a check: the record's total after the import, the sum of its
                      on_hand rows (leave it blank after editing on_hand)
  reserved_quantity, status, reorder_level, reorder_quantity
A column left out changes nothing; a blank reorder_level or reorder_quantity
clears it. available_quantity is computed by the service and ignored here.
In CSV, one leading apostrophe (added by export against spreadsheet formulas) is
removed from text cells.

Every row is checked first and each bad row is reported on standard error as
"line N, column C: what is wrong". When any row is bad nothing is imported and
the exit status is 1; otherwise all rows are applied in one transaction (ledger
reason 'import', door 'command'). Progress goes to standard error.

Examples:
  manage.py export_inventory --company "Demo Outfitters" --output stock.csv
  (edit stock.csv in a spreadsheet and save it as CSV)
  manage.py import_inventory stock.csv --company "Demo Outfitters" --dry-run
  manage.py import_inventory stock.csv --company "Demo Outfitters"
  manage.py import_inventory stock.json --company "Demo Outfitters" --format json
"""

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV or JSON file to import.")
        parser.add_argument(
            "--company", required=True, help="The company's name, exactly as in the admin."
        )
        parser.add_argument(
            "--format",
            choices=("csv", "json"),
            help="File format (default: from the file name; .json is JSON, anything else CSV).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and play the import, then roll everything back.",
        )

    def handle(self, *args, file, company, format=None, dry_run=False, **options):
        company_obj = company_named(company)
        if not os.path.exists(file):
            raise CommandError(f"No such file: {file}")
        if not os.path.isfile(file):
            raise CommandError(f"Not a file: {file}")
        fmt = format or guess_format(file)
        progress = Progress(self.stderr)
        try:
            with progress, transaction.atomic():
                progress.phase("Checking rows")
                try:
                    plan = build_plan(company_obj, read_rows(file, fmt), on_row=progress.advance)
                except Invalid as invalid:
                    progress.done(invalid.rows)
                    for error in invalid.errors:
                        self.stderr.write(str(error))
                    more = " (first 200 shown)" if len(invalid.errors) >= 200 else ""
                    raise CommandError(
                        f"{len(invalid.errors)} bad row(s){more} in {file}; nothing was imported."
                    ) from None
                progress.done(plan.rows)
                summary = apply_plan(
                    plan, note=f"import {os.path.basename(file)}", step=progress.phase
                )
                if dry_run:
                    raise DryRun
        except DryRun:
            self.stdout.write(f"Dry run, nothing was imported. Would apply: {summary}")
            return
        except FileFormatError as error:
            raise CommandError(f"{file}: {error} Nothing was imported.") from None
        except StockError as error:
            raise CommandError(f"{error.message} Nothing was imported.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text; nothing was imported.") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {summary}"))
