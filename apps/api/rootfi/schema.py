"""OpenAPI pieces of the V4 door (drf-spectacular): list parameters, error and page shapes,
and a hook that keeps one path per endpoint (the trailing-slash twins are left out)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .pagination import DEFAULT_LIMIT, MAX_LIMIT
from .serializers import InventorySerializer, ItemSerializer, StrictSerializer


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable error code, e.g. INSUFFICIENT_STOCK")
    message = serializers.CharField(help_text="What went wrong, naming the figures")
    fields = serializers.DictField(
        child=serializers.CharField(), help_text="Field name to what is wrong with it"
    )
    figures = serializers.DictField(
        required=False, help_text="The stock figures that explain a refusal"
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
    request_id = serializers.UUIDField()


class _PageSerializer(serializers.Serializer):
    next = serializers.CharField(
        allow_null=True, help_text="Cursor of the next page (pass as `next`)"
    )
    prev = serializers.CharField(
        allow_null=True, help_text="Cursor of the previous page (pass as `prev`)"
    )
    total_count = serializers.IntegerField(
        required=False, help_text="Rows matching the filters (with return_count=true)"
    )


class InventoryPageSerializer(_PageSerializer):
    data = InventorySerializer(many=True)


class ItemPageSerializer(_PageSerializer):
    data = ItemSerializer(many=True)


def _error(description):
    return OpenApiResponse(response=ErrorSerializer, description=description)


ERRORS = {
    400: _error("Malformed JSON, wrong shape, unknown field, wrong type or value"),
    401: _error("Missing or unknown api_key"),
    403: _error("Read-only key"),
    404: _error("Not found (or another company's, or deleted)"),
    409: _error("Refused by the stock rules, or Idempotency-Key reused"),
    412: _error("If-Match does not match the current data_hash"),
    413: _error("Body above 5 MB"),
}

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Run the write once; a retry with the same key replays the answer.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The data_hash (ETag) read; the write is refused with 412 if it changed.",
)


def expand_parameter(allowed):
    return OpenApiParameter(
        "expand",
        # Empty entries (`expand=`, `expand=item,`) are ignored.
        {"type": "array", "items": {"type": "string", "enum": [*allowed, ""]}},
        style="form",
        explode=False,
        description=f"Comma list of: {', '.join(allowed)}",
    )


def _q(name, kind=OpenApiTypes.STR, description=""):
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description)


DATE_FILTERS = [
    _q(f"{field}[{op}]", OpenApiTypes.DATETIME, f"{field} {op} (ISO 8601)")
    for field in ("rootfi_updated_at", "rootfi_created_at")
    for op in ("gte", "lte", "eq")
]
INVENTORY_FILTERS = [
    _q("item_id", description="The item's platform_id or rootfi_id (or a comma list)"),
    _q("variant_id", description="The variant's platform_id or rootfi_id (or a comma list)"),
    _q("sku", description="A SKU or a comma list of SKUs"),
    _q("status", description="Comma list of statuses"),
    _q("is_trackable", OpenApiTypes.BOOL),
    *DATE_FILTERS,
]
ITEM_FILTERS = [
    _q("sku", description="A SKU or a comma list of SKUs"),
    _q("status", description="Comma list of DRAFT, ACTIVE, ARCHIVED, UNKNOWN"),
    _q("type", description="Comma list of item types"),
    *DATE_FILTERS,
]


def list_parameters(expansions, filters):
    return [
        expand_parameter(expansions),
        _q("limit", OpenApiTypes.INT, f"Page size (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})"),
        _q("next", description="Cursor from the previous page's `next`"),
        _q("prev", description="Cursor from the page's `prev`"),
        _q("return_count", OpenApiTypes.BOOL, "Add total_count"),
        _q("include_deleted_records", OpenApiTypes.BOOL),
        _q("sort[rootfi_created_at]", description="ASC or DESC"),
        _q("sort[rootfi_updated_at]", description="ASC or DESC"),
        *filters,
    ]


class RootFiAutoSchema(AutoSchema):
    """Operation ids that tell a list (`..._list`) from a read of one object."""

    def get_operation_id(self):
        operation_id = super().get_operation_id()
        if self.method == "GET" and "{" not in self.path and operation_id.endswith("_retrieve"):
            return operation_id.removesuffix("_retrieve") + "_list"
        return operation_id

    def get_tags(self):
        return ["RootFi V4"]

    def _map_basic_serializer(self, serializer, direction):
        """A write refuses unknown fields (StrictSerializer): the schema says so, and lists
        the service-owned fields it accepts and ignores (a client may send back what it
        read)."""
        schema = super()._map_basic_serializer(serializer, direction)
        if isinstance(serializer, StrictSerializer):
            schema["additionalProperties"] = False
            for name in sorted(serializer.IGNORED - set(schema.get("properties", {}))):
                schema.setdefault("properties", {})[name] = {
                    "description": "Owned by the service: accepted and ignored."
                }
        return schema
