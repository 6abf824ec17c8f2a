"""What keeps a variant from being deleted: open order lines and units in transit."""

from collections.abc import Iterable

from django.db.models import F

from ..errors import OperationsHeld
from ..models import PurchaseOrder, PurchaseOrderLine, Transfer, TransferLine


def holds_open_operations(variants: Iterable) -> list[dict]:
    """The operations that still name these variants: lines of draft, open or partially
    received orders with units outstanding, and lines of draft transfers or of transfers
    with units in transit. `[{"variant", "sku", "number", "kind"}]`, empty when none."""
    ids = [getattr(v, "pk", v) for v in variants]
    if not ids:
        return []
    orders = (
        PurchaseOrderLine.objects.filter(
            variant_id__in=ids,
            order__status__in=PurchaseOrder.RECEIVABLE,
            ordered__gt=F("received"),
        )
        .values_list("variant_id", "sku", "order__number")
        .order_by("order_id")
    )
    transfers = (
        TransferLine.objects.filter(variant_id__in=ids, transfer__status=Transfer.Status.DRAFT)
        | TransferLine.objects.filter(
            variant_id__in=ids,
            transfer__status=Transfer.Status.IN_TRANSIT,
            shipped__gt=F("received") + F("lost") + F("returned"),
        )
    ).values_list("variant_id", "sku", "transfer__number")
    return [
        {"variant": vid, "sku": sku, "number": number, "kind": "purchase_order"}
        for vid, sku, number in orders
    ] + [
        {"variant": vid, "sku": sku, "number": number, "kind": "transfer"}
        for vid, sku, number in transfers.order_by("transfer_id")
    ]


def refuse_if_held(variants: Iterable) -> None:
    """OperationsHeld (409) naming the orders and transfers, when any hold the variants."""
    holds = holds_open_operations(variants)
    if holds:
        numbers = sorted({h["number"] for h in holds})
        raise OperationsHeld(
            f"Still on {', '.join(numbers)}: receive, close or cancel them first.",
            field="variants",
            operations=numbers,
        )
