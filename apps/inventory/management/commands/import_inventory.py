import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.inventory.errors import StockError
from apps.inventory.transfer.apply import apply_plan
from apps.inventory.transfer.lookup import company_named
from apps.inventory.transfer.plan import Invalid, build_plan
from apps.inventory.transfer.progress import Progress
from apps.inventory.transfer.reading import FileFormatError, guess_format, read_rows


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Create or update items, variants and stock from a CSV or JSON file with the columns "
        "export_inventory writes, one row per SKU and store: sku (required), item, item_sku, "
        "variant, upc, size, width, color, price, store_code, on_hand (the count at that "
        "store), quantity (checked: the record's total after the import), reserved_quantity, "
        "status, reorder_level, reorder_quantity. A column left out changes nothing; a blank "
        "cell clears. Every row is checked first and each bad row is reported by line and "
        "column; then all rows are applied in one transaction (ledger reason 'import', door "
        "'command'), or none when any row is bad (exit status 1). "
        "Example: manage.py import_inventory stock.csv --company 'Demo Outfitters' --dry-run"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV or JSON file to import.")
        parser.add_argument("--company", required=True, help="The company's name, exactly.")
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
        if not os.path.isfile(file):
            raise CommandError(f"No such file: {file}")
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
