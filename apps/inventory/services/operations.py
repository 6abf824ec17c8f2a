"""The named stock operations: each is one movement (or reservation) through the engine."""

from ..models import Reason
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
