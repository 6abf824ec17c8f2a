"""A request's changes played in memory over the locked figures, and judged.

The change types are the engine's vocabulary: every door says what it wants in these words.
`Play` turns them into ledger rows with the balances after each and into the records' new
settings, then `judge` refuses the request when its final state breaks a stock rule, naming
the change that failed by its index. Nothing here touches the database:
`changes.apply_changes` reads before and writes after."""

from dataclasses import dataclass, field
from typing import Any

from apps.catalog.models import Variant
from apps.locations.models import Location

from ..errors import (
    InsufficientStock,
    InvalidMovement,
    InvalidSetting,
    LocationRequired,
    ProductNotTracked,
    ReservedAboveQuantity,
    StockError,
)
from ..models import MAX_UNITS, InventoryRecord, Reason, Status, StockMovement


class _Unset:
    def __repr__(self):
        return "UNSET"

    def __bool__(self):
        return False


UNSET: Any = _Unset()  # "not given": leaves a setting as it is (None clears a reorder figure)


@dataclass(eq=False)
class NewRecord:
    """A record to create for `variant` (tracked, at zero, unless settings say otherwise);
    later changes of the same request name it as their `record`. With `exists_ok`, a live
    record the variant already has is used instead; without, that is a refusal. With
    `create=False` it only names the variant's live record (a door that speaks of variants):
    a variant without one is not tracked."""

    variant: Variant
    exists_ok: bool = True
    create: bool = True  # False: only the variant's live record (none: not tracked)
    is_trackable: bool = True
    platform_id: str = ""
    reorder_level: int | None = None  # given to the record when it is created here
    reorder_quantity: int | None = None
    pk: int | None = field(default=None, init=False)  # set once the engine has created it


RecordRef = InventoryRecord | NewRecord


@dataclass(frozen=True)
class Move:
    """Move `quantity` (> 0) units of a record between two locations."""

    record: RecordRef
    from_location: Location
    to_location: Location
    quantity: int
    reason: str | None = None  # derived from the location kinds when not given


@dataclass(frozen=True)
class Count:
    """There are `count` units at `location`: one movement of the difference.

    With `as_of` (a StockMovement id; 0 for "before any row"), the count was taken at that
    ledger position: units moved at `location` by later rows are kept on top of `count`."""

    record: RecordRef
    location: Location
    count: int
    reason: str = Reason.COUNT
    as_of: int | None = None


@dataclass(frozen=True)
class SetTotal:
    """The record holds `quantity` units in all (RootFi's absolute figure): the difference
    is counted at the one location where the record is (see `count_location`)."""

    record: RecordRef
    quantity: int
    reason: str = Reason.COUNT


@dataclass(frozen=True)
class Reserve:
    """Reserve (positive) or release (negative) units of a record."""

    record: RecordRef
    quantity: int


@dataclass(frozen=True)
class SetReserved:
    """`reserved` units of the record are reserved: one reserve or release of the
    difference."""

    record: RecordRef
    reserved: int


@dataclass(frozen=True)
class Fulfil:
    """Ship `quantity` reserved units from `location`: on-hand and reserved drop together."""

    record: RecordRef
    location: Location
    quantity: int


@dataclass(frozen=True)
class Settings:
    """Record settings that decide its status (and so its alerts), never a figure."""

    record: RecordRef
    is_trackable: Any = UNSET
    is_discontinued: Any = UNSET
    reorder_level: Any = UNSET
    reorder_quantity: Any = UNSET
    low_stock_alert: Any = UNSET

    def given(self) -> dict[str, Any]:
        return {
            name: getattr(self, name) for name in SETTING_FIELDS if getattr(self, name) is not UNSET
        }


@dataclass(frozen=True)
class Details:
    """The platform's own fields of a record: no figure, no status, no ledger row."""

    record: RecordRef
    platform_id: Any = UNSET
    platform_unique_id: Any = UNSET
    raw_data: Any = UNSET

    def given(self) -> dict[str, Any]:
        return {
            name: getattr(self, name) for name in DETAIL_FIELDS if getattr(self, name) is not UNSET
        }


@dataclass(frozen=True)
class Place:
    """`location` is a place the record is kept at: an empty level, no ledger row."""

    record: RecordRef
    location: Location


