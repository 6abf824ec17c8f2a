"""The one engine that changes stock figures.

A request is a list of changes (moves between locations, absolute counts, reservations,
fulfilments). `apply_changes` locks the records, reads their levels, plays the changes in
memory, judges the final figures, then writes levels, records, ledger rows, alerts and
outbox events with a handful of set-based queries, all in one transaction."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from apps.locations.models import Location

from ..bulk import insert_rows, update_rows
from ..errors import (
    InsufficientStock,
    InvalidMovement,
    ProductNotTracked,
    ReservedAboveQuantity,
    UnknownLocation,
)
from ..locks import lock_records
from ..models import InventoryRecord, Reason, StockLevel, StockMovement
from .events import record_balance_changes, sync_alerts
from .records import actor_fields, virtual_locations

BULK_BATCH = 1000
# Figures are 32-bit integer columns (PostgreSQL); refusing here keeps SQLite, whose integers
# are wider, to the same rule and turns an overflow into a refusal with its figures.
MAX_UNITS = 2**31 - 1


@dataclass(frozen=True)
class Move:
    """Move `quantity` (> 0) units of a record between two locations."""

    record: InventoryRecord
    from_location: Location
    to_location: Location
    quantity: int
    reason: str | None = None  # derived from the location kinds when not given


@dataclass(frozen=True)
class Count:
    """There are `count` units at `location`: one movement of the difference."""

    record: InventoryRecord
    location: Location
    count: int
    reason: str = Reason.COUNT


@dataclass(frozen=True)
class Reserve:
    """Reserve (positive) or release (negative) units of a record."""

    record: InventoryRecord
    quantity: int


@dataclass(frozen=True)
class Fulfil:
    """Ship `quantity` reserved units from `location`: on-hand and reserved drop together."""

    record: InventoryRecord
    location: Location
    quantity: int


Change = Move | Count | Reserve | Fulfil


@dataclass
class Result:
    records: dict[int, InventoryRecord] = field(default_factory=dict)
    movements: list[StockMovement] = field(default_factory=list)
    # (record_id, location_id) -> (on_hand before, on_hand after), physical locations touched
    balances: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    def on_hand(self, record, location) -> int:
        return self.balances[(_id(record), _id(location))][1]


def _id(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk


def movement_reason(from_location: Location, to_location: Location) -> str:
    kinds = (from_location.kind, to_location.kind)
    if from_location.is_physical and to_location.is_physical:
        return Reason.TRANSFER
    return {
        (Location.Kind.SUPPLIER, Location.Kind.STORE): Reason.RECEIPT,
        (Location.Kind.STORE, Location.Kind.SUPPLIER): Reason.SUPPLIER_RETURN,
        (Location.Kind.STORE, Location.Kind.SOLD): Reason.SALE,
        (Location.Kind.SOLD, Location.Kind.STORE): Reason.REFUND,
        (Location.Kind.STORE, Location.Kind.BIN): Reason.WRITEOFF,
        (Location.Kind.BIN, Location.Kind.STORE): Reason.RECEIPT,
    }[kinds]


def _check_shape(company, change: Change) -> None:
    """Refusals that need no figures: wrong company, wrong kinds, non-positive amounts."""
    locations = [
        loc
        for loc in (
            getattr(change, "from_location", None),
            getattr(change, "to_location", None),
            getattr(change, "location", None),
        )
        if loc is not None
    ]
    for loc in locations:
        if loc.company_id != company.pk or loc.rootfi_deleted_at is not None:
            raise UnknownLocation("Unknown location.", location=str(loc.uuid))
    if change.record.company_id != company.pk:
        raise InvalidMovement("Unknown inventory record.", record=change.record.pk)
    sku = change.record.sku
    if isinstance(change, Move):
        if change.quantity <= 0:
            raise InvalidMovement(
                "A movement moves a positive number of units.",
                field="change",
                sku=sku,
                quantity=change.quantity,
            )
        if not (change.from_location.is_physical or change.to_location.is_physical):
            raise InvalidMovement(
                "Stock cannot move between two virtual locations "
                f"({change.from_location.kind} to {change.to_location.kind}).",
                sku=sku,
            )
        if change.from_location.pk == change.to_location.pk:
            raise InvalidMovement("A movement needs two different locations.", sku=sku)
    elif isinstance(change, Count):
        if change.count < 0:
            raise InvalidMovement(
                "A count cannot be negative.", field="quantity", sku=sku, count=change.count
            )
        if not change.location.is_physical:
            raise UnknownLocation(
                "Stock is counted at a physical location.", location=str(change.location.uuid)
            )
    elif isinstance(change, Fulfil):
        if change.quantity <= 0:
            raise InvalidMovement("Fulfil a positive number of units.", sku=sku)
        if not change.location.is_physical:
            raise UnknownLocation(
                "Ship from a physical location.", location=str(change.location.uuid)
            )


@transaction.atomic
def apply_changes(
    *,
    company,
    changes: Sequence[Change],
    door: str,
    actor=None,
    external_id: str = "",
    note: str = "",
) -> Result:
    for change in changes:
        _check_shape(company, change)

    now = timezone.now()
    records = lock_records(
        company=company,
        record_ids=(c.record.pk for c in changes),
        known=(c.record for c in changes),
    )
    for change in changes:
        record = records.get(change.record.pk)
        if record is None:
            raise InvalidMovement("The inventory record was deleted.", record=change.record.pk)
        if not record.is_trackable:
            raise ProductNotTracked(
                f"Stock of {record.sku or record.variant} is not tracked.",
                sku=record.sku,
                product_uuid=str(record.item.uuid),
            )
    status_before = {rid: r.status for rid, r in records.items()}
    virtual = virtual_locations(company)
    locations = {}
    for change in changes:
        for attr in ("from_location", "to_location", "location"):
            loc = getattr(change, attr, None)
            if loc is not None:
                locations[loc.pk] = loc

    levels = _read_levels(company, records, changes)
    on_hand_before = {key: level.on_hand for key, level in levels.items()}
    on_hand = dict(on_hand_before)
    quantity = {rid: r.quantity for rid, r in records.items()}
    reserved = {rid: r.reserved_quantity for rid, r in records.items()}
    reserved_raised = set()
    actor_kw = actor_fields(actor)
    movements: list[StockMovement] = []

    def ledger(record_id, src, dst, units, reserved_change, reason):
        for loc, sign in ((src, -1), (dst, 1)):
            if loc is not None and loc.is_physical:
                key = (record_id, loc.pk)
                on_hand[key] = on_hand.get(key, 0) + sign * units
                quantity[record_id] += sign * units
        reserved[record_id] += reserved_change
        movements.append(
            StockMovement(
                company=company,
                record_id=record_id,
                from_location=src,
                to_location=dst,
                quantity=units,
                reserved_change=reserved_change,
                reason=reason,
                door=door,
                external_id=external_id or "",
                note=note or "",
                created_at=now,
                from_on_hand_after=on_hand[(record_id, src.pk)]
                if src and src.is_physical
                else None,
                to_on_hand_after=on_hand[(record_id, dst.pk)] if dst and dst.is_physical else None,
                quantity_after=quantity[record_id],
                reserved_after=reserved[record_id],
                **actor_kw,
            )
        )

    for change in changes:
        rid = change.record.pk
        if isinstance(change, Move):
            reason = change.reason or movement_reason(change.from_location, change.to_location)
            ledger(rid, change.from_location, change.to_location, change.quantity, 0, reason)
        elif isinstance(change, Count):
            current = on_hand.get((rid, change.location.pk), 0)
            diff = change.count - current
            if diff > 0:
                ledger(rid, virtual.supplier, change.location, diff, 0, change.reason)
            elif diff < 0:
                ledger(rid, change.location, virtual.bin, -diff, 0, change.reason)
            else:
                on_hand.setdefault((rid, change.location.pk), current)
        elif isinstance(change, Reserve):
            if change.quantity > 0:
                reserved_raised.add(rid)
                ledger(rid, None, None, 0, change.quantity, Reason.RESERVE)
            elif change.quantity < 0:
                ledger(rid, None, None, 0, change.quantity, Reason.RELEASE)
        elif isinstance(change, Fulfil):
            ledger(
                rid, change.location, virtual.sold, change.quantity, -change.quantity, Reason.FULFIL
            )

    _judge(records, locations, on_hand_before, on_hand, quantity, reserved, reserved_raised)

    result = Result(records=records, movements=movements)
    for key, after in on_hand.items():
        result.balances[key] = (on_hand_before.get(key, 0), after)
    if not movements:
        return result

    _write_levels(company, levels, on_hand, now)
    changed_ids = sorted({m.record_id for m in movements})
    for rid in changed_ids:
        record = records[rid]
        record.quantity = quantity[rid]
        record.reserved_quantity = reserved[rid]
        record.rootfi_updated_at = now
        record.updated_at = now
    update_rows(
        InventoryRecord,
        [records[rid] for rid in changed_ids],
        ["quantity", "reserved_quantity", "rootfi_updated_at", "updated_at"],
        batch_size=BULK_BATCH,
    )
    insert_rows(StockMovement, movements)
    refresh_generated(records, changed_ids)
    sync_alerts(company=company, records=records, status_before=status_before, now=now)
    record_balance_changes(
        company=company,
        records=records,
        locations=locations,
        balances={k: v for k, v in result.balances.items() if v[0] != v[1]},
        external_id=external_id,
        now=now,
    )
    return result


def _read_levels(company, records, changes) -> dict[tuple[int, int], StockLevel]:
    wanted_locations = set()
    for change in changes:
        for attr in ("from_location", "to_location", "location"):
            loc = getattr(change, attr, None)
            if loc is not None and loc.is_physical:
                wanted_locations.add(loc.pk)
    if not wanted_locations:
        return {}
    ids = sorted(records)
    levels = {}
    for start in range(0, len(ids), 2000):
        rows = StockLevel.objects.filter(
            company=company,
            record_id__in=ids[start : start + 2000],
            location_id__in=wanted_locations,
        )
        levels.update(((lv.record_id, lv.location_id), lv) for lv in rows)
    return levels


def _judge(records, locations, before, on_hand, quantity, reserved, reserved_raised):
    for rid, units in quantity.items():
        if units > MAX_UNITS:
            raise InvalidMovement(
                f"{records[rid].sku or records[rid].variant} would hold {units} units, more than "
                f"the largest figure kept ({MAX_UNITS}).",
                field="quantity",
                sku=records[rid].sku,
                quantity=units,
            )
    for (rid, lid), units in on_hand.items():
        if units < 0:
            record = records[rid]
            held = before.get((rid, lid), 0)
            location = locations[lid]
            raise InsufficientStock(
                f"Not enough stock of {record.sku or record.variant} at {location.name}: "
                f"{held} on hand, {held - units} requested.",
                sku=record.sku,
                location=location.name,
                on_hand=held,
                requested=held - units,
            )
    for rid, record in records.items():
        if reserved[rid] < 0:
            raise InvalidMovement(
                f"Cannot release more of {record.sku} than is reserved: "
                f"{record.reserved_quantity} reserved.",
                field="reserved_quantity",
                sku=record.sku,
                reserved_quantity=record.reserved_quantity,
            )
        if reserved[rid] > quantity[rid]:
            figures = dict(sku=record.sku, quantity=quantity[rid], reserved_quantity=reserved[rid])
            if rid in reserved_raised:
                raise ReservedAboveQuantity(
                    f"Cannot reserve {reserved[rid]} of {record.sku}: only {quantity[rid]} "
                    "on hand.",
                    field="reserved_quantity",
                    **figures,
                )
            raise InsufficientStock(
                f"Cannot take {record.sku} to {quantity[rid]} on hand: "
                f"{reserved[rid]} are reserved.",
                field="quantity",
                **figures,
            )


def _write_levels(company, levels, on_hand, now):
    new, changed = [], []
    for (rid, lid), units in on_hand.items():
        level = levels.get((rid, lid))
        if level is None:
            level = StockLevel(
                company=company, record_id=rid, location_id=lid, on_hand=units, updated_at=now
            )
            levels[(rid, lid)] = level
            new.append(level)
        elif level.on_hand != units:
            level.on_hand = units
            level.updated_at = now
            changed.append(level)
    if new:
        insert_rows(StockLevel, new)
    if changed:
        update_rows(StockLevel, changed, ["on_hand", "updated_at"], batch_size=BULK_BATCH)


def refresh_generated(records: dict[int, InventoryRecord], ids) -> None:
    """Re-read the database-kept `status` and `available_quantity` (Django 5.2 does not
    refresh GeneratedFields after bulk writes)."""
    ids = list(ids)
    for start in range(0, len(ids), 2000):
        rows = InventoryRecord.objects.filter(id__in=ids[start : start + 2000]).values_list(
            "id", "status", "available_quantity"
        )
        for rid, status, available in rows:
            records[rid].status = status
            records[rid].available_quantity = available
