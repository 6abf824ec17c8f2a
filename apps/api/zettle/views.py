"""Zettle's Inventory API (iZettle/api-documentation, inventory-api/). Each view parses
Zettle's words, calls the service (or a selector), and answers in Zettle's words."""

import hashlib
import json
import uuid
from datetime import UTC, datetime
from functools import cached_property

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.api.base import Dialect, DoorView, UnknownEndpointView
from apps.api.common import enforce_object_limit
from apps.inventory import services
from apps.inventory.models import Door
from apps.inventory.services import events
from apps.locations.models import Location
from apps.tenancy.auth import ApiClient, BearerKeyAuthentication, HasApiKey

from . import lookups, lowstock, movements, selectors, serializers
from .errors import exception_handler, invalid, not_found

LIST = {"type": "array", "items": {"type": "object"}}


def documented(operation_id: str, *, request, answer=OpenApiTypes.OBJECT, status=200, **more):
    """The operation in /openapi.json: its success status and shape (the refusals are added
    site-wide, inventory_site/schema.py)."""
    responses = {status: answer if status != 204 and status != 202 else None}
    return extend_schema(
        operation_id=operation_id, tags=["zettle"], request=request, responses=responses, **more
    )


LOCATION_TYPE = OpenApiParameter(
    "type",
    {"type": "string", "enum": [*lookups.KINDS, *(k.lower() for k in lookups.KINDS)]},
    OpenApiParameter.QUERY,
    required=True,
    description="STORE, SUPPLIER, SOLD or BIN (either case)",
)


class HasAnyApiKey(HasApiKey):
    """For reads sent as POST (Zettle's "pure retrieval" product balances)."""

    def has_permission(self, request, view):
        if not isinstance(request.user, ApiClient):
            raise exceptions.NotAuthenticated("An API key is required.")
        return True


ZETTLE = Dialect(
    door=Door.ZETTLE,
    exception_handler=exception_handler,
    not_found=lambda request: not_found("Resource", request.path),
)


class ZettleView(DoorView):
    """Base of the dialect: Bearer key, Zettle's error body, `{org}` checked."""

    dialect = ZETTLE
    authentication_classes = [BearerKeyAuthentication]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        org = kwargs.get("org")
        if org is not None and org != "self":
            try:
                named = uuid.UUID(org)
            except ValueError:
                named = None
            if named != self.company.uuid:
                raise not_found("Organization", org)

    @cached_property
    def store(self) -> Location:
        """Zettle's one STORE: the key's store, else the company's default store."""
        key = self.request.auth
        if key.store_id is not None:
            return key.store
        return services.default_store(self.company)

    def location(self, value, property_name: str | None = None) -> Location:
        return lookups.location(self.company, value, property_name, store=self.store)

    def parse(self, serializer_class) -> dict:
        data = self.request.data
        enforce_object_limit(serializers.count_objects(data))
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def write(self, handler, *, data=None, path=None):
        # `self` and the company's UUID name the same organization: one request.
        path = path or self.request.path.replace(f"/{self.kwargs.get('org')}/", "/self/", 1)
        return super().write(handler, data=data, path=path)

    def location_of_type(self, kind) -> Location:
        if kind == Location.Kind.STORE:
            return self.store
        virtual = services.virtual_locations(self.company)
        return {
            Location.Kind.SUPPLIER: virtual.supplier,
            Location.Kind.SOLD: virtual.sold,
            Location.Kind.BIN: virtual.bin,
        }[kind]


def _epoch_millis(moment) -> int:
    return int(moment.timestamp() * 1000) if moment else 0


def _since(request):
    """`since`: epoch milliseconds (as `latest` answers) or an ISO 8601 date-time."""
    raw = request.query_params.get("since")
    if raw is None or raw == "":
        return None
    try:
        if raw.strip().isascii() and raw.strip().isdigit():
            return datetime.fromtimestamp(int(raw) / 1000, tz=UTC)
        moment = parse_datetime(raw.strip().replace(" ", "+"))
    except (ValueError, OverflowError, OSError):
        moment = None
    if moment is None:
        raise invalid("since", "Must be epoch milliseconds or an ISO 8601 date-time.")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _balances(company, location, *, items=None, since=None):
    rows = selectors.balances(company, location, items=items, since=since)
    return movements.balances_answer(
        location,
        rows,
        tracked=selectors.tracked_product_uuids(company, items),
        latest=_epoch_millis(selectors.latest_change(company, location)),
    )