Change = NewRecord | Move | Count | SetTotal | Reserve | SetReserved | Fulfil | Settings
Change = Change | Details | Place
FIGURE_CHANGES = (Move, Count, SetTotal, Reserve, SetReserved, Fulfil)
SETTING_FIELDS = (
    "is_trackable",
    "is_discontinued",
    "reorder_level",
    "reorder_quantity",
    "low_stock_alert",
)
DETAIL_FIELDS = ("platform_id", "platform_unique_id", "raw_data")


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


def status_of(record: InventoryRecord) -> str:
    """The rule of the database's generated `status` column, for figures not yet written
    (tests hold the two to the same answers)."""
    if record.is_discontinued:
        return Status.DISCONTINUED
    if not record.is_trackable:
        return Status.UNKNOWN
    if record.quantity == 0:
        return Status.OUT_OF_STOCK
    if record.reorder_level is not None and record.quantity < record.reorder_level:
        return Status.LOW_STOCK
    return Status.IN_STOCK


def check_setting(name: str, value) -> None:
    """Reorder figures are whole numbers from 0 to MAX_UNITS (or None: not set); flags are
    booleans."""
    if name in ("reorder_level", "reorder_quantity"):
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_UNITS:
            raise InvalidSetting(
                f"{name} must be a whole number from 0 to {MAX_UNITS}.", field=name, value=value
            )
    elif not isinstance(value, bool):
        raise InvalidSetting(f"{name} must be true or false.", field=name)


def count_location(record, levels: dict[int, int], locations: dict[int, Location], default):
    """Where an absolute total of `record` is counted: the one location holding its stock;
    else its only location; else the company's default store. `levels` maps the record's
    live physical locations to their on-hand; `default()` answers the default store."""
    holding = [lid for lid, units in levels.items() if units > 0]
    if len(holding) > 1:
        raise LocationRequired(
            f"{record.sku or 'The record'} is held in {len(holding)} locations; name one in "
            "warehouse_location.",
            field="warehouse_location",
            locations={locations[lid].store_code: levels[lid] for lid in sorted(holding)},
        )
    if holding:
        return locations[holding[0]]
    if len(levels) == 1:
        return locations[next(iter(levels))]
    return default()


