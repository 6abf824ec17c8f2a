"""Discovery (locations, suppliers) and stock by location with every state."""

import uuid

from django.db.models import Exists, OuterRef, Q
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from apps.catalog.models import gtin14
from apps.inventory.models import InventoryRecord, StockLevel
from apps.locations.models import Location
from apps.operations import selectors
from apps.operations.models import PurchaseOrder, PurchaseOrderLine, Supplier, TransferLine

from . import representations as show
from .base import NativeView
from .lines import location_by_value
from .pagination import check_params, paginate
from .problems import invalid
from .schema import documented


class LocationsView(NativeView):
    """GET /api/v1/locations: the company's physical locations."""

    @documented("native_locations_list", list_of="location")
    def get(self, request):
        check_params(request.query_params, ())
        rows = Location.objects.live().filter(company=self.company, kind=Location.Kind.STORE)
        page = paginate(rows, request.query_params)
        return Response({"results": [show.location(loc) for loc in page.rows], "next": page.next})


class SuppliersView(NativeView):
    """GET /api/v1/suppliers"""

    @documented("native_suppliers_list", list_of="supplier")
    def get(self, request):
        check_params(request.query_params, ())
        rows = Supplier.objects.filter(company=self.company)
        page = paginate(rows, request.query_params)
        return Response({"results": [show.supplier(s) for s in page.rows], "next": page.next})


def _values(params, name: str) -> list[str]:
    return [v.strip() for raw in params.getlist(name) for v in raw.split(",") if v.strip()]


STOCK_FILTERS = ("sku", "upc", "variant", "location", "store_code")


class StockView(NativeView):
    """GET /api/v1/stock: per record its totals (quantity is on hand only; incoming and in
    transit beside it) and per physical location its on-hand, incoming and in transit."""

    @documented(
        "native_stock_list",
        list_of="stock",
        parameters=[OpenApiParameter(name, str) for name in STOCK_FILTERS],
    )
    def get(self, request):
        params = request.query_params
        check_params(params, STOCK_FILTERS)
        company = self.company
        records = InventoryRecord.objects.live().filter(company=company)
        records = self._by_item(records, params)
        records = self._at_location(company, records, params)
        page = paginate(records, params)
        return Response({"results": self._render(company, page.rows), "next": page.next})

    @staticmethod
    def _by_item(records, params):
        wanted = Q()
        named = False
        for name, lookup, convert in (
            ("sku", "sku__in", str),
            ("upc", "variant__gtin__in", gtin14),
            ("variant", "variant__uuid__in", str),
        ):
            values = [convert(v) for v in _values(params, name)]
            if name == "variant":
                values = [_uuid(v) for v in values]
            if name == "upc" and params.get("upc") is not None and not all(values or [""]):
                raise invalid("upc", "A UPC or EAN is digits.")
            if values:
                named = True
                wanted |= Q(**{lookup: values})
        return records.filter(wanted) if named else records

    @staticmethod
    def _at_location(company, records, params):
        for name in ("location", "store_code"):
            value = params.get(name)
            if value:
                loc = location_by_value(company, value, name)
                return records.filter(
                    Exists(StockLevel.objects.filter(record=OuterRef("pk"), location=loc))
                    | Exists(
                        PurchaseOrderLine.objects.filter(
                            record=OuterRef("pk"),
                            order__location=loc,
                            order__status__in=PurchaseOrder.EXPECTING,
                        )
                    )
                    | Exists(
                        TransferLine.objects.filter(
                            record=OuterRef("pk"),
                            transfer__to_location=loc,
                            transfer__status="in_transit",
                        )
                    )
                )
        return records

    @staticmethod
    def _render(company, rows) -> list[dict]:
        ids = [r.pk for r in rows]
        if not ids:
            return []
        levels = StockLevel.objects.filter(company=company, record_id__in=ids)
        on_hand = {(lv.record_id, lv.location_id): lv.on_hand for lv in levels}
        incoming = selectors.incoming_by_location(company, ids)
        travelling = selectors.in_transit_by_destination(company, ids)
        places = {
            loc.pk: loc
            for loc in Location.objects.filter(company=company, kind=Location.Kind.STORE)
        }
        variants = dict(
            InventoryRecord.objects.filter(pk__in=ids).values_list("pk", "variant__uuid")
        )
        results = []
        for record in rows:
            located = sorted(
                {lid for (rid, lid) in (*on_hand, *incoming, *travelling) if rid == record.pk}
            )
            results.append(
                {
                    "sku": record.sku,
                    "variant": str(variants[record.pk]),
                    "quantity": record.quantity,
                    "reserved": record.reserved_quantity,
                    "available": record.available_quantity,
                    "incoming": sum(incoming.get((record.pk, lid), 0) for lid in located),
                    "in_transit": sum(travelling.get((record.pk, lid), 0) for lid in located),
                    "status": record.status,
                    "locations": [
                        {
                            "location": str(places[lid].uuid),
                            "store_code": places[lid].store_code,
                            "on_hand": on_hand.get((record.pk, lid), 0),
                            "incoming": incoming.get((record.pk, lid), 0),
                            "in_transit": travelling.get((record.pk, lid), 0),
                        }
                        for lid in located
                        if lid in places
                    ],
                }
            )
        return results


def _uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise invalid("variant", f"{value!r} is not a variant id (a UUID).") from None
