"""The demo's plan (see `plan`) written as the shop lived it: one engine call per delivery,
transfer, count or day of sales, each stamped with its moment (`apply_changes(now=...)`,
which only seeding uses), oldest first. So each record's ledger rows are in time order with
consistent balances after each, alerts open and close when they would have, and the
purchase orders, transfers and counts the rows name exist beside them, received, arrived
and applied at the rows' moments."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import F, Max
from django.utils import timezone

from apps.counts.models import Count, CountLine
from apps.counts.services import NUMBER_PREFIX as COUNT_PREFIX
from apps.locations.models import Location
from apps.operations.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    Supplier,
    Transfer,
    TransferLine,
)
from apps.operations.services.numbers import next_number

from ... import services
from ...models import Door, InventoryRecord, Reason, StockMovement
from .plan import DAYS, SETTINGS_DAY, WAREHOUSE_COUNT_DAY, Plan, Target

UNIT_COST = Decimal("0.45")  # of the price: what the demo's suppliers charge


@dataclass(frozen=True)
class Shop:
    company: object
    store: Location
    warehouse: Location
    suppliers: list[Supplier]
    staff: object  # who receives, transfers and counts in the admin
    first_day: date

    @property
    def virtual(self):
        return services.virtual_locations(self.company)

    def at(self, day: int, hour: int, minute: int = 0) -> datetime:
        moment = datetime.combine(self.first_day + timedelta(days=day), time(hour, minute))
        return timezone.make_aware(moment)


def first_day() -> date:
    return timezone.localdate() - timedelta(days=DAYS)


def write(shop: Shop, variants, targets: list[Target], planned: Plan) -> list[InventoryRecord]:
    """Every record, born on day 0 with its opening count, then its eight weeks; answers
    the records in the order of `variants` (and `targets`)."""
    records = _open(shop, variants, targets, planned.opening)
    last = DAYS - 1
    for number in range(1, DAYS):
        day = planned.days[number]
        if day.transfers:
            transfer = _ship(shop, records, day.transfers, shop.at(number, 8))
        if day.receipts:
            supplier = shop.suppliers[planned.deliverer(number)]
            _receive(shop, records, supplier, day.receipts, shop.at(number, 9, 30))
        if day.transfers:
            _arrive(shop, records, transfer, day.transfers, shop.at(number, 11))
        if day.store_count:
            _count(shop, records, shop.store, day.store_count, shop.at(number, 12))
        if number == SETTINGS_DAY:
            _raise_reorder_levels(shop, records, targets, shop.at(number, 13))
        if number == WAREHOUSE_COUNT_DAY:
            _count(shop, records, shop.warehouse, day.warehouse_count, shop.at(number, 14))
        if number == last and planned.in_transit:
            _ship(shop, records, planned.in_transit, shop.at(number, 16))
        if number == last:
            _order(shop, records, targets, shop.at(number, 16, 30))
        if day.write_offs:
            _write_off(shop, records, day.write_offs, shop.at(number, 17))
        _sell(shop, records, day, shop.at(number, 18, 30))
    web_orders = [
        services.Reserve(records[i], t.reserved) for i, t in enumerate(targets) if t.reserved
    ]
    if web_orders:  # today's web orders, at the present moment
        services.apply_changes(company=shop.company, changes=web_orders, door=Door.ROOTFI)
    return records


def _apply(shop: Shop, changes, moment, *, door=Door.ADMIN, note="", reference=""):
    return services.apply_changes(
        company=shop.company,
        changes=changes,
        door=door,
        actor=shop.staff if door == Door.ADMIN else None,
        note=note,
        reference=reference,
        now=moment,
    )


def _moves(records, lines, source, destination, reason=None) -> list[services.Move]:
    """A Move of each line's (index, units) from `source` to `destination`."""
    return [services.Move(records[i], source, destination, n, reason=reason) for i, n in lines]


def _open(shop: Shop, variants, targets: list[Target], opening) -> list[InventoryRecord]:
    """Day 0: every variant's record born tracked, with its first reorder figures and a
    level at the store, and the opening count of both shelves: one engine call."""
    new = [
        services.NewRecord(v, reorder_level=_first_level(t), reorder_quantity=t.reorder_quantity)
        for v, t in zip(variants, targets, strict=True)
    ]
    counts = []
    for index, store_units, depot_units in opening:
        if store_units:
            counts.append(services.Count(new[index], shop.store, store_units))
        if depot_units:
            counts.append(services.Count(new[index], shop.warehouse, depot_units))
    result = _apply(
        shop,
        [*new, *(services.Place(n, shop.store) for n in new), *counts],
        shop.at(0, 8),
        door=Door.COMMAND,
        note="Opening stock",
    )
    return [result.record(n) for n in new]


def _receive(shop: Shop, records, supplier, lines, moment) -> None:
    """A week's delivery: an order placed six days before, received in full now."""
    order = _purchase_order(
        shop, records, supplier, lines, placed=moment - timedelta(days=6), expected=moment
    )
    order.status, order.updated_at = PurchaseOrder.Status.RECEIVED, moment
    order.save(update_fields=["status", "updated_at"])
    PurchaseOrderLine.objects.filter(order=order).update(received=F("ordered"))
    receipts = _moves(records, lines, shop.virtual.supplier, shop.warehouse, Reason.RECEIPT)
    _apply(shop, receipts, moment, reference=order.number)


