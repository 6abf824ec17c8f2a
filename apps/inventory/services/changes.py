"""The one engine that changes stock figures.

A request is a list of changes (moves between locations, absolute counts, reservations,
fulfilments). `apply_changes` locks the records, reads their levels, plays the changes in
memory, judges the final figures, then writes levels, records, ledger rows, alerts and
outbox events with a handful of set-based queries, all in one transaction."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ..bulk import insert_rows, update_rows
from ..errors import (
    InvalidMovement,
    ProductNotTracked,
    UnknownLocation,
)
from ..locks import lock_records
from ..models import InventoryRecord, StockLevel, StockMovement
from .events import record_balance_changes, sync_alerts
from .play import VIRTUAL_MOVES, Change, Count, Fulfil, Move, Play
from .records import actor_fields, virtual_locations

BULK_BATCH = 1000


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
        kinds = (change.from_location.kind, change.to_location.kind)
        if (
            not (change.from_location.is_physical or change.to_location.is_physical)
            and kinds not in VIRTUAL_MOVES
        ):
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
    _refuse_deleted_or_untracked(records, changes)
    status_before = {rid: r.status for rid, r in records.items()}
    locations = {
        loc.pk: loc
        for change in changes
        for loc in (
            getattr(change, "from_location", None),
            getattr(change, "to_location", None),
            getattr(change, "location", None),
        )
        if loc is not None
    }
    levels = _read_levels(company, records, locations)

    play = Play(
        records,
        levels,
        virtual_locations(company),
        template=dict(
            company=company,
            door=door,
            external_id=external_id or "",
            note=note or "",
            created_at=now,
            **actor_fields(actor),
        ),
    )
    for change in changes:
        play.apply(change)
    play.judge(locations)

    result = Result(records=records, movements=play.movements, balances=play.balances())
    if play.movements:
        _write(company, records, levels, play, now)
        refresh_generated(records, play.changed_record_ids)
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


def _refuse_deleted_or_untracked(records, changes) -> None:
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


def _write(company, records, levels, play: Play, now) -> None:
    _write_levels(company, levels, play.on_hand, now)
    changed = [records[rid] for rid in play.changed_record_ids]
    for record in changed:
        record.quantity = play.quantity[record.pk]
        record.reserved_quantity = play.reserved[record.pk]
        record.rootfi_updated_at = record.updated_at = now
    update_rows(
        InventoryRecord,
        changed,
        ["quantity", "reserved_quantity", "rootfi_updated_at", "updated_at"],
        batch_size=BULK_BATCH,
    )
    insert_rows(StockMovement, play.movements)


def _read_levels(company, records, locations) -> dict[tuple[int, int], StockLevel]:
    wanted_locations = [pk for pk, loc in locations.items() if loc.is_physical]
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
