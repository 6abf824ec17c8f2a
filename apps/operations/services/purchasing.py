"""Suppliers and purchase orders: create, change lines, receive, cancel.

Receiving is one engine call: a Move SUPPLIER -> the order's location per line (reason
receipt), every ledger row carrying the order's number as `reference`. The order's own
lines keep ordered and received; what is outstanding on open orders is "incoming"."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from apps.inventory import services as engine
from apps.inventory.models import InventoryRecord, Reason

from ..errors import InvalidOperation, InvalidState, OverReceipt
from ..models import PurchaseOrder, PurchaseOrderLine, Supplier
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

Status = PurchaseOrder.Status


@dataclass(frozen=True)
class OrderLine:
    record: InventoryRecord
    quantity: int
    unit_cost: Decimal | None = None


@dataclass(frozen=True)
class Receipt:
    record: InventoryRecord
    quantity: int


def find_or_create_supplier(*, company, name: str) -> Supplier:
    """The supplier of that name (case and surrounding spaces aside), created if new."""
    name = " ".join(name.split())
    if not name:
        raise InvalidOperation("A supplier needs a name.", field="supplier")
    found = _supplier_named(company, name)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Supplier.objects.create(company=company, name=name)
    except IntegrityError:  # created meanwhile by a concurrent request
        return _supplier_named(company, name)


def _supplier_named(company, name: str) -> Supplier | None:
    return (
        Supplier.objects.annotate(lower=Lower("name"))
        .filter(company=company, lower=name.lower())
        .first()
    )


def _physical(location, field: str) -> None:
    if not location.is_physical or location.is_deleted:
        raise InvalidOperation(f"{location} is not a store or warehouse.", field=field)


def _line_rows(company, order, lines: Sequence[OrderLine]) -> list[PurchaseOrderLine]:
    need_lines(lines)
    refuse_repeats([line.record for line in lines])
    for index, line in enumerate(lines):
        if line.quantity < 1:
            raise InvalidOperation("Order at least 1.", field=f"lines[{index}].quantity")
    return [
        PurchaseOrderLine(
            company=company,
            order=order,
            record=line.record,
            variant_id=line.record.variant_id,
            sku=line.record.sku,
            ordered=line.quantity,
            unit_cost=line.unit_cost,
        )
        for line in lines
    ]


@transaction.atomic
def create_purchase_order(
    *,
    company,
    supplier: Supplier,
    location,
    lines: Sequence[OrderLine],
    reference: str = "",
    expected_at=None,
    status: str = Status.OPEN,
    actor=None,
) -> PurchaseOrder:
    _physical(location, "location")
    if status not in (Status.DRAFT, Status.OPEN):
        raise InvalidOperation("A new order is draft or open.", field="status")
    order = PurchaseOrder(
        company=company,
        number=next_number(company, PurchaseOrder.PREFIX),
        supplier=supplier,
        location=location,
        reference=reference or "",
        expected_at=expected_at,
        status=status,
        **creator_fields(actor),
    )
    rows = _line_rows(company, order, lines)
    order.save()
    PurchaseOrderLine.objects.bulk_create(rows)
    return order


@transaction.atomic
def update_purchase_order(
    *,
    company,
    order: PurchaseOrder,
    lines: Sequence[OrderLine] | None = None,
    check: Check = None,
    **fields,
) -> PurchaseOrder:
    """Change a draft or open order's lines (replacing them) and details (`reference`,
    `expected_at`, `supplier`, `location`), as long as nothing was received."""
    order = lock(PurchaseOrder, company, order, check)
    refuse_unless(order, (Status.DRAFT, Status.OPEN), "changed")
    if order.lines.filter(received__gt=0).exists():
        raise InvalidState(f"{order.number} has received units: it cannot be changed.")
    if "location" in fields:
        _physical(fields["location"], "location")
    for name, value in fields.items():
        setattr(order, name, value)
    if lines is not None:
        rows = _line_rows(company, order, lines)
        order.lines.all().delete()
        PurchaseOrderLine.objects.bulk_create(rows)
    touch(order, *fields)
    return order


@transaction.atomic
def open_purchase_order(*, company, order: PurchaseOrder, check: Check = None) -> PurchaseOrder:
    """A draft is placed with the supplier: its outstanding units become incoming."""
    order = lock(PurchaseOrder, company, order, check)
    refuse_unless(order, (Status.DRAFT,), "placed")
    order.status = Status.OPEN
    touch(order, "status")
    return order


@transaction.atomic
def receive_purchase_order(
    *,
    company,
    order: PurchaseOrder,
    lines: Sequence[Receipt] | None = None,
    allow_over_receipt: bool = False,
    door: str,
    actor=None,
    note: str = "",
    check: Check = None,
) -> PurchaseOrder:
    """Receive `lines` (without: everything outstanding) at the order's location."""
    order = lock(PurchaseOrder, company, order, check)
    refuse_unless(order, PurchaseOrder.RECEIVABLE, "received")
    order_lines = {line.record_id: line for line in order.lines.select_related("record")}
    if lines is None:
        wanted = [(line, line.outstanding) for line in order_lines.values() if line.outstanding]
        if not wanted:
            raise InvalidState(f"Nothing is outstanding on {order.number}.", field="lines")
    else:
        need_lines(lines)
        refuse_repeats([receipt.record for receipt in lines])
        wanted = [
            (
                _line_received(order, order_lines, index, receipt, allow_over_receipt),
                receipt.quantity,
            )
            for index, receipt in enumerate(lines)
        ]
    supplier = engine.virtual_locations(company).supplier
    with naming_lines(range(len(wanted))):
        engine.apply_changes(
            company=company,
            changes=[
                engine.Move(line.record, supplier, order.location, units, reason=Reason.RECEIPT)
                for line, units in wanted
            ],
            door=door,
            actor=actor,
            note=note,
            reference=order.number,
        )
    for line, units in wanted:
        line.received += units
    PurchaseOrderLine.objects.bulk_update([line for line, _ in wanted], ["received"])
    done = all(line.outstanding == 0 for line in order_lines.values())
    order.status = Status.RECEIVED if done else Status.PARTIALLY_RECEIVED
    touch(order, "status")
    return order


def _line_received(order, order_lines, index: int, receipt: Receipt, allow_over: bool):
    line = order_lines.get(receipt.record.pk)
    if line is None:
        raise InvalidOperation(
            f"{receipt.record.sku or receipt.record.variant} is not on {order.number}.",
            field=f"lines[{index}]",
        )
    if receipt.quantity < 1:
        raise InvalidOperation("Receive at least 1.", field=f"lines[{index}].quantity")
    if receipt.quantity > line.outstanding and not allow_over:
        raise OverReceipt(
            f"{line.sku}: {receipt.quantity} received but only {line.outstanding} outstanding "
            f"({line.ordered} ordered, {line.received} received).",
            field=f"lines[{index}].quantity",
            sku=line.sku,
            requested=receipt.quantity,
            available=line.outstanding,
            ordered=line.ordered,
            received=line.received,
            outstanding=line.outstanding,
        )
    return line


@transaction.atomic
def cancel_purchase_order(*, company, order: PurchaseOrder, check: Check = None) -> PurchaseOrder:
    """`cancelled` when nothing was received, else `closed`: what is outstanding is no
    longer expected. No stock moves."""
    order = lock(PurchaseOrder, company, order, check)
    refuse_unless(order, PurchaseOrder.RECEIVABLE, "cancelled")
    anything = order.lines.filter(received__gt=0).exists()
    order.status = Status.CLOSED if anything else Status.CANCELLED
    touch(order, "status")
    return order
