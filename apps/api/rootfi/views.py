"""V4 endpoints: inventories and items. Each view parses RootFi's words, calls a write in
`writes` (which calls the services) or a selector, and renders RootFi's objects."""

from functools import cache

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from apps.catalog.models import Item
from apps.inventory import selectors
from apps.inventory.locks import lock_records
from apps.inventory.models import InventoryRecord

from . import schema, writes
from .base import RootFiView, parse_expand
from .errors import InvalidRequest, ObjectNotFound
from .filters import InventoryFilter, ItemFilter
from .pagination import fingerprint, paginate, parse_limit, parse_select, parse_sort
from .serializers import (
    InventorySerializer,
    InventoryWriteSerializer,
    ItemCreateSerializer,
    ItemSerializer,
    ItemWriteSerializer,
)

INVENTORY_EXPANSIONS = ("item", "variant", "addresses")
ITEM_EXPANSIONS = ("variants",)


class ListMixin:
    """A V4 list: filters, keyset page, optional count, `select` of fields."""

    filterset_class = None
    serializer_class = None
    expansions: tuple[str, ...] = ()

    def queryset(self, include_deleted: bool, expand):
        raise NotImplementedError

    def loaded(self, rows: list) -> list:
        """The page's rows with what they render beside their own columns."""
        return rows

    def list(self, request):
        params = request.query_params
        expand = parse_expand(params, self.expansions)
        selected = parse_select(params, self.selectable())
        sort, limit = parse_sort(params), parse_limit(params)
        include_deleted = self.flag(request, "include_deleted_records")
        return_count = self.flag(request, "return_count")
        filters = self.filterset_class(params, queryset=self.queryset(include_deleted, expand))
        if not filters.is_valid():
            errors = filters.param_errors()
            raise InvalidRequest(
                "Invalid filter: " + "; ".join(f"{k}: {v}" for k, v in errors.items()),
                fields=errors,
            )
        rows = filters.qs
        page = paginate(rows, params, sort=sort, limit=limit, scope=fingerprint(params))
        data = self.serializer_class(
            self.loaded(page.rows), many=True, context={"expand": expand}
        ).data
        if selected is not None:
            data = [{k: v for k, v in row.items() if k in selected} for row in data]
        body = {"data": data, "next": page.next, "prev": page.prev}
        if return_count:
            body["total_count"] = rows.count()
        return Response(body)

    def selectable(self) -> tuple[str, ...]:
        """Fields `select` may name: the object's and its expansions (present when expanded)."""
        return tuple(dict.fromkeys([*field_names(self.serializer_class), *self.expansions]))


@cache
def field_names(serializer_class) -> tuple[str, ...]:
    return tuple(serializer_class().fields)


# --- inventories --------------------------------------------------------------------------


class InventoryListView(ListMixin, RootFiView):
    filterset_class = InventoryFilter
    serializer_class = InventorySerializer
    expansions = INVENTORY_EXPANSIONS

    def queryset(self, include_deleted, expand):
        return selectors.inventory_page(
            self.company, include_deleted=include_deleted, expand=expand
        )

    def loaded(self, rows):
        return selectors.with_addresses(rows)

    @extend_schema(
        summary="List inventories",
        parameters=schema.list_parameters(
            INVENTORY_EXPANSIONS, schema.INVENTORY_FILTERS, field_names(InventorySerializer)
        ),
        responses={200: schema.InventoryPageSerializer, **schema.LIST_ERRORS},
    )
    def get(self, request):
        return self.list(request)

    @extend_schema(
        summary="Create inventories",
        description="One object (bare or in `data`) answers the object; several answer "
        '`{"data": [...]}` and are written in one transaction.',
        request=InventoryWriteSerializer,
        responses={201: InventorySerializer, **schema.ERRORS},
        parameters=[schema.IDEMPOTENCY_KEY],
    )
    def post(self, request):
        objects, many = self.body_objects(request)
        validated = self.validate_objects(InventoryWriteSerializer, objects, many)
        company, actor = self.company, request.auth

        def handler():
            records = writes.create_inventories(company, validated, many, actor=actor)
            rendered = InventorySerializer(records, many=True).data
            return 201, ({"data": rendered} if many else rendered[0])

        return self.idempotent(request, handler)


class InventoryAliasListView(InventoryListView):
    """`GET /v4/inventory`, as the seed's filtering examples call it."""

    http_method_names = ["get", "head", "options"]


