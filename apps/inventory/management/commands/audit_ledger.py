from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum

from apps.inventory.models import InventoryRecord, StockLevel, StockMovement
from apps.locations.models import Location
from apps.operations.models import TransferLine
from apps.operations.selectors import in_transit_problems
from apps.tenancy.models import Company


class Command(BaseCommand):
    help = (
        "Replay the stock ledger and compare it with every stock level and inventory record. "
        "Prints each mismatch and exits with status 1 when there is any; 0 when the ledger "
        "and the stored figures agree."
    )

    def add_arguments(self, parser):
        parser.add_argument("--company", help="Only this company (by name).")

    def handle(self, *args, company=None, **options):
        movements = StockMovement.objects.all()
        levels = StockLevel.objects.all()
        records = InventoryRecord.objects.all()
        if company:
            try:
                company_obj = Company.objects.get(name=company)
            except Company.DoesNotExist:
                raise CommandError(f"Unknown company: {company!r}.") from None
            movements = movements.filter(company=company_obj)
            levels = levels.filter(company=company_obj)
            records = records.filter(company=company_obj)

        physical = Location.Kind.STORE
        replayed: dict[tuple[int, int], int] = defaultdict(int)
        for rid, lid, units in (
            movements.filter(to_location__kind=physical)
            .values_list("record_id", "to_location_id")
            .annotate(units=Sum("quantity"))
        ):
            replayed[(rid, lid)] += units
        for rid, lid, units in (
            movements.filter(from_location__kind=physical)
            .values_list("record_id", "from_location_id")
            .annotate(units=Sum("quantity"))
        ):
            replayed[(rid, lid)] -= units
        reserved = dict(
            movements.values_list("record_id")
            .annotate(r=Sum("reserved_change"))
            .values_list("record_id", "r")
        )

        # Units in transit are on no shelf: the ledger's IN_TRANSIT balance per record must
        # equal what its transfers still carry.
        problems = in_transit_problems(
            movements,
            TransferLine.objects.filter(company=company_obj) if company else None,
        )
        stored: dict[tuple[int, int], int] = {}
        level_sums: dict[int, int] = defaultdict(int)
        for rid, lid, on_hand in levels.values_list("record_id", "location_id", "on_hand").iterator(
            chunk_size=10_000
        ):
            stored[(rid, lid)] = on_hand
            level_sums[rid] += on_hand
        for key in sorted(set(stored) | set(replayed)):
            if stored.get(key, 0) != replayed.get(key, 0):
                problems.append(
                    f"record {key[0]} at location {key[1]}: on hand {stored.get(key, 0)}, "
                    f"ledger says {replayed.get(key, 0)}"
                )
        checked = 0
        for rid, sku, quantity, reserved_quantity in records.values_list(
            "id", "sku", "quantity", "reserved_quantity"
        ).iterator(chunk_size=10_000):
            checked += 1
            if quantity != level_sums.get(rid, 0):
                problems.append(
                    f"record {rid} ({sku}): quantity {quantity}, its levels sum to "
                    f"{level_sums.get(rid, 0)}"
                )
            if reserved_quantity != (reserved.get(rid) or 0):
                problems.append(
                    f"record {rid} ({sku}): reserved {reserved_quantity}, ledger says "
                    f"{reserved.get(rid) or 0}"
                )

        for line in problems:
            self.stdout.write(self.style.ERROR(line))
        if problems:
            raise CommandError(f"{len(problems)} mismatch(es) between the ledger and the figures.")
        self.stdout.write(
            self.style.SUCCESS(f"Ledger agrees with {checked} records and {len(stored)} levels.")
        )
