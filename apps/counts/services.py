"""The count workflow. Each function is one transaction that locks the count row first, then
(through the engine) the records in id order, so counters, appliers and cancellers of one
count queue behind each other and two devices scanning at once both count.

A counted line keeps the ledger position of its record when the figure arrived; applying the
count asks the engine, in one call, to set each location's on-hand to the counted figure
plus whatever moved there after that position (sales between counting and applying stay
sold)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apps.bulk import update_rows
from apps.inventory import services as stock
from apps.inventory.errors import StockError
from apps.inventory.models import InventoryRecord, StockLevel
from apps.operations.services.numbers import next_number
from apps.tenancy.models import ApiKey

from .errors import CountNotOpen, NotCountable
from .models import Count, CountLine
from .selectors import expected_at_count

NUMBER_PREFIX = "CC"  # CC-00001, per company, from the operations' locked sequence

# A door's precondition, run on the locked count (the native API's If-Match).
Check = Callable[[Count], None]


@dataclass(frozen=True)
class Entry:
    """A figure for one record: `counted` units (`add`: that many more than counted so far)."""

    record: InventoryRecord
    counted: int
    add: bool = False


def _actor_fields(actor) -> dict:
    if isinstance(actor, ApiKey):
        return {"created_by_api_key": actor}
    if actor is not None and getattr(actor, "pk", None):
        return {"created_by_user": actor}
    return {}


def _refuse_uncountable(records: Sequence[InventoryRecord], field: str) -> None:
    for index, record in enumerate(records):
        if record.is_deleted or not record.is_trackable:
            why = "was deleted" if record.is_deleted else "is not tracked"
            raise NotCountable(
                f"{record.sku or record.variant} {why}: it cannot be counted.",
                field=field,
                index=index,
            )


def _on_hand(company, location, record_ids) -> dict[int, int]:
    return dict(
        StockLevel.objects.filter(
            company=company, location=location, record_id__in=list(record_ids)
        ).values_list("record_id", "on_hand")
    )


@transaction.atomic
def open_count(
    *,
    company,
    location,
    records: Sequence[InventoryRecord] | None = None,
    blind: bool = True,
    actor=None,
    note: str = "",
) -> Count:
    """A new open count of `location`: of `records` when given, else of every tracked record
    with a level there. Each line's `expected` is the book on-hand now."""
    if records is None:
        held = dict(
            StockLevel.objects.filter(
                company=company,
                location=location,
                record__rootfi_deleted_at__isnull=True,
                record__is_trackable=True,
            ).values_list("record_id", "on_hand")
        )
    else:
        _refuse_uncountable(records, "skus")
        held = _on_hand(company, location, (r.pk for r in records))
        held = {r.pk: held.get(r.pk, 0) for r in records}
    now = timezone.now()
    count = Count.objects.create(
        company=company,
        number=next_number(company, NUMBER_PREFIX),
        location=location,
        blind=blind,
        scoped=records is not None,
        note=note,
        created_at=now,
        updated_at=now,
        **_actor_fields(actor),
    )
    CountLine.objects.bulk_create(
        [
            CountLine(company=company, count=count, record_id=rid, expected=units)
            for rid, units in sorted(held.items())
        ],
        batch_size=1000,
    )
    return count


def lock_open(count: Count, check: Check | None = None) -> Count:
    """The count, locked FOR UPDATE; refused unless it is still open. `check` (the door's
    If-Match) runs on the locked count first."""
    locked = Count.objects.select_for_update().select_related("location").get(pk=count.pk)
    if check is not None:
        check(locked)
    if not locked.is_open:
        raise CountNotOpen(f"{locked.number} is {locked.status}: it can no longer change.")
    return locked