def _order(shop: Shop, records, targets: list[Target], moment) -> None:
    """Yesterday's order for some of what is low today, open: incoming on their pages."""
    low = [i for i, t in enumerate(targets) if 0 < t.store + t.depot < t.level and not t.in_transit]
    if not low:
        return
    supplier = targets[low[0]].supplier
    lines = [(i, 2 * targets[i].level) for i in low if targets[i].supplier == supplier][:12]
    expected = moment + timedelta(days=4)
    _purchase_order(
        shop, records, shop.suppliers[supplier], lines, placed=moment, expected=expected
    )


def _purchase_order(shop: Shop, records, supplier, lines, *, placed, expected) -> PurchaseOrder:
    """An open order of `lines` (index, units) for the warehouse, placed at `placed`."""
    order = PurchaseOrder.objects.create(
        company=shop.company,
        number=next_number(shop.company, PurchaseOrder.PREFIX),
        supplier=supplier,
        location=shop.warehouse,
        status=PurchaseOrder.Status.OPEN,
        expected_at=expected,
        created_at=placed,
        updated_at=placed,
        created_by=shop.staff,
    )
    PurchaseOrderLine.objects.bulk_create(
        [
            PurchaseOrderLine(
                order=order,
                ordered=units,
                unit_cost=(records[i].variant.price * UNIT_COST).quantize(Decimal("0.01")),
                **_line_of(shop, records[i]),
            )
            for i, units in lines
        ]
    )
    return order


def _line_of(shop: Shop, record: InventoryRecord) -> dict:
    """What an order's or a transfer's line says of its record."""
    return {
        "company": shop.company,
        "record": record,
        "variant_id": record.variant_id,
        "sku": record.sku,
    }


def _ship(shop: Shop, records, lines, moment) -> Transfer:
    transfer = Transfer.objects.create(
        company=shop.company,
        number=next_number(shop.company, Transfer.PREFIX),
        from_location=shop.warehouse,
        to_location=shop.store,
        status=Transfer.Status.IN_TRANSIT,
        shipped_at=moment,
        created_at=moment - timedelta(minutes=20),
        updated_at=moment,
        created_by=shop.staff,
    )
    TransferLine.objects.bulk_create(
        [
            TransferLine(
                transfer=transfer, quantity=units, shipped=units, **_line_of(shop, records[i])
            )
            for i, units in lines
        ]
    )
    shipped = _moves(records, lines, shop.warehouse, shop.virtual.in_transit, Reason.TRANSFER_OUT)
    _apply(shop, shipped, moment, reference=transfer.number)
    return transfer


def _arrive(shop: Shop, records, transfer: Transfer, lines, moment) -> None:
    arrived = _moves(records, lines, shop.virtual.in_transit, shop.store, Reason.TRANSFER_IN)
    _apply(shop, arrived, moment, reference=transfer.number)
    TransferLine.objects.filter(transfer=transfer).update(received=F("shipped"))
    transfer.status, transfer.updated_at = Transfer.Status.RECEIVED, moment
    transfer.save(update_fields=["status", "updated_at"])


def _count(shop: Shop, records, location, lines, moment) -> None:
    """An applied count of `lines` (index, book, counted) at `location`, as the count
    workflow leaves one: a line per record, a ledger row where the shelf differed."""
    if not lines:
        return
    full = location == shop.warehouse
    # The position each line is counted at: its record's last ledger row. The seeding
    # transaction holds every record already, so a plain read stands in for
    # `services.ledger_positions`, which locks them again (with their catalog) first.
    positions = dict(
        StockMovement.objects.filter(record_id__in=[records[i].pk for i, _, _ in lines])
        .values("record_id")
        .annotate(last=Max("id"))
        .values_list("record_id", "last")
    )
    count = Count.objects.create(
        company=shop.company,
        number=next_number(shop.company, COUNT_PREFIX),
        location=location,
        scoped=not full,
        note="Full count" if full else "Weekly cycle count",
        status=Count.Status.APPLIED,
        created_at=moment - timedelta(hours=2),
        applied_at=moment,
        updated_at=moment,
        created_by_user=shop.staff,
        variance_units=sum(abs(counted - book) for _, book, counted in lines),
    )
    CountLine.objects.bulk_create(
        [
            CountLine(
                company=shop.company,
                count=count,
                record=records[i],
                expected=book,
                counted=counted,
                counted_at=moment - timedelta(minutes=30),
                position=positions.get(records[i].pk, 0),
                expected_at_count=book,
                variance=counted - book,
                applied_on_hand=counted,
            )
            for i, book, counted in lines
        ],
        batch_size=1000,
    )
    corrected = [
        services.Count(records[i], location, counted)
        for i, book, counted in lines
        if counted != book
    ]
    if corrected:
        _apply(shop, corrected, moment, note=f"Cycle count {count.number}", reference=count.number)


def _raise_reorder_levels(shop: Shop, records, targets: list[Target], moment) -> None:
    raised = [
        services.Settings(records[i], reorder_level=t.level)
        for i, t in enumerate(targets)
        if _first_level(t) != t.level
    ]
    if raised:
        _apply(shop, raised, moment)


def _write_off(shop: Shop, records, lines, moment) -> None:
    _apply(shop, _moves(records, lines, shop.store, shop.virtual.bin), moment, note="Damaged")


def _sell(shop: Shop, records, day, moment) -> None:
    """The day's till sales and refunds, as the Zettle door records them."""
    store, sold = shop.store, shop.virtual.sold
    changes = _moves(records, day.sales, store, sold) + _moves(records, day.refunds, sold, store)
    if changes:
        _apply(shop, changes, moment, door=Door.ZETTLE)


def _first_level(target: Target) -> int:
    return target.level if target.first_level is None else target.first_level
