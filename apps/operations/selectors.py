"""Reads of the operations, with their joins, so that no door builds its own N+1; and
"incoming" and "in transit", the two figures the operations add to a record's stock.

Incoming: the outstanding units (ordered - received, when positive) of the lines of open
and partially received orders, per record and the order's location.
In transit: the units of transfers shipped and neither received, lost nor returned, per
record and the transfer's destination."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F, IntegerField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import PurchaseOrder, PurchaseOrderLine, Transfer, TransferLine


def purchase_orders(company):
    lines = PurchaseOrderLine.objects.select_related("variant").order_by("id")
    return (
        PurchaseOrder.objects.filter(company=company)
        .select_related("supplier", "location")
        .prefetch_related(Prefetch("lines", queryset=lines))
    )


def transfers(company):
    lines = TransferLine.objects.select_related("variant").order_by("id")
    return (
        Transfer.objects.filter(company=company)
        .select_related("from_location", "to_location")
        .prefetch_related(Prefetch("lines", queryset=lines))
    )


def _open_order_lines(company):
    return PurchaseOrderLine.objects.filter(
        company=company,
        order__status__in=PurchaseOrder.EXPECTING,
        ordered__gt=F("received"),
    )


def _travelling_lines(company):
    return TransferLine.objects.filter(
        company=company,
        transfer__status=Transfer.Status.IN_TRANSIT,
        shipped__gt=F("received") + F("lost") + F("returned"),
    )


OUTSTANDING = F("ordered") - F("received")
IN_TRANSIT = F("shipped") - F("received") - F("lost") - F("returned")


def incoming_by_location(company, record_ids: Iterable[int] | None = None):
    """{(record_id, location_id): incoming units}."""
    lines = _open_order_lines(company)
    if record_ids is not None:
        lines = lines.filter(record_id__in=list(record_ids))
    rows = lines.values("record_id", "order__location_id").annotate(units=Sum(OUTSTANDING))
    return {(r["record_id"], r["order__location_id"]): r["units"] for r in rows}


def in_transit_by_destination(company, record_ids: Iterable[int] | None = None):
    """{(record_id, destination location_id): units on the way there}."""
    lines = _travelling_lines(company)
    if record_ids is not None:
        lines = lines.filter(record_id__in=list(record_ids))
    rows = lines.values("record_id", "transfer__to_location_id").annotate(units=Sum(IN_TRANSIT))
    return {(r["record_id"], r["transfer__to_location_id"]): r["units"] for r in rows}


def per_record(by_location: dict) -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    for (record_id, _), units in by_location.items():
        totals[record_id] += units
    return dict(totals)


def incoming_subquery():
    """An annotation for InventoryRecord querysets: the record's incoming units."""
    lines = (
        PurchaseOrderLine.objects.filter(
            record_id=OuterRef("pk"),
            order__status__in=PurchaseOrder.EXPECTING,
            ordered__gt=F("received"),
        )
        .order_by()
        .values("record_id")
        .annotate(units=Sum(OUTSTANDING))
        .values("units")
    )
    return Coalesce(Subquery(lines, output_field=IntegerField()), Value(0))


def in_transit_subquery():
    """An annotation for InventoryRecord querysets: the record's units in transit."""
    lines = (
        TransferLine.objects.filter(
            record_id=OuterRef("pk"), transfer__status=Transfer.Status.IN_TRANSIT
        )
        .order_by()
        .values("record_id")
        .annotate(units=Sum(IN_TRANSIT))
        .values("units")
    )
    return Coalesce(Subquery(lines, output_field=IntegerField()), Value(0))


def operations_of_references(company, references: Iterable[str]) -> dict[str, tuple[str, int]]:
    """{number: ("purchaseorder" | "transfer", pk)} for ledger rows' references, so the
    ledger can link each row to its order or transfer."""
    wanted = {r for r in references if r}
    if not wanted:
        return {}
    found = {}
    for number, pk in PurchaseOrder.objects.filter(company=company, number__in=wanted).values_list(
        "number", "pk"
    ):
        found[number] = ("purchaseorder", pk)
    for number, pk in Transfer.objects.filter(company=company, number__in=wanted).values_list(
        "number", "pk"
    ):
        found[number] = ("transfer", pk)
    return found


def incoming_of(record) -> int:
    """One record's incoming units (its page; lists annotate `incoming_subquery()`)."""
    total = (
        _open_order_lines(record.company_id)
        .filter(record_id=record.pk)
        .aggregate(units=Sum(OUTSTANDING))["units"]
    )
    return total or 0


def in_transit_problems(movements, transfer_lines=None) -> list[str]:
    """audit_ledger's check of stock in transit: per record, the ledger's IN_TRANSIT balance
    (units moved in less units moved out, over `movements`) equals what its transfers say
    is still travelling, and is never negative."""
    from apps.locations.models import Location

    kind = Location.Kind.IN_TRANSIT
    ledger: dict[int, int] = defaultdict(int)
    for rid, units in (
        movements.filter(to_location__kind=kind)
        .values_list("record_id")
        .annotate(u=Sum("quantity"))
    ):
        ledger[rid] += units
    for rid, units in (
        movements.filter(from_location__kind=kind)
        .values_list("record_id")
        .annotate(u=Sum("quantity"))
    ):
        ledger[rid] -= units
    lines = transfer_lines if transfer_lines is not None else TransferLine.objects.all()
    travelling = {
        rid: units
        for rid, units in lines.values_list("record_id").annotate(u=Sum(IN_TRANSIT))
        if units
    }
    problems = []
    for rid in sorted(set(ledger) | set(travelling)):
        by_ledger, by_lines = ledger.get(rid, 0), travelling.get(rid, 0)
        if by_ledger != by_lines or by_ledger < 0:
            problems.append(
                f"record {rid}: {by_ledger} in transit by the ledger, {by_lines} by its transfers"
            )
    return problems