@transaction.atomic
def enter(
    *, count: Count, entries: Sequence[Entry], check: Check | None = None
) -> tuple[Count, list[CountLine]]:
    """Record counted figures; a later entry for a record replaces the earlier one, its
    `counted_at` and ledger position too. A record outside the count's lines joins it
    (`added`). Answers the count and the lines written, in entry order."""
    count = lock_open(count, check)
    _refuse_uncountable([e.record for e in entries], "lines")
    positions = stock.ledger_positions(company=count.company, records=[e.record for e in entries])
    now = timezone.now()
    record_ids = {e.record.pk for e in entries}
    lines = {line.record_id: line for line in count.lines.filter(record_id__in=record_ids)}
    missing = record_ids - set(lines)
    held = _on_hand(count.company, count.location, missing) if missing else {}
    new = {}
    for rid in sorted(missing):
        new[rid] = lines[rid] = CountLine(
            company=count.company, count=count, record_id=rid, expected=held.get(rid, 0), added=True
        )
    touched = []
    for entry in entries:
        line = lines[entry.record.pk]
        line.counted = (line.counted or 0) + entry.counted if entry.add else entry.counted
        line.counted_at = now
        line.position = positions.get(entry.record.pk, 0)
        line.record = entry.record
        touched.append(line)
    if new:
        CountLine.objects.bulk_create(list(new.values()))
    changed = [line for rid, line in lines.items() if rid not in new]
    if changed:
        update_rows(CountLine, changed, ["counted", "counted_at", "position"])
    count.updated_at = now
    count.save(update_fields=["updated_at"])
    return count, touched


@transaction.atomic
def apply_count(
    *,
    count: Count,
    door: str,
    actor=None,
    zero_uncounted: bool = False,
    check: Check | None = None,
) -> Count:
    """Apply every counted line as of its ledger position, in one engine call; with
    `zero_uncounted`, lines nobody counted are counted as 0 now. Refused (409) unless open;
    a stock refusal (StockError, `.index` = the line's position among `count.lines` in id
    order) changes nothing."""
    count = lock_open(count, check)
    lines = list(count.lines.select_related("record__variant__item", "record__item"))
    now = timezone.now()
    if zero_uncounted:
        uncounted = [line for line in lines if line.counted is None]
        if uncounted:
            positions = stock.ledger_positions(
                company=count.company, records=[line.record for line in uncounted]
            )
            for line in uncounted:
                line.counted, line.counted_at = 0, now
                line.position = positions.get(line.record_id, 0)
            update_rows(CountLine, uncounted, ["counted", "counted_at", "position"])
    counted = [line for line in lines if line.counted is not None]
    book = expected_at_count(count)
    after: dict[int, int] = {}
    if counted:
        try:
            result = stock.apply_changes(
                company=count.company,
                changes=[
                    stock.Count(line.record, count.location, line.counted, as_of=line.position)
                    for line in counted
                ],
                door=door,
                actor=actor,
                note=f"Cycle count {count.number}",
                reference=count.number,
            )
        except StockError as error:
            error.index = _line_index(lines, counted, error)
            raise
        after = _applied_on_hand(count, counted, result)
    for line in counted:
        line.expected_at_count = book.get(line.record_id, 0)
        line.variance = line.counted - line.expected_at_count
        line.applied_on_hand = after[line.record_id]
    update_rows(CountLine, counted, ["expected_at_count", "variance", "applied_on_hand"])
    count.status = Count.Status.APPLIED
    count.applied_at = count.updated_at = now
    count.zero_uncounted = zero_uncounted
    count.variance_units = sum(abs(line.variance) for line in counted)
    count.save()
    return count


def _line_index(lines, counted, error: StockError) -> int | None:
    """The position among the count's lines of the line a refusal is about: from the
    engine's change index, else from the record it names."""
    if error.index is not None:
        return lines.index(counted[error.index])
    for index, line in enumerate(lines):
        if error.record_id is not None and line.record_id == error.record_id:
            return index
    return None


def _applied_on_hand(count: Count, lines: list[CountLine], result) -> dict[int, int]:
    after = {}
    for line in lines:
        try:
            after[line.record_id] = result.on_hand(line.record, count.location)
        except KeyError:
            after[line.record_id] = None
    unknown = [rid for rid, units in after.items() if units is None]
    if unknown:
        held = _on_hand(count.company, count.location, unknown)
        after.update((rid, held.get(rid, 0)) for rid in unknown)
    return after


@transaction.atomic
def cancel_count(*, count: Count, check: Check | None = None) -> Count:
    count = lock_open(count, check)
    count.status = Count.Status.CANCELLED
    count.cancelled_at = count.updated_at = timezone.now()
    count.save(update_fields=["status", "cancelled_at", "updated_at"])
    return count
