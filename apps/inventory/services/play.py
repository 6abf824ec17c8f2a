"""A request's changes played in memory over the locked figures, and judged.

`Play` turns moves, counts, reservations and fulfilments into ledger rows with the balances
after each, then `judge` refuses the request when its final figures break a stock rule.
Nothing here touches the database: `changes.apply_changes` reads before and writes after."""

from dataclasses import dataclass

from apps.locations.models import Location

from ..errors import InsufficientStock, InvalidMovement, ReservedAboveQuantity
from ..models import InventoryRecord, Reason, StockMovement


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
    # A count taken at a ledger position (a StockMovement id, 0 for "before any row"): the
    # units that moved at `location` in later rows are kept on top of `count`.
    as_of: int | None = None


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


# Figures are 32-bit integer columns (PostgreSQL); refusing here keeps SQLite, whose integers
# are wider, to the same rule and turns an overflow into a refusal with its figures.
MAX_UNITS = 2**31 - 1


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
        (Location.Kind.STORE, Location.Kind.IN_TRANSIT): Reason.TRANSFER_OUT,
        (Location.Kind.IN_TRANSIT, Location.Kind.STORE): Reason.TRANSFER_IN,
        (Location.Kind.IN_TRANSIT, Location.Kind.BIN): Reason.LOST_IN_TRANSIT,
    }[kinds]


# The one move between two virtual locations: a transfer's units lost on the way.
VIRTUAL_MOVES = {(Location.Kind.IN_TRANSIT, Location.Kind.BIN)}


class Play:
    """The changes of one request played in memory over the locked figures: each step
    appends its ledger row with the balances after it; nothing is written until the final
    figures have been judged."""

    def __init__(self, records, levels, virtual, *, template):
        self.records = records
        self.virtual = virtual
        self.template = template
        self.on_hand_before = {key: level.on_hand for key, level in levels.items()}
        self.on_hand = dict(self.on_hand_before)
        self.quantity = {rid: r.quantity for rid, r in records.items()}
        self.reserved = {rid: r.reserved_quantity for rid, r in records.items()}
        self.reserved_raised: set[int] = set()
        self.movements: list[StockMovement] = []

    @property
    def changed_record_ids(self) -> list[int]:
        return sorted({m.record_id for m in self.movements})

    def balances(self) -> dict[tuple[int, int], tuple[int, int]]:
        return {
            key: (self.on_hand_before.get(key, 0), after) for key, after in self.on_hand.items()
        }

    def apply(self, change: Change) -> None:
        rid, virtual = change.record.pk, self.virtual
        if isinstance(change, Move):
            reason = change.reason or movement_reason(change.from_location, change.to_location)
            self._move(rid, change.from_location, change.to_location, change.quantity, 0, reason)
        elif isinstance(change, Count):
            current = self.on_hand.setdefault((rid, change.location.pk), 0)
            diff = change.count - current
            if diff > 0:
                self._move(rid, virtual.supplier, change.location, diff, 0, change.reason)
            elif diff < 0:
                self._move(rid, change.location, virtual.bin, -diff, 0, change.reason)
        elif isinstance(change, Reserve):
            if change.quantity > 0:
                self.reserved_raised.add(rid)
            if change.quantity:
                reason = Reason.RESERVE if change.quantity > 0 else Reason.RELEASE
                self._move(rid, None, None, 0, change.quantity, reason)
        elif isinstance(change, Fulfil):
            self._move(
                rid, change.location, virtual.sold, change.quantity, -change.quantity, Reason.FULFIL
            )

    def _move(self, rid, src, dst, units, reserved_change, reason) -> None:
        for loc, sign in ((src, -1), (dst, 1)):
            if loc is not None and loc.is_physical:
                key = (rid, loc.pk)
                self.on_hand[key] = self.on_hand.get(key, 0) + sign * units
                self.quantity[rid] += sign * units
        self.reserved[rid] += reserved_change

        def after(loc):
            return self.on_hand[(rid, loc.pk)] if loc is not None and loc.is_physical else None

        self.movements.append(
            StockMovement(
                record_id=rid,
                from_location=src,
                to_location=dst,
                quantity=units,
                reserved_change=reserved_change,
                reason=reason,
                from_on_hand_after=after(src),
                to_on_hand_after=after(dst),
                quantity_after=self.quantity[rid],
                reserved_after=self.reserved[rid],
                **self.template,
            )
        )

    def judge(self, locations) -> None:
        """Refuse the request when its final figures break a stock rule."""
        for rid, units in self.quantity.items():
            if units > MAX_UNITS:
                record = self.records[rid]
                raise InvalidMovement(
                    f"{record.sku or record.variant} would hold {units} units, more than the "
                    f"largest figure kept ({MAX_UNITS}).",
                    field="quantity",
                    sku=record.sku,
                    quantity=units,
                )
        for (rid, lid), units in self.on_hand.items():
            if units < 0:
                record, location = self.records[rid], locations[lid]
                held = self.on_hand_before.get((rid, lid), 0)
                raise InsufficientStock(
                    f"Not enough stock of {record.sku or record.variant} at {location.name}: "
                    f"{held} on hand, {held - units} requested.",
                    sku=record.sku,
                    location=location.name,
                    on_hand=held,
                    requested=held - units,
                )
        for rid, record in self.records.items():
            reserved, quantity = self.reserved[rid], self.quantity[rid]
            if reserved < 0:
                raise InvalidMovement(
                    f"Cannot release more of {record.sku} than is reserved: "
                    f"{record.reserved_quantity} reserved.",
                    field="reserved_quantity",
                    sku=record.sku,
                    reserved_quantity=record.reserved_quantity,
                )
            if reserved > quantity:
                figures = dict(sku=record.sku, quantity=quantity, reserved_quantity=reserved)
                if rid in self.reserved_raised:
                    raise ReservedAboveQuantity(
                        f"Cannot reserve {reserved} of {record.sku}: only {quantity} on hand.",
                        field="reserved_quantity",
                        **figures,
                    )
                raise InsufficientStock(
                    f"Cannot take {record.sku} to {quantity} on hand: {reserved} are reserved.",
                    field="quantity",
                    **figures,
                )