def _with_etag(request, data) -> Response:
    """Zettle's low-stock reads "accept and return ETags": the answer carries a tag of its
    content, and a request whose If-None-Match names the current tag is 304 without a body."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    tag = f'"{hashlib.sha256(canonical.encode()).hexdigest()[:32]}"'
    wanted = request.headers.get("If-None-Match", "")
    named = {t.strip().removeprefix("W/") for t in wanted.split(",") if t.strip()}
    if tag in named or "*" in named:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
    return Response(data, headers={"ETag": tag})


class LocationsView(ZettleView):
    """GET /organizations/{org}/locations"""

    @documented("zettle_locations_get", request=None, answer=LIST)
    def get(self, request, org):
        return Response(
            [
                {
                    "uuid": str(loc.uuid),
                    "type": loc.kind,
                    "name": loc.name,
                    "description": loc.description,
                    # The one STORE is the organization's default location in Zettle.
                    "default": loc.kind == Location.Kind.STORE,
                }
                for loc in selectors.zettle_locations(self.company, self.store)
            ]
        )


class InventoryView(ZettleView):
    """POST /organizations/{org}/inventory starts tracking a product;
    PUT moves stock between locations."""

    @documented("zettle_inventory_post", request=serializers.StartTrackingSerializer)
    def post(self, request, org):
        data = self.parse(serializers.StartTrackingSerializer)

        def start():
            item = lookups.product(self.company, data["productUuid"], "productUuid")
            services.start_tracking(company=self.company, item=item, actor=request.auth)
            store = self.store
            rows = selectors.balances(self.company, store, items=[item])
            return status.HTTP_200_OK, movements.balances_answer(store, rows)

        return self.write(start)

    @documented("zettle_inventory_put", request=serializers.MovementsSerializer)
    def put(self, request, org):
        data = self.parse(serializers.MovementsSerializer)

        def move():
            company = self.company
            returned = data.get("returnBalanceForLocationUuid")
            location = (
                self.location(returned, "returnBalanceForLocationUuid") if returned else self.store
            )
            lines = movements.lines_of_changes(data["changes"])
            moves = movements.resolve(company, lines, self.store)
            result = movements.apply(
                company, lines, moves, actor=request.auth, external_uuid=data.get("externalUuid")
            )
            return status.HTTP_200_OK, movements.movements_answer(company, location, moves, result)

        return self.write(move)


class TrackedProductView(ZettleView):
    """DELETE /organizations/{org}/inventory/products/{productUuid} stops tracking."""

    @documented("zettle_tracked_product_delete", request=None, status=204)
    def delete(self, request, org, product):
        def stop():
            item = lookups.product(self.company, product)
            services.stop_tracking(company=self.company, item=item, actor=request.auth)
            return status.HTTP_204_NO_CONTENT, None

        return self.write(stop, data={})


class BulkView(ZettleView):
    """POST /organizations/{org}/v2/inventory/bulk: tracking changes and movements of many
    products in one transaction."""

    @documented("zettle_bulk_post", request=serializers.BulkSerializer)
    def post(self, request, org):
        data = self.parse(serializers.BulkSerializer)

        def bulk():
            company = self.company
            returned = data.get("returnBalanceForLocationUuid")
            with transaction.atomic():
                location = (
                    self.location(returned, "returnBalanceForLocationUuid")
                    if returned
                    else self.store
                )
                changes = data["productChanges"]
                tracking, starting, stopping = movements.tracking_changes(company, changes)
                lines = movements.lines_of_product_changes(changes)
                moves = movements.resolve(company, lines, self.store)
                result = movements.apply(
                    company,
                    lines,
                    moves,
                    actor=request.auth,
                    external_uuid=data.get("externalUuid"),
                    before=tracking,
                )
                for items, started in ((starting, True), (stopping, False)):
                    events.record_tracking_changes(
                        company=company,
                        items=items,
                        started=started,
                        now=timezone.now(),
                        actor=request.auth,
                    )
            return status.HTTP_200_OK, movements.bulk_answer(location, moves, result)

        return self.write(bulk)


class LocationTypeBalancesView(ZettleView):
    """GET /organizations/{org}/inventory/locations?type=STORE|SUPPLIER|SOLD|BIN"""

    @documented("zettle_location_type_balances_get", request=None, parameters=[LOCATION_TYPE])
    def get(self, request, org):
        kind = request.query_params.get("type", "")
        if kind.upper() not in lookups.KINDS:
            raise invalid(
                "type", f"type must be one of {', '.join(lookups.KINDS)}.", "INVALID_VALUE"
            )
        return Response(_balances(self.company, self.location_of_type(kind.upper())))


class LocationBalancesView(ZettleView):
    """GET /organizations/{org}/inventory/locations/{locationUuid}"""

    @documented("zettle_location_balances_get", request=None)
    def get(self, request, org, location):
        return Response(_balances(self.company, self.location(location)))


class ProductLocationBalanceView(ZettleView):
    """GET /organizations/{org}/inventory/locations/{locationUuid}/products/{productUuid}"""

    @documented("zettle_product_location_balance_get", request=None)
    def get(self, request, org, location, product):
        found = self.location(location)
        item = lookups.product(self.company, product)
        rows = selectors.balances(self.company, found, items=[item])
        return Response(movements.balances_answer(found, rows))


class ProductBalancesView(ZettleView):
    """POST /organizations/{org}/inventory/products: balances of the listed products (a read
    sent as POST, so a read-only key may use it)."""

    permission_classes = [HasAnyApiKey]

    @documented("zettle_product_balances_post", request=serializers.ProductBalancesSerializer)
    def post(self, request, org):
        data = self.parse(serializers.ProductBalancesSerializer)
        location = self.location_of_type(data["locationType"])
        items = list(lookups.products(self.company, data["productUuids"]).values())
        return Response(_balances(self.company, location, items=items))


class StoreBalancesView(ZettleView):
    """GET /inventory: the key's store's balances, optionally only those changed `since`."""

    @documented("zettle_store_balances_get", request=None)
    def get(self, request):
        company = self.company
        store = self.store
        since = _since(request)
        rows = selectors.balances(company, store, since=since)
        return Response(
            movements.balances_answer(
                store,
                rows,
                tracked=selectors.tracked_product_uuids(company),
                latest=_epoch_millis(selectors.latest_change(company, store)),
            )
        )


class LowStockView(ZettleView):
    """PUT /custom-low-stock/locations/{locationUuid} sets one variant's level;
    POST sets many (`requests`). 204."""

    @documented("zettle_low_stock_put", request=serializers.LowStockSerializer, status=204)
    def put(self, request, location):
        data = self.parse(serializers.LowStockSerializer)

        def save():
            lowstock.store_named(self.company, location, self.store)
            lowstock.set_levels(self.company, [data])
            return status.HTTP_204_NO_CONTENT, None

        return self.write(save)

    @documented("zettle_low_stock_post", request=serializers.LowStockBatchSerializer, status=204)
    def post(self, request, location):
        data = self.parse(serializers.LowStockBatchSerializer)

        def save():
            lowstock.store_named(self.company, location, self.store)
            lowstock.set_levels(self.company, data["requests"], prefix=lambda i: f"requests[{i}].")
            return status.HTTP_204_NO_CONTENT, None

        return self.write(save)


class LowStockBatchDeleteView(ZettleView):
    """POST /custom-low-stock/locations/{locationUuid}/delete resets many variants. 202."""

    @documented(
        "zettle_low_stock_batch_delete_post",
        request=serializers.LowStockDeleteSerializer,
        status=202,
    )
    def post(self, request, location):
        data = self.parse(serializers.LowStockDeleteSerializer)

        def reset():
            lowstock.store_named(self.company, location, self.store)
            lowstock.reset_levels(
                self.company, data["requests"], prefix=lambda i: f"requests[{i}]."
            )
            return status.HTTP_202_ACCEPTED, None

        return self.write(reset)


class LowStockVariantView(ZettleView):
    """DELETE /custom-low-stock/locations/{loc}/products/{product}/variants/{variant}. 202."""

    @documented("zettle_low_stock_variant_delete", request=None, status=202)
    def delete(self, request, location, product, variant):
        entry = {
            "productUuid": lookups.parse_uuid(product, "Product"),
            "variantUuid": lookups.parse_uuid(variant, "Variant"),
        }

        def reset():
            lowstock.store_named(self.company, location, self.store)
            lowstock.reset_levels(self.company, [entry])
            return status.HTTP_202_ACCEPTED, None

        return self.write(reset, data={})


class LowStockLocationReadView(ZettleView):
    """GET /custom-low-stock/v2/locations/{locationUuid}"""

    @documented("zettle_low_stock_location_read_get", request=None)
    def get(self, request, location):
        store = lowstock.store_named(self.company, location, self.store)
        return _with_etag(request, lowstock.location_answer(self.company, store))


class LowStockProductReadView(ZettleView):
    """GET /custom-low-stock/v2/locations/{locationUuid}/products/{productUuid}"""

    @documented("zettle_low_stock_product_read_get", request=None)
    def get(self, request, location, product):
        lowstock.store_named(self.company, location, self.store)
        item = lookups.product(self.company, product)
        return _with_etag(request, lowstock.product_answer(self.company, item))


class NotFoundView(UnknownEndpointView):
    """Anything else under Zettle's prefixes: 404 in Zettle's shape, whatever the method."""

    dialect = ZETTLE