class InventoryDetailView(RootFiView):
    def record(self, ident, *, expand=()):
        rows = selectors.inventory_records(self.company, with_item_variants="item" in expand)
        record = selectors.by_id(rows, ident)
        if record is None:
            raise ObjectNotFound(f"No inventory record {ident}.")
        return record

    @extend_schema(
        summary="Get an inventory",
        parameters=[schema.expand_parameter(INVENTORY_EXPANSIONS)],
        responses={200: InventorySerializer, **schema.ERRORS},
    )
    def get(self, request, ident):
        expand = parse_expand(request.query_params, INVENTORY_EXPANSIONS)
        body = InventorySerializer(
            self.record(ident, expand=expand), context={"expand": expand}
        ).data
        return self.with_etag(Response(body), body)

    def update(self, request, ident):
        # Found by id only: the engine locks it and reads its figures and places itself.
        live = InventoryRecord.objects.live().filter(company=self.company)
        record = selectors.by_id(live.select_related("item", "variant"), ident)
        if record is None:
            raise ObjectNotFound(f"No inventory record {ident}.")
        objects, _ = self.body_objects(request)
        if len(objects) != 1:
            raise InvalidRequest(
                "Update one inventory record at a time.", fields={"data": "Send one object."}
            )
        (data,) = self.validate_objects(InventoryWriteSerializer, objects, False)
        company, actor = self.company, request.auth

        def if_match(current):
            self.check_if_match(request, InventorySerializer(current).data["data_hash"])

        def handler():
            updated = writes.update_inventory(company, record, data, actor=actor, if_match=if_match)
            return 200, InventorySerializer(updated).data

        return self.idempotent(request, handler)

    @extend_schema(
        summary="Update an inventory",
        description="Only provided fields change. `quantity` is an absolute count.",
        request=InventoryWriteSerializer,
        responses={200: InventorySerializer, **schema.ERRORS},
        parameters=[schema.IDEMPOTENCY_KEY, schema.IF_MATCH],
    )
    def put(self, request, ident):
        return self.update(request, ident)

    @extend_schema(
        summary="Update an inventory (partial)",
        request=InventoryWriteSerializer,
        responses={200: InventorySerializer, **schema.ERRORS},
        parameters=[schema.IDEMPOTENCY_KEY, schema.IF_MATCH],
    )
    def patch(self, request, ident):
        return self.update(request, ident)

    @extend_schema(
        summary="Delete an inventory",
        description="Soft delete: the record keeps its figures and ledger.",
        responses={204: OpenApiResponse(description="Deleted"), **schema.ERRORS},
        parameters=[schema.IDEMPOTENCY_KEY, schema.IF_MATCH],
    )
    def delete(self, request, ident):
        company = self.company

        # The lookup runs under the Idempotency-Key, so a retried delete replays its 204
        # instead of finding the object gone.
        def handler():
            record = self.record(ident)
            lock_records(company=company, record_ids=[record.pk])
            current = writes.fresh_record(company, record.pk)
            self.check_if_match(request, InventorySerializer(current).data["data_hash"])
            writes.delete_inventory(company, current)
            return 204, None

        return self.idempotent(request, handler)


# --- items --------------------------------------------------------------------------------


class ItemListView(ListMixin, RootFiView):
    filterset_class = ItemFilter
    serializer_class = ItemSerializer
    expansions = ITEM_EXPANSIONS

    def queryset(self, include_deleted, expand):
        return selectors.items(self.company, include_deleted=include_deleted)

    @extend_schema(
        summary="List items",
        parameters=schema.list_parameters(
            ITEM_EXPANSIONS, schema.ITEM_FILTERS, field_names(ItemSerializer)
        ),
        responses={200: schema.ItemPageSerializer, **schema.LIST_ERRORS},
    )
    def get(self, request):
        return self.list(request)

    @extend_schema(
        summary="Create items",
        description="An item without variants gets a default one with its SKU and price.",
        request=ItemCreateSerializer,
        responses={201: ItemSerializer, **schema.ERRORS},
        parameters=[schema.IDEMPOTENCY_KEY],
    )
    def post(self, request):
        objects, many = self.body_objects(request)
        validated = self.validate_objects(ItemWriteSerializer, objects, many)
        company = self.company

        def handler():
            rendered = ItemSerializer(writes.create_items(company, validated, many), many=True).data
            return 201, ({"data": rendered} if many else rendered[0])

        return self.idempotent(request, handler)


class ItemDetailView(RootFiView):
    def item(self, ident) -> Item:
        item = selectors.by_id(selectors.items(self.company), ident)
        if item is None:
            raise ObjectNotFound(f"No item {ident}.")
        return item

    @extend_schema(
        summary="Get an item",
        parameters=[schema.expand_parameter(ITEM_EXPANSIONS)],
        responses={200: ItemSerializer, **schema.ERRORS},
    )
    def get(self, request, ident):
        expand = parse_expand(request.query_params, ITEM_EXPANSIONS)
        body = ItemSerializer(self.item(ident), context={"expand": expand}).data
        return self.with_etag(Response(body), body)

    def locked_current(self, request, item) -> Item:
        Item.objects.select_for_update().filter(pk=item.pk).first()
        current = writes.fresh_item(self.company, item.pk)
        self.check_if_match(request, ItemSerializer(current).data["data_hash"])
        return current

    @extend_schema(
        summary="Update an item",
        description="Only provided fields change; `variants` replaces the set (matched by "
        "rootfi_id, platform_id or sku; variants left out are deleted, refused with 409 "
        "while they hold stock).",
        request=ItemWriteSerializer,
        responses={200: ItemSerializer, **schema.ERRORS},
        parameters=[schema.IDEMPOTENCY_KEY, schema.IF_MATCH],
    )
    def put(self, request, ident):
        company, item = self.company, self.item(ident)
        objects, _ = self.body_objects(request)
        if len(objects) != 1:
            raise InvalidRequest("Update one item at a time.", fields={"data": "Send one object."})
        (data,) = self.validate_objects(ItemWriteSerializer, objects, False)

        def handler():
            with transaction.atomic():
                current = self.locked_current(request, item)
                writes.update_item(company, current, data)
            return 200, ItemSerializer(writes.fresh_item(company, item.pk)).data

        return self.idempotent(request, handler)

    @extend_schema(
        summary="Delete an item",
        description="Soft delete with its variants; 409 while any of them holds stock.",
        responses={204: OpenApiResponse(description="Deleted"), **schema.ERRORS},
        parameters=[schema.IDEMPOTENCY_KEY, schema.IF_MATCH],
    )
    def delete(self, request, ident):
        company = self.company

        def handler():  # looks the item up under the Idempotency-Key, as inventories do
            current = self.locked_current(request, self.item(ident))
            writes.delete_item(company, current)
            return 204, None

        return self.idempotent(request, handler)