class Play:
    """The changes of one request played in memory over the locked figures: each step
    appends its ledger row with the balances after it, settings land on the records' copies;
    nothing is written until the final state has been judged."""

    def __init__(self, records, on_hand, locations, virtual, *, template, default_store=None):
        self.records = records  # locked, with the figures and settings they had
        self.locations = locations  # every location the request or the levels name, by id
        self.virtual = virtual
        self.default_store = default_store
        self.row = _ledger_row(template)
        self.on_hand_before = dict(on_hand)
        self.level_ids: dict[tuple[int, int], int] = {}
        self.on_hand = dict(on_hand)
        self.quantity = {rid: r.quantity for rid, r in records.items()}
        self.reserved = {rid: r.reserved_quantity for rid, r in records.items()}
        self.settings = {
            rid: {n: getattr(r, n) for n in SETTING_FIELDS} for rid, r in records.items()
        }
        self.details: dict[int, dict] = {}
        self.placed: set[tuple[int, int]] = set()
        self.reserved_raised: set[int] = set()
        self.moved_since: dict[tuple[int, int], int] = {}  # (rid, lid) -> net units after as_of
        self.movements: list[StockMovement] = []
        self.settings_changed: dict[int, dict] = {}
        # Which change last took from a level or moved a record: a refusal of the final
        # figures names it.
        self.blame_level: dict[tuple[int, int], int] = {}
        self.blame_record: dict[int, int] = {}
        self.blame_reserve: dict[int, int] = {}
        self.figure_changes: dict[int, int] = {}  # rid -> index of its first figure change
        self.index = 0

    # -- results -------------------------------------------------------------------------

    @property
    def changed_record_ids(self) -> list[int]:
        moved = {m.record_id for m in self.movements}
        return sorted(moved | set(self.setting_changes()) | set(self.details))

    def balances(self) -> dict[tuple[int, int], tuple[int, int]]:
        return {
            key: (self.on_hand_before.get(key, 0), after) for key, after in self.on_hand.items()
        }

    def setting_changes(self) -> dict[int, dict[str, tuple[Any, Any]]]:
        changed = {}
        for rid, values in self.settings.items():
            record = self.records[rid]
            diff = {
                name: (getattr(record, name), value)
                for name, value in values.items()
                if getattr(record, name) != value
            }
            if diff:
                changed[rid] = diff
        return changed

    # -- playing -------------------------------------------------------------------------

    def apply(self, index: int, change: Change, rid: int) -> None:
        self.index = index
        virtual = self.virtual
        if isinstance(change, FIGURE_CHANGES):
            self.figure_changes.setdefault(rid, index)
        if isinstance(change, Move):
            reason = change.reason or movement_reason(change.from_location, change.to_location)
            self._move(rid, change.from_location, change.to_location, change.quantity, 0, reason)
        elif isinstance(change, Count):
            self._count(rid, change.location, change.count, change.reason, change.as_of)
        elif isinstance(change, SetTotal):
            self._set_total(rid, change)
        elif isinstance(change, Reserve | SetReserved):
            units = (
                change.quantity
                if isinstance(change, Reserve)
                else change.reserved - self.reserved[rid]
            )
            if units > 0:
                self.reserved_raised.add(rid)
            if units:
                self.blame_reserve[rid] = index
                reason = Reason.RESERVE if units > 0 else Reason.RELEASE
                self._move(rid, None, None, 0, units, reason)
        elif isinstance(change, Fulfil):
            self.blame_reserve[rid] = index
            self._move(
                rid, change.location, virtual.sold, change.quantity, -change.quantity, Reason.FULFIL
            )
        elif isinstance(change, Settings):
            for name, value in change.given().items():
                check_setting(name, value)
                self.settings[rid][name] = value
        elif isinstance(change, Details):
            record = self.records[rid]
            differing = {k: v for k, v in change.given().items() if getattr(record, k) != v}
            if differing:
                self.details.setdefault(rid, {}).update(differing)
        elif isinstance(change, Place):
            key = (rid, change.location.pk)
            if key not in self.on_hand:
                self.on_hand[key] = 0
                self.placed.add(key)

    def _count(self, rid, location, count, reason, as_of) -> None:
        key = (rid, location.pk)
        target = count + (
            self.moved_since.get((rid, location.pk, as_of), 0) if as_of is not None else 0
        )
        diff = target - self.on_hand.setdefault(key, 0)
        if diff > 0:
            self._move(rid, self.virtual.supplier, location, diff, 0, reason)
        elif diff < 0:
            self._move(rid, location, self.virtual.bin, -diff, 0, reason)

    def _set_total(self, rid, change: SetTotal) -> None:
        difference = change.quantity - self.quantity[rid]
        if not difference:
            return
        levels = {
            lid: units
            for (r, lid), units in self.on_hand.items()
            if r == rid
            and self.locations[lid].is_physical
            and self.locations[lid].rootfi_deleted_at is None
        }
        where = count_location(self.records[rid], levels, self.locations, self.default_store)
        if difference > 0:
            self._move(rid, self.virtual.supplier, where, difference, 0, change.reason)
        else:
            self._move(rid, where, self.virtual.bin, -difference, 0, change.reason)

    def _move(self, rid, src, dst, units, reserved_change, reason) -> None:
        for loc, sign in ((src, -1), (dst, 1)):
            if loc is not None and loc.is_physical:
                key = (rid, loc.pk)
                self.on_hand[key] = self.on_hand.get(key, 0) + sign * units
                self.quantity[rid] += sign * units
                if sign < 0:
                    self.blame_level[key] = self.index
        if units:
            self.blame_record[rid] = self.index
        self.reserved[rid] += reserved_change

        def after(loc):
            return self.on_hand[(rid, loc.pk)] if loc is not None and loc.is_physical else None

        row = self.row.copy()
        row[_RECORD], row[_QUANTITY], row[_RESERVED], row[_REASON] = (
            rid, units, reserved_change, reason
        )  # fmt: skip
        row[_FROM], row[_TO] = (src.pk if src else None), (dst.pk if dst else None)
        row[_AFTER:] = after(src), after(dst), self.quantity[rid], self.reserved[rid]
        movement = StockMovement(*row)  # positional: no descriptor per field
        _SOURCE.set_cached_value(movement, src)
        _TARGET.set_cached_value(movement, dst)
        self.movements.append(movement)

    # -- judging -------------------------------------------------------------------------

    def judge(self, *, untracked_ok: bool = False) -> None:
        """Refuse the request when its final state breaks a stock rule."""
        for rid, index in {} if untracked_ok else self.figure_changes.items():
            # Figures move only while the record is tracked: before the request, or made so
            # by it (tracking switched off in the same request applies after the figures).
            record = self.records[rid]
            if not record.is_trackable and not self.settings[rid]["is_trackable"]:
                raise ProductNotTracked(
                    f"Stock of {record.sku or record.variant} is not tracked.",
                    index=index,
                    record_id=rid,
                    sku=record.sku,
                    product_uuid=str(record.item.uuid),
                )
        for rid, units in self.quantity.items():
            if units > MAX_UNITS:
                record = self.records[rid]
                raise InvalidMovement(
                    f"{record.sku or record.variant} would hold {units} units, more than the "
                    f"largest figure kept ({MAX_UNITS}).",
                    field="quantity",
                    index=self.blame_record.get(rid),
                    record_id=rid,
                    sku=record.sku,
                    quantity=units,
                )
        for (rid, lid), units in self.on_hand.items():
            if units < 0:
                record, location = self.records[rid], self.locations[lid]
                held = self.on_hand_before.get((rid, lid), 0)
                raise InsufficientStock(
                    f"Not enough stock of {record.sku or record.variant} at {location.name}: "
                    f"{held} on hand, {held - units} requested.",
                    index=self.blame_level.get((rid, lid)),
                    record_id=rid,
                    location_id=lid,
                    sku=record.sku,
                    location=location.name,
                    on_hand=held,
                    requested=held - units,
                    available=held,
                )
        for rid, record in self.records.items():
            reserved, quantity = self.reserved[rid], self.quantity[rid]
            where = dict(record_id=rid, sku=record.sku)
            if reserved < 0:
                raise InvalidMovement(
                    f"Cannot release more of {record.sku} than is reserved: "
                    f"{record.reserved_quantity} reserved.",
                    field="reserved_quantity",
                    index=self.blame_reserve.get(rid),
                    reserved_quantity=record.reserved_quantity,
                    **where,
                )
            if reserved > quantity:
                figures = dict(quantity=quantity, reserved_quantity=reserved, **where)
                if rid in self.reserved_raised:
                    raise ReservedAboveQuantity(
                        f"Cannot reserve {reserved} of {record.sku}: only {quantity} on hand.",
                        field="reserved_quantity",
                        index=self.blame_reserve.get(rid),
                        **figures,
                    )
                raise InsufficientStock(
                    f"Cannot take {record.sku} to {quantity} on hand: {reserved} are reserved.",
                    field="quantity",
                    index=self.blame_record.get(rid),
                    requested=record.quantity - quantity,
                    available=max(record.quantity - record.reserved_quantity, 0),
                    **figures,
                )


