"""Purchase orders and transfers over REST: each view parses the body, names the items and
locations, calls one operations service and answers the object."""

import uuid

from rest_framework import status
from rest_framework.response import Response

from apps.inventory.models import Door
from apps.operations import selectors
from apps.operations import services as operations
from apps.operations.models import PurchaseOrder, Transfer

from . import representations as show
from . import serializers
from .base import NativeView
from .lines import location_by_value, resolve_location, resolve_records
from .pagination import check_params, paginate, parse_choices
from .problems import not_found
from .schema import documented


def find(queryset, ident: str, what: str):
    """The company's object with that UUID; another company's, or no UUID at all, is 404."""
    try:
        key = uuid.UUID(str(ident))
    except ValueError:
        raise not_found(what, ident) from None
    found = queryset.filter(uuid=key).first()
    if found is None:
        raise not_found(what, ident)
    return found


class OperationView(NativeView):
    """What both kinds share: find by id, list newest first filtered by status, answer."""

    model = None
    what = ""

    def queryset(self):
        raise NotImplementedError

    def render(self, obj) -> dict:
        raise NotImplementedError

    def get_object(self, ident):
        return find(self.queryset(), ident, self.what)

    def answer(self, obj, code=status.HTTP_200_OK):
        fresh = self.queryset().get(pk=obj.pk)
        return code, self.render(fresh)

    def list_response(self, request, **filters):
        params = request.query_params
        check_params(params, ("status",))
        rows = self.queryset().filter(**filters)
        statuses = parse_choices(params, "status", self.model.Status.values)
        if statuses:
            rows = rows.filter(status__in=statuses)
        page = paginate(rows, params)
        return Response({"results": [self.render(o) for o in page.rows], "next": page.next})

    def act(self, ident, action, serializer_class=serializers.NoteSerializer, **extra):
        """A state-changing POST: body checked, object found, `action(obj, data, check)`
        run under the Idempotency-Key with the If-Match precondition."""
        data = self.parse(serializer_class)
        obj = self.get_object(ident)

        def run():
            changed = action(obj, data, self.precondition(self.render_locked))
            return self.answer(changed)

        return self.write(run)

    def render_locked(self, obj) -> dict:
        return self.render(self.queryset().get(pk=obj.pk))

    def engine_context(self, data) -> dict:
        return {"door": Door.NATIVE, "actor": self.actor, "note": data.get("note", "")}


def _order_lines(company, lines):
    records = resolve_records(company, lines)
    return [
        operations.OrderLine(record, line["quantity"], line.get("unit_cost"))
        for record, line in zip(records, lines, strict=True)
    ]


def _items(company, lines, cls):
    records = resolve_records(company, lines)
    return [cls(record, line["quantity"]) for record, line in zip(records, lines, strict=True)]


class PurchaseOrderBase(OperationView):
    model = PurchaseOrder
    what = "Purchase order"

    def queryset(self):
        return selectors.purchase_orders(self.company)

    def render(self, obj):
        return show.purchase_order(obj)


class PurchaseOrderListView(PurchaseOrderBase):
    """GET|POST /api/v1/purchase-orders"""

    @documented(
        "native_purchase_orders_list",
        list_of="purchase order",
        statuses=PurchaseOrder.Status.values,
    )
    def get(self, request):
        return self.list_response(request)

    @documented(
        "native_purchase_orders_create",
        request=serializers.PurchaseOrderCreateSerializer,
        code=201,
        idempotent=True,
    )
    def post(self, request):
        data = self.parse(serializers.PurchaseOrderCreateSerializer)

        def create():
            company = self.company
            location = resolve_location(company, data)
            order = operations.create_purchase_order(
                company=company,
                supplier=operations.find_or_create_supplier(company=company, name=data["supplier"]),
                location=location,
                lines=_order_lines(company, data["lines"]),
                reference=data.get("reference", ""),
                expected_at=data.get("expected_at"),
                actor=self.actor,
            )
            return self.answer(order, status.HTTP_201_CREATED)

        return self.write(create)


class PurchaseOrderDetailView(PurchaseOrderBase):
    """GET|PATCH /api/v1/purchase-orders/{id}"""

    @documented("native_purchase_order_get")
    def get(self, request, ident):
        return self.object_response(self.render(self.get_object(ident)))

    @documented(
        "native_purchase_order_update",
        request=serializers.PurchaseOrderUpdateSerializer,
        idempotent=True,
        if_match=True,
    )
    def patch(self, request, ident):
        data = self.parse(serializers.PurchaseOrderUpdateSerializer)
        order = self.get_object(ident)

        def update():
            company = self.company
            fields = {k: data[k] for k in ("reference", "expected_at") if k in data}
            if "supplier" in data:
                fields["supplier"] = operations.find_or_create_supplier(
                    company=company, name=data["supplier"]
                )
            location = resolve_location(company, data, required=False)
            if location is not None:
                fields["location"] = location
            lines = _order_lines(company, data["lines"]) if "lines" in data else None
            changed = operations.update_purchase_order(
                company=company,
                order=order,
                lines=lines,
                check=self.precondition(self.render_locked),
                **fields,
            )
            return self.answer(changed)

        return self.write(update)


