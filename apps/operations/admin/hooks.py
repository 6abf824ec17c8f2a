"""What other admin pages show of the operations, as small hooks rather than edits of
their views:

- `record_context(record)`: the record page's incoming and in-transit figures, per location
  and per open order or transfer (template: admin/operations/record_operations.html, to
  `{% include %}` with `operations` in the context);
- `ledger_links(company, movements)`: {reference: admin URL} for ledger rows carrying a
  PO/TR number (template tag `{% operation_link m.reference links %}`);
- `draft_orders_from_suggestions(...)`: the reorder report's "create draft orders"."""

from collections import defaultdict

from django.urls import reverse

from apps.locations.models import Location

from .. import selectors, services
from ..models import PurchaseOrder, PurchaseOrderLine, Transfer, TransferLine


def record_context(record) -> dict:
    company = record.company
    incoming = selectors.incoming_by_location(company, [record.pk])
    travelling = selectors.in_transit_by_destination(company, [record.pk])
    orders = (
        PurchaseOrderLine.objects.filter(record=record, order__status__in=PurchaseOrder.RECEIVABLE)
        .select_related("order__supplier", "order__location")
        .order_by("-order_id")[:20]
    )
    transfers = (
        TransferLine.objects.filter(
            record=record,
            transfer__status__in=(Transfer.Status.DRAFT, Transfer.Status.IN_TRANSIT),
        )
        .select_related("transfer__from_location", "transfer__to_location")
        .order_by("-transfer_id")[:20]
    )
    return {
        "operations": {
            "incoming": sum(incoming.values()),
            "in_transit": sum(travelling.values()),
            "incoming_at": {lid: units for (_, lid), units in incoming.items()},
            "in_transit_to": {lid: units for (_, lid), units in travelling.items()},
            "by_location": [
                {
                    "location": location,
                    "incoming": incoming.get((record.pk, location.pk), 0),
                    "in_transit": travelling.get((record.pk, location.pk), 0),
                }
                for location in Location.objects.filter(
                    pk__in={lid for _, lid in (*incoming, *travelling)}
                ).order_by("name")
            ],
            "orders": [
                {
                    "number": line.order.number,
                    "url": reverse("admin:operations_purchaseorder_change", args=[line.order_id]),
                    "status": line.order.get_status_display(),
                    "supplier": line.order.supplier.name,
                    "location": line.order.location.name,
                    "outstanding": line.outstanding,
                }
                for line in orders
            ],
            "transfers": [
                {
                    "number": line.transfer.number,
                    "url": reverse("admin:operations_transfer_change", args=[line.transfer_id]),
                    "status": line.transfer.get_status_display(),
                    "route": f"{line.transfer.from_location.name} → "
                    f"{line.transfer.to_location.name}",
                    "quantity": line.quantity,
                    "in_transit": line.in_transit,
                }
                for line in transfers
            ],
        }
    }


def ledger_links(company, movements) -> dict[str, str]:
    found = selectors.operations_of_references(company, (m.reference for m in movements))
    return {
        number: reverse(f"admin:operations_{model}_change", args=[pk])
        for number, (model, pk) in found.items()
    }


def draft_orders_from_suggestions(*, records, supplier_name: str, location_of, actor):
    """One draft order per company and location for the `records` (a queryset) that still
    need reorder,
    each line the suggested quantity (less incoming). `location_of(record)` is where the
    reorder report lists it. Returns the orders."""
    wanted = records.live().needing_reorder().select_related("company")
    groups = defaultdict(list)
    for record in wanted:
        units = record.suggested_reorder_quantity
        location = location_of(record)
        if units > 0 and location is not None:
            groups[(record.company_id, location.pk)].append((record, units, location))
    orders = []
    for rows in groups.values():
        company, location = rows[0][0].company, rows[0][2]
        orders.append(
            services.create_purchase_order(
                company=company,
                supplier=services.find_or_create_supplier(company=company, name=supplier_name),
                location=location,
                lines=[services.OrderLine(record, units) for record, units, _ in rows],
                status=PurchaseOrder.Status.DRAFT,
                actor=actor,
            )
        )
    return orders
