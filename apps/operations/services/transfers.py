"""Transfers between stores, with the stock in transit while it travels.

IN_TRANSIT is the company's virtual location between stores. Shipping moves every line
from the origin into IN_TRANSIT (reason transfer_out), receiving from IN_TRANSIT to the
destination (transfer_in), closing writes what is still in transit off to BIN
(lost_in_transit) and cancelling an unreceived shipment brings it back to the origin
(transfer_in). Each action is one engine call whose ledger rows carry the transfer's number;
the transfer's lines keep shipped, received, lost and returned, so in transit per line is
shipped - received - lost - returned and the ledger's IN_TRANSIT balance per record is the
sum of that over its lines."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apps.inventory import services as engine
from apps.inventory.models import InventoryRecord, Reason

from ..errors import InvalidOperation, InvalidState, NotInTransit
from ..models import Transfer, TransferLine
from .common import (
    Check,
    creator_fields,
    lock,
    naming_lines,
    need_lines,
    refuse_repeats,
    refuse_unless,
    touch,
)
from .numbers import next_number

Status = Transfer.Status


@dataclass(frozen=True)
class TransferItem:
    record: InventoryRecord
    quantity: int


def _check_ends(from_location, to_location) -> None:
    for location, field in ((from_location, "from"), (to_location, "to")):
        if not location.is_physical or location.is_deleted:
            raise InvalidOperation(f"{location} is not a store or warehouse.", field=field)
    if from_location.pk == to_location.pk:
        raise InvalidOperation("A transfer goes between two different locations.", field="to")


def _line_rows(company, transfer, lines: Sequence[TransferItem]) -> list[TransferLine]:
    need_lines(lines)
    refuse_repeats([line.record for line in lines])
    for index, line in enumerate(lines):
        if line.quantity < 1:
            raise InvalidOperation("Transfer at least 1.", field=f"lines[{index}].quantity")
    return [
        TransferLine(
            company=company,
            transfer=transfer,
            record=line.record,
            variant_id=line.record.variant_id,
            sku=line.record.sku,
            quantity=line.quantity,
        )
        for line in lines
    ]


@transaction.atomic
def create_transfer(
    *,
    company,
    from_location,
    to_location,
    lines: Sequence[TransferItem],
    reference: str = "",
    actor=None,
) -> Transfer:
    """A draft: nothing moves until it ships."""
    _check_ends(from_location, to_location)
    transfer = Transfer(
        company=company,
        number=next_number(company, Transfer.PREFIX),
        from_location=from_location,
        to_location=to_location,
        reference=reference or "",
        **creator_fields(actor),
    )
    rows = _line_rows(company, transfer, lines)
    transfer.save()
    TransferLine.objects.bulk_create(rows)
    return transfer


@transaction.atomic
def update_transfer(
    *,
    company,
    transfer: Transfer,
    lines: Sequence[TransferItem] | None = None,
    check: Check = None,
    **fields,
) -> Transfer:
    """Change a draft's lines (replacing them) and details (`reference`, `from_location`,
    `to_location`)."""
    transfer = lock(Transfer, company, transfer, check)
    refuse_unless(transfer, (Status.DRAFT,), "changed")
    for name, value in fields.items():
        setattr(transfer, name, value)
    _check_ends(transfer.from_location, transfer.to_location)
    if lines is not None:
        rows = _line_rows(company, transfer, lines)
        transfer.lines.all().delete()
        TransferLine.objects.bulk_create(rows)
    touch(transfer, *fields)
    return transfer


def _move(company, transfer, moves, *, door, actor, note) -> None:
    """One engine call for `moves` [(line index, record, from, to, units, reason)]."""
    with naming_lines([m[0] for m in moves]):
        engine.apply_changes(
            company=company,
            changes=[
                engine.Move(rec, src, dst, n, reason=why) for _, rec, src, dst, n, why in moves
            ],
            door=door,
            actor=actor,
            note=note,
            reference=transfer.number,
        )


def _lines(transfer) -> list[TransferLine]:
    return list(transfer.lines.select_related("record").order_by("id"))


@transaction.atomic
def ship_transfer(
    *, company, transfer: Transfer, door: str, actor=None, note: str = "", check: Check = None
) -> Transfer:
    """Every line leaves the origin into IN_TRANSIT; not enough for any line ships nothing."""
    transfer = lock(Transfer, company, transfer, check)
    refuse_unless(transfer, (Status.DRAFT,), "shipped")
    lines = _lines(transfer)
    transit = engine.virtual_locations(company).in_transit
    moves = [
        (i, line.record, transfer.from_location, transit, line.quantity, Reason.TRANSFER_OUT)
        for i, line in enumerate(lines)
    ]
    _move(company, transfer, moves, door=door, actor=actor, note=note)
    for line in lines:
        line.shipped = line.quantity
    TransferLine.objects.bulk_update(lines, ["shipped"])
    transfer.status = Status.IN_TRANSIT
    transfer.shipped_at = timezone.now()
    touch(transfer, "status", "shipped_at")
    return transfer


@transaction.atomic
def receive_transfer(
    *,
    company,
    transfer: Transfer,
    lines: Sequence[TransferItem] | None = None,
    door: str,
    actor=None,
    note: str = "",
    check: Check = None,
) -> Transfer:
    """Units arrive at the destination: `lines`, or everything still in transit. `received`
    when nothing is left in transit; after a partial receipt it stays `in_transit`."""
    transfer = lock(Transfer, company, transfer, check)
    refuse_unless(transfer, (Status.IN_TRANSIT,), "received")
    own = _lines(transfer)
    if lines is None:
        wanted = [(i, line, line.in_transit) for i, line in enumerate(own) if line.in_transit]
    else:
        need_lines(lines)
        refuse_repeats([item.record for item in lines])
        by_record = {line.record_id: line for line in own}
        wanted = [
            (index, _line_in_transit(transfer, by_record, index, item), item.quantity)
            for index, item in enumerate(lines)
        ]
    transit = engine.virtual_locations(company).in_transit
    moves = [
        (i, line.record, transit, transfer.to_location, units, Reason.TRANSFER_IN)
        for i, line, units in wanted
    ]
    _move(company, transfer, moves, door=door, actor=actor, note=note)
    for _, line, units in wanted:
        line.received += units
    TransferLine.objects.bulk_update([line for _, line, _ in wanted], ["received"])
    if all(line.in_transit == 0 for line in own):
        transfer.status = Status.RECEIVED
    touch(transfer, "status")
    return transfer


def _line_in_transit(transfer, by_record, index: int, item: TransferItem) -> TransferLine:
    line = by_record.get(item.record.pk)
    if line is None:
        raise InvalidOperation(
            f"{item.record.sku or item.record.variant} is not on {transfer.number}.",
            field=f"lines[{index}]",
        )
    if item.quantity < 1:
        raise InvalidOperation("Receive at least 1.", field=f"lines[{index}].quantity")
    if item.quantity > line.in_transit:
        raise NotInTransit(
            f"{line.sku}: {item.quantity} received but only {line.in_transit} in transit.",
            field=f"lines[{index}].quantity",
            sku=line.sku,
            requested=item.quantity,
            available=line.in_transit,
            in_transit=line.in_transit,
        )
    return line


@transaction.atomic
def close_transfer(
    *, company, transfer: Transfer, door: str, actor=None, note: str = "", check: Check = None
) -> Transfer:
    """What is still in transit is written off as lost (IN_TRANSIT -> BIN)."""
    transfer = lock(Transfer, company, transfer, check)
    refuse_unless(transfer, (Status.IN_TRANSIT,), "closed")
    own = _lines(transfer)
    bin_ = engine.virtual_locations(company).bin
    transit = engine.virtual_locations(company).in_transit
    moves = [
        (i, line.record, transit, bin_, line.in_transit, Reason.LOST_IN_TRANSIT)
        for i, line in enumerate(own)
        if line.in_transit
    ]
    if moves:
        _move(company, transfer, moves, door=door, actor=actor, note=note)
    for line in own:
        line.lost += line.in_transit
    TransferLine.objects.bulk_update(own, ["lost"])
    transfer.status = Status.CLOSED
    touch(transfer, "status")
    return transfer


@transaction.atomic
def cancel_transfer(
    *, company, transfer: Transfer, door: str, actor=None, note: str = "", check: Check = None
) -> Transfer:
    """A draft is cancelled; a shipment of which nothing arrived goes back to the origin."""
    transfer = lock(Transfer, company, transfer, check)
    refuse_unless(transfer, (Status.DRAFT, Status.IN_TRANSIT), "cancelled")
    if transfer.status == Status.IN_TRANSIT:
        own = _lines(transfer)
        if any(line.received or line.lost for line in own):
            raise InvalidState(
                f"Part of {transfer.number} was received: receive or close the rest instead.",
                field="status",
                status=transfer.status,
            )
        transit = engine.virtual_locations(company).in_transit
        moves = [
            (i, line.record, transit, transfer.from_location, line.in_transit, Reason.TRANSFER_IN)
            for i, line in enumerate(own)
            if line.in_transit
        ]
        _move(company, transfer, moves, door=door, actor=actor, note=note)
        for line in own:
            line.returned += line.in_transit
        TransferLine.objects.bulk_update(own, ["returned"])
    transfer.status = Status.CANCELLED
    touch(transfer, "status")
    return transfer