_COLUMNS = [f.attname for f in StockMovement._meta.concrete_fields]
_RECORD, _FROM, _TO = (
    _COLUMNS.index(n) for n in ("record_id", "from_location_id", "to_location_id")
)
_QUANTITY, _RESERVED, _REASON = (
    _COLUMNS.index(n) for n in ("quantity", "reserved_change", "reason")
)
_AFTER = _COLUMNS.index("from_on_hand_after")
assert _COLUMNS[_AFTER:] == [
    "from_on_hand_after",
    "to_on_hand_after",
    "quantity_after",
    "reserved_after",
]
_SOURCE, _TARGET = StockMovement.from_location.field, StockMovement.to_location.field


def _ledger_row(template: dict) -> list:
    """The ledger row's values every movement of a request shares (company, door, actor,
    time, note, ...), in column order; `template` names them as StockMovement's fields."""
    values = {f.attname: f.get_default() for f in StockMovement._meta.concrete_fields}
    for name, value in template.items():
        field = StockMovement._meta.get_field(name)
        if field.is_relation:
            values[field.attname] = value.pk if value is not None else None
        else:
            values[field.attname] = value
    values["id"] = None
    return [values[name] for name in _COLUMNS]


def at(index: int, error: StockError) -> StockError:
    """`error`, naming change `index` unless it already names one."""
    if error.index is None:
        error.index = index
    return error