class PurchaseOrderReceiveView(PurchaseOrderBase):
    """POST /api/v1/purchase-orders/{id}/receive"""

    @documented(
        "native_purchase_order_receive",
        request=serializers.ReceiveOrderSerializer,
        idempotent=True,
        if_match=True,
    )
    def post(self, request, ident):
        def receive(order, data, check):
            lines = data.get("lines")
            return operations.receive_purchase_order(
                company=self.company,
                order=order,
                lines=None if lines is None else _items(self.company, lines, operations.Receipt),
                allow_over_receipt=data["allow_over_receipt"],
                check=check,
                **self.engine_context(data),
            )

        return self.act(ident, receive, serializers.ReceiveOrderSerializer)


class PurchaseOrderOpenView(PurchaseOrderBase):
    """POST /api/v1/purchase-orders/{id}/open: a draft is placed with the supplier."""

    @documented("native_purchase_order_open", idempotent=True, if_match=True)
    def post(self, request, ident):
        return self.act(
            ident,
            lambda order, data, check: operations.open_purchase_order(
                company=self.company, order=order, check=check
            ),
        )


class PurchaseOrderCancelView(PurchaseOrderBase):
    """POST /api/v1/purchase-orders/{id}/cancel"""

    @documented("native_purchase_order_cancel", idempotent=True, if_match=True)
    def post(self, request, ident):
        return self.act(
            ident,
            lambda order, data, check: operations.cancel_purchase_order(
                company=self.company, order=order, check=check
            ),
        )


class TransferBase(OperationView):
    model = Transfer
    what = "Transfer"

    def queryset(self):
        return selectors.transfers(self.company)

    def render(self, obj):
        return show.transfer(obj)


class TransferListView(TransferBase):
    """GET|POST /api/v1/transfers"""

    @documented("native_transfers_list", list_of="transfer", statuses=Transfer.Status.values)
    def get(self, request):
        return self.list_response(request)

    @documented(
        "native_transfers_create",
        request=serializers.TransferCreateSerializer,
        code=201,
        idempotent=True,
    )
    def post(self, request):
        data = self.parse(serializers.TransferCreateSerializer)

        def create():
            company = self.company
            transfer = operations.create_transfer(
                company=company,
                from_location=location_by_value(company, data["from"], "from"),
                to_location=location_by_value(company, data["to"], "to"),
                lines=_items(company, data["lines"], operations.TransferItem),
                reference=data.get("reference", ""),
                actor=self.actor,
            )
            return self.answer(transfer, status.HTTP_201_CREATED)

        return self.write(create)


class TransferDetailView(TransferBase):
    """GET|PATCH /api/v1/transfers/{id}"""

    @documented("native_transfer_get")
    def get(self, request, ident):
        return self.object_response(self.render(self.get_object(ident)))

    @documented(
        "native_transfer_update",
        request=serializers.TransferUpdateSerializer,
        idempotent=True,
        if_match=True,
    )
    def patch(self, request, ident):
        data = self.parse(serializers.TransferUpdateSerializer)
        transfer = self.get_object(ident)

        def update():
            company = self.company
            fields = {"reference": data["reference"]} if "reference" in data else {}
            for key, name in (("from", "from_location"), ("to", "to_location")):
                if key in data:
                    fields[name] = location_by_value(company, data[key], key)
            lines = (
                _items(company, data["lines"], operations.TransferItem) if "lines" in data else None
            )
            changed = operations.update_transfer(
                company=company,
                transfer=transfer,
                lines=lines,
                check=self.precondition(self.render_locked),
                **fields,
            )
            return self.answer(changed)

        return self.write(update)


def _transfer_action(service, operation_id: str, doc: str):
    class View(TransferBase):
        @documented(operation_id, idempotent=True, if_match=True)
        def post(self, request, ident):
            return self.act(
                ident,
                lambda obj, data, check: service(
                    company=self.company, transfer=obj, check=check, **self.engine_context(data)
                ),
            )

    View.__doc__ = doc
    View.__name__ = View.__qualname__ = f"Transfer{service.__name__.split('_')[0].title()}View"
    return View


TransferShipView = _transfer_action(
    operations.ship_transfer,
    "native_transfer_ship",
    "POST /api/v1/transfers/{id}/ship: every line leaves `from` into IN_TRANSIT.",
)
TransferCloseView = _transfer_action(
    operations.close_transfer,
    "native_transfer_close",
    "POST /api/v1/transfers/{id}/close: what is still in transit is written off as lost.",
)
TransferCancelView = _transfer_action(
    operations.cancel_transfer,
    "native_transfer_cancel",
    "POST /api/v1/transfers/{id}/cancel: a draft is cancelled; an unreceived shipment "
    "goes back to `from`.",
)


class TransferReceiveView(TransferBase):
    """POST /api/v1/transfers/{id}/receive"""

    @documented(
        "native_transfer_receive",
        request=serializers.ReceiveTransferSerializer,
        idempotent=True,
        if_match=True,
    )
    def post(self, request, ident):
        def receive(obj, data, check):
            lines = data.get("lines")
            return operations.receive_transfer(
                company=self.company,
                transfer=obj,
                lines=None
                if lines is None
                else _items(self.company, lines, operations.TransferItem),
                check=check,
                **self.engine_context(data),
            )

        return self.act(ident, receive, serializers.ReceiveTransferSerializer)
