"""The one engine that changes stock figures and the settings that decide a status.

A request is a list of changes (see `play`): new records, record details, settings and
figure changes for any number of records. `apply_changes` checks each change's shape,
creates the new records, locks every record once in id order (with its item and variant, in
the same query), reads their levels once, plays the request in memory, judges the final
state once, then writes levels, records, ledger rows, settings history, alerts and outbox
events with a handful of set-based queries, all in one transaction. It answers with
everything a door renders, so no door re-reads after a write."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from apps.bulk import insert_rows, update_rows
from apps.catalog.models import Variant
from apps.locations.models import Location
from apps.ops.metrics import counted

from ..errors import (
    DuplicateValue,
    InvalidMovement,
    ProductNotTracked,
    RecordExists,
    StockError,
    UnknownLocation,
)
from ..locks import lock_records
from ..models import InventoryRecord, SettingChange, StockLevel, StockMovement
from .events import record_balance_changes, sync_alerts
from .play import (
    FIGURE_CHANGES,
    VIRTUAL_MOVES,
    Change,
    Count,
    Details,
    Fulfil,
    Move,
    NewRecord,
    Place,
    Play,
    SetTotal,
    at,
    check_setting,
    status_of,
)
from .records import (
    VirtualLocations,
    actor_fields,
    create_records,
    default_store,
    virtual_locations,
)

BULK_BATCH = 1000


@dataclass
class Result:
    records: dict[int, InventoryRecord] = field(default_factory=dict)
    movements: list[StockMovement] = field(default_factory=list)
    # (record_id, location_id) -> (on_hand before, on_hand after), physical locations
    balances: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    # every live physical level of the locked records after the request: (rid, lid) -> units
    levels: dict[tuple[int, int], int] = field(default_factory=dict)
    locations: dict[int, Location] = field(default_factory=dict)
    # rid -> {setting: (before, after)} for the settings the request changed
    settings_changed: dict[int, dict] = field(default_factory=dict)

    def on_hand(self, record, location) -> int:
        return self.levels.get((_id(record), _id(location)), 0)

    def record(self, ref) -> InventoryRecord:
        """The final state of the record a change named (an InventoryRecord or NewRecord)."""
        return self.records[ref.pk]


def _id(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk


def _locations_of(change) -> list[Location]:
    return [
        loc
        for loc in (
            getattr(change, "from_location", None),
            getattr(change, "to_location", None),
            getattr(change, "location", None),
        )
        if loc is not None
    ]


def _check_shape(company, change: Change) -> None:
    """Refusals that need no figures: wrong company, wrong kinds, non-positive amounts."""
    for loc in _locations_of(change):
        if loc.company_id != company.pk or loc.rootfi_deleted_at is not None:
            raise UnknownLocation("Unknown location.", location=str(loc.uuid), location_id=loc.pk)
    if isinstance(change, NewRecord):
        if change.variant.company_id != company.pk:
            raise InvalidMovement("Unknown variant.", variant=change.variant.pk)
        check_setting("reorder_level", change.reorder_level)
        check_setting("reorder_quantity", change.reorder_quantity)
        return
    record = change.record
    if isinstance(record, InventoryRecord) and record.company_id != company.pk:
        raise InvalidMovement("Unknown inventory record.", record=record.pk)
    sku = getattr(record, "sku", "") or getattr(getattr(record, "variant", None), "sku", "")
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
    elif isinstance(change, Count | SetTotal):
        counted = change.count if isinstance(change, Count) else change.quantity
        if counted < 0:
            raise InvalidMovement("A count cannot be negative.", field="quantity", sku=sku)
        if isinstance(change, Count) and not change.location.is_physical:
            raise UnknownLocation(
                "Stock is counted at a physical location.",
                field="warehouse_location",
                location=str(change.location.uuid),
            )
    elif isinstance(change, Fulfil | Place):
        if isinstance(change, Fulfil) and change.quantity <= 0:
            raise InvalidMovement("Fulfil a positive number of units.", sku=sku)
        if not change.location.is_physical:
            raise UnknownLocation(
                "Stock is kept at a physical location.", location=str(change.location.uuid)
            )


@counted  # apps.ops.metrics: movements committed, refusals by reason
def apply_changes(**request) -> Result:
    """Apply one request (see the module's docstring) in its own transaction, or in the
    caller's without a savepoint: a refusal is raised before anything is written, so the
    caller's transaction stays usable (a form can show the error and go on)."""
    if transaction.get_connection().in_atomic_block:
        return _apply(**request)
    with transaction.atomic():
        return _apply(**request)


@dataclass(frozen=True)
class _Request:
    """One call's words, as `apply_changes` took them."""

    company: object
    changes: list
    door: str
    actor: object
    external_id: str
    note: str
    reference: str
    skip_deleted: bool
    precondition: object
    untracked_ok: bool
    now: object


def _apply(
    *,
    company,
    changes: Sequence[Change],
    door: str,
    actor=None,
    external_id: str = "",
    note: str = "",
    reference: str = "",
    skip_deleted: bool = False,
    precondition=None,
    records: Sequence[InventoryRecord] = (),
    untracked_ok: bool = False,
    now=None,
) -> Result:
    """With `skip_deleted`, changes to a record deleted meanwhile are dropped instead of
    refused (bulk settings from a list). `records` are locked (and answered) even when no
    change names them. `untracked_ok` lets figures of untracked records move (an import
    states the truth of every figure). `precondition(result)` runs once the records are
    locked and their levels read, before anything changes (a door's If-Match): it may
    raise to refuse the request. `now` is for seeding a history (`seed_demo`) only: every
    door lets it default to the present."""
    changes = list(changes)
    for index, change in enumerate(changes):
        try:
            _check_shape(company, change)
        except StockError as error:
            raise at(index, error) from None
    request = _Request(
        company, changes, door, actor, external_id or "", note or "", reference or "",
        skip_deleted, precondition, untracked_ok, now or timezone.now(),
    )  # fmt: skip
    new = [(i, c) for i, c in enumerate(changes) if isinstance(c, NewRecord)]
    known = [c.record for c in changes if not isinstance(c, NewRecord)]
    known_ids = {r.pk for r in [*known, *records] if isinstance(r, InventoryRecord)}
    locked = lock_records(
        company=company,
        record_ids=known_ids,
        variant_ids=[c.variant.pk for _, c in new],
        catalog=_held_catalog([c for _, c in new], [*known, *records]),
    )
    born = _create(company, locked, new, request.now)
    try:
        return _play_and_write(request, locked, born)
    except StockError:
        if born:  # records were created for a request that is refused: none may stay
            transaction.set_rollback(True)
        raise


def _play_and_write(request: _Request, records, born) -> Result:
    company, changes, now = request.company, request.changes, request.now
    door, actor, precondition = request.door, request.actor, request.precondition
    if request.skip_deleted:
        changes = [
            c
            for c in changes
            if isinstance(c, NewRecord)
            or not isinstance(c.record, InventoryRecord)
            or c.record.pk in records
        ]
    for index, change in enumerate(changes):
        ref = change if isinstance(change, NewRecord) else change.record
        if isinstance(ref, InventoryRecord) and ref.pk not in records:
            raise InvalidMovement(
                "The inventory record was deleted.", index=index, record_id=ref.pk, record=ref.pk
            )
    status_before = {rid: (None if rid in born else r.status) for rid, r in records.items()}

    needs_levels = precondition is not None or any(
        isinstance(c, (*FIGURE_CHANGES, Place)) for c in changes
    )
    locations = {loc.pk: loc for c in changes for loc in _locations_of(c)}
    on_hand, level_ids, virtual, default = {}, {}, None, None
    if needs_levels:
        on_hand, level_ids = _read_levels(records, locations)
        virtual, default = _company_locations(company, locations)

    if precondition is not None:
        precondition(Result(records=records, levels=on_hand, locations=locations))
    play = Play(
        records,
        on_hand,
        locations,
        virtual,
        default_store=default,
        template=dict(
            company=company,
            door=door,
            external_id=request.external_id,
            note=request.note,
            reference=request.reference,
            created_at=now,
            **actor_fields(actor),
        ),
    )
    play.level_ids = level_ids
    as_of = [
        (c.record.pk, c.location.pk, c.as_of)
        for c in changes
        if getattr(c, "as_of", None) is not None
    ]
    if as_of:
        play.moved_since = _moved_since(as_of)
    for index, change in enumerate(changes):
        if isinstance(change, NewRecord):
            continue
        try:
            play.apply(index, change, change.record.pk)
        except StockError as error:
            raise at(index, error) from None
    play.judge(untracked_ok=request.untracked_ok)
    _check_details(company, play, changes)

    _write(company, records, play, now, door=door, actor=actor, born=born)
    sync_alerts(company=company, records=records, status_before=status_before, now=now)
    balances = {k: v for k, v in play.balances().items() if v[0] != v[1]}
    record_balance_changes(
        company=company,
        records=records,
        locations=locations,
        balances=balances,
        external_id=request.external_id,
        now=now,
        actor=actor,
    )
    return Result(
        records=records,
        movements=play.movements,
        balances=play.balances(),
        levels=play.on_hand,
        locations=locations,
        settings_changed=play.settings_changed,
    )


def _held_catalog(new: Sequence[NewRecord], refs) -> dict[int, Variant] | None:
    """The variants (with their items) the request's own objects carry, by id, so the lock
    need not read them again; None when any record's are not at hand."""
    catalog = {}
    for change in new:
        if not Variant.item.is_cached(change.variant):
            return None
        catalog[change.variant.pk] = change.variant
    for ref in refs:
        if isinstance(ref, InventoryRecord):
            if not InventoryRecord.variant.is_cached(ref) or not Variant.item.is_cached(
                ref.variant
            ):
                return None
            catalog[ref.variant_id] = ref.variant
    return catalog


def _create(company, records: dict[int, InventoryRecord], new, now) -> set[int]:
    """Create the request's new records (the lock query already found the variants' live
    ones); each NewRecord learns its record's id. Answers the ids of those created."""
    by_variant = {r.variant_id: r for r in records.values()}
    missing: dict[int, NewRecord] = {}
    for index, change in new:
        existing = by_variant.get(change.variant.pk)
        if existing is not None and not change.exists_ok:
            raise RecordExists(
                f"Variant {change.variant.platform_id} already has inventory record {existing.pk}.",
                field="variant_id",
                index=index,
                record_id=existing.pk,
                rootfi_id=existing.pk,
            )
        if existing is None and change.create:
            missing.setdefault(change.variant.pk, change)
    created = (
        create_records(company=company, new=list(missing.values()), now=now) if missing else {}
    )
    records.update(created)
    for record in created.values():
        by_variant[record.variant_id] = record
    for index, change in new:
        record = by_variant.get(change.variant.pk)
        if record is None:  # only names a record, and the variant has none
            raise ProductNotTracked(
                f"Product {change.variant.item.uuid} is not tracked.",
                index=index,
                product_uuid=str(change.variant.item.uuid),
                sku=change.variant.sku,
            )
        change.pk = record.pk
    return set(created)


def _read_levels(records, locations):
    """Every level of the records (one query, by record id: cheap whatever the planner's
    statistics), as {(rid, lid): on_hand} and {(rid, lid): level id}. A request that names
    its places (a move, a count, an import) reads plain tuples and, only if a level is
    somewhere else, those places in a second query; one that names none (a total) reads
    each level with its place in the same query."""
    ids = sorted(records)
    on_hand, level_ids = {}, {}
    joined = not locations
    for start in range(0, len(ids), 2000):
        rows = StockLevel.objects.filter(record_id__in=ids[start : start + 2000])
        if joined:
            for level in rows.select_related("location"):
                locations.setdefault(level.location_id, level.location)
                on_hand[level.record_id, level.location_id] = level.on_hand
                level_ids[level.record_id, level.location_id] = level.pk
            continue
        for rid, lid, units, level_id in rows.values_list(
            "record_id", "location_id", "on_hand", "id"
        ):
            on_hand[rid, lid] = units
            level_ids[rid, lid] = level_id
    unknown = {lid for _, lid in on_hand} - set(locations)
    if unknown:
        locations.update(Location.objects.in_bulk(unknown))
    return on_hand, level_ids


def _company_locations(company, locations) -> tuple[VirtualLocations, object]:
    """The company's virtual locations (cached: they never change) and a way to its default
    store, read only when a count must fall back on it."""
    virtual = virtual_locations(company)
    for loc in (virtual.supplier, virtual.sold, virtual.bin, virtual.in_transit):
        locations.setdefault(loc.pk, loc)

    found = []

    def default():
        if not found:
            found.append(default_store(company))
            locations.setdefault(found[0].pk, found[0])
        return found[0]

    return virtual, default


def _moved_since(positions) -> dict[tuple[int, int, int], int]:
    """Net units moved into each (record, location) by ledger rows after a position: the
    rows of one record are written under its lock, so their ids order them."""
    wanted = defaultdict(list)
    for rid, lid, position in positions:
        wanted[rid].append((lid, position))
    net = {(rid, lid, pos): 0 for rid, lid, pos in positions}
    oldest = min(pos for _, _, pos in positions)
    rows = StockMovement.objects.filter(record_id__in=sorted(wanted), id__gt=oldest).values_list(
        "id", "record_id", "from_location_id", "to_location_id", "quantity"
    )
    for mid, rid, src, dst, units in rows:
        for lid, pos in wanted[rid]:
            if mid > pos:
                if dst == lid:
                    net[(rid, lid, pos)] += units
                if src == lid:
                    net[(rid, lid, pos)] -= units
    return net


def _check_details(company, play: Play, changes) -> None:
    claimed = {
        rid: values["platform_id"]
        for rid, values in play.details.items()
        if "platform_id" in values and values["platform_id"] != play.records[rid].platform_id
    }
    if not claimed:
        return
    taken = dict(
        InventoryRecord.objects.live()
        .filter(company=company, platform_id__in=set(claimed.values()))
        .exclude(pk__in=list(claimed))
        .values_list("platform_id", "pk")
    )
    for rid, platform_id in claimed.items():
        if platform_id in taken or list(claimed.values()).count(platform_id) > 1:
            index = next(
                i for i, c in enumerate(changes) if isinstance(c, Details) and c.record.pk == rid
            )
            raise DuplicateValue(
                f"Another record has platform_id {platform_id!r}.",
                field="platform_id",
                index=index,
                record_id=rid,
                platform_id=platform_id,
            )


def _write(company, records, play: Play, now, *, door, actor, born) -> None:
    _write_levels(company, play, now)
    settings = play.setting_changes()
    play.settings_changed = settings
    changed_ids = play.changed_record_ids
    fields = {"quantity", "reserved_quantity", "rootfi_updated_at", "updated_at"}
    for rid in changed_ids:
        record = records[rid]
        record.quantity = play.quantity[rid]
        record.reserved_quantity = play.reserved[rid]
        for name, (_, value) in settings.get(rid, {}).items():
            setattr(record, name, value)
            fields.add(name)
        for name, value in play.details.get(rid, {}).items():
            setattr(record, name, value)
            fields.add(name)
        record.rootfi_updated_at = record.updated_at = now
    for rid in {key[0] for key in play.placed} - set(changed_ids):
        records[rid].rootfi_updated_at = records[rid].updated_at = now
        changed_ids.append(rid)
    for record in records.values():
        record.status = status_of(record)
        record.available_quantity = record.quantity - record.reserved_quantity
    update_rows(
        InventoryRecord,
        [records[rid] for rid in changed_ids],
        sorted(fields),
        batch_size=BULK_BATCH,
    )
    insert_rows(StockMovement, play.movements)
    history = {rid: diff for rid, diff in settings.items() if rid not in born}
    if history:  # a record's settings at birth are not changes
        insert_rows(
            SettingChange,
            [
                SettingChange(
                    company=company,
                    record_id=rid,
                    field=name,
                    before=_text(before),
                    after=_text(after),
                    door=door,
                    created_at=now,
                    **actor_fields(actor),
                )
                for rid, diff in history.items()
                for name, (before, after) in diff.items()
            ],
        )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _write_levels(company, play: Play, now):
    """The levels the request created or changed, written as plain rows (bulk's writers read
    attributes by name: a model instance per level cost more than writing it)."""
    new, changed = [], []
    for key, units in play.on_hand.items():
        before = play.on_hand_before.get(key)
        if before is None:
            rid, lid = key
            new.append(
                SimpleNamespace(
                    company_id=company.pk,
                    record_id=rid,
                    location_id=lid,
                    on_hand=units,
                    updated_at=now,
                )
            )
        elif before != units:
            changed.append(SimpleNamespace(id=play.level_ids[key], on_hand=units, updated_at=now))
    if new:
        insert_rows(StockLevel, new)
    if changed:
        update_rows(StockLevel, changed, ["on_hand", "updated_at"], batch_size=BULK_BATCH)
