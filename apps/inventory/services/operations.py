"""The named stock operations: each is one movement (or reservation) through the engine."""

from django.db.models import Max

from ..locks import lock_records
from ..models import Reason, StockMovement
from .changes import Result, apply_changes
from .play import Count, Fulfil, Move, Reserve
from .records import virtual_locations


def _one(company, change, *, door, actor=None, external_id="", note="") -> Result:
    return apply_changes(
        company=company,
        changes=[change],
        door=door,
        actor=actor,
        external_id=external_id,
        note=note,
    )


def receive(*, company, record, location, quantity, **context) -> Result:
    supplier = virtual_locations(company).supplier
    return _one(company, Move(record, supplier, location, quantity, Reason.RECEIPT), **context)


def sell(*, company, record, location, quantity, **context) -> Result:
    sold = virtual_locations(company).sold
    return _one(company, Move(record, location, sold, quantity, Reason.SALE), **context)


def refund(*, company, record, location, quantity, **context) -> Result:
    sold = virtual_locations(company).sold
    return _one(company, Move(record, sold, location, quantity, Reason.REFUND), **context)


def return_to_supplier(*, company, record, location, quantity, **context) -> Result:
    supplier = virtual_locations(company).supplier
    return _one(
        company, Move(record, location, supplier, quantity, Reason.SUPPLIER_RETURN), **context
    )


def write_off(*, company, record, location, quantity, **context) -> Result:
    bin_ = virtual_locations(company).bin
    return _one(company, Move(record, location, bin_, quantity, Reason.WRITEOFF), **context)


def transfer(*, company, record, from_location, to_location, quantity, **context) -> Result:
    return _one(
        company, Move(record, from_location, to_location, quantity, Reason.TRANSFER), **context
    )


def set_count(*, company, record, location, count, reason=Reason.COUNT, **context) -> Result:
    return _one(company, Count(record, location, count, reason), **context)


def reserve(*, company, record, quantity, **context) -> Result:
    return _one(company, Reserve(record, quantity), **context)


def release(*, company, record, quantity, **context) -> Result:
    return _one(company, Reserve(record, -quantity), **context)


def fulfil(*, company, record, location, quantity, **context) -> Result:
    return _one(company, Fulfil(record, location, quantity), **context)


def ledger_positions(*, company, records) -> dict[int, int]:
    """Lock the records and answer, for each, the id of its last ledger row (0 if none): the
    position a count taken now is as of. Rows of a record are written under its lock, so
    every row after this id was written after the count. Call it in a transaction."""
    locked = lock_records(company=company, record_ids=(r.pk for r in records))
    positions = dict.fromkeys(locked, 0)
    rows = (
        StockMovement.objects.filter(record_id__in=sorted(locked))
        .values("record_id")
        .annotate(last=Max("id"))
        .values_list("record_id", "last")
    )
    positions.update(rows)
    return positions
