"""OpenAPI pieces of the V4 door (drf-spectacular): list parameters, error and page shapes,
and a hook that keeps one path per endpoint (the trailing-slash twins are left out)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from apps.catalog.models import Item
from apps.inventory.models import Status

from .filters import DATE_FIELDS, DATE_OPS
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, SORTABLE
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

# What a list can answer besides its page.
LIST_ERRORS = {
    400: _error("Unknown, empty or repeated parameter, or a bad value (the parameter named)"),
    401: ERRORS[401],
    429: _error("Rate limit reached (Retry-After says when to retry)"),
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


def _comma_list(values, **extra) -> dict:
    return {"type": "array", "items": {"type": "string", "enum": list(values)}, **extra}


def expand_parameter(allowed):
    # An empty entry (`expand=`, `expand=item,`) expands nothing more: clients that build the
    # parameter from an empty list send it, and are answered as without it.
    return OpenApiParameter(
        "expand",
        _comma_list([*allowed, ""]),
        style="form",
        explode=False,
        description=f"Comma list of: {', '.join(allowed)} (an empty entry expands nothing)",
    )


def _q(name, kind=OpenApiTypes.STR, description="", **options):
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, **options)


# Every value a list parameter takes is non-empty: an empty one is refused (400), never
# read as "no filter".
TEXT = {"type": "string", "minLength": 1, "pattern": r"^[^\x00]*\S[^\x00]*$"}
ROW_IDS = {"type": "string", "pattern": r"^\s*[0-9]{1,18}\s*(,\s*[0-9]{1,18}\s*)*,?\s*$"}
COMPANY_ID = {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}
FLAG = {"type": "string", "enum": ["true", "false", "1", "0", "True", "False"]}
TIME = {"type": "string", "format": "date-time"}


def _time_filters():
    return [
        _q(
            f"{field}[{op}]",
            TIME,
            f"{field} {op} (ISO 8601; a date, or a time to the second or millisecond, means "
            "that whole day, second or millisecond)",
        )
        for field in DATE_FIELDS
        for op in DATE_OPS
    ]


def _identity_filters():
    return [
        _q("rootfi_id", ROW_IDS, "A rootfi_id or a comma list of them"),
        _q("platform_id", TEXT, "A platform_id or a comma list of them"),
        _q(
            "rootfi_company_id",
            COMPANY_ID,
            "The key's company lists as usual; any other company lists nothing",
        ),
        _q("rootfi_company_id[eq]", COMPANY_ID, "The same as rootfi_company_id"),
        *_time_filters(),
    ]


def _enum_list(name, values, description):
    return _q(name, _comma_list(values, minItems=1), description, style="form", explode=False)


INVENTORY_FILTERS = [
    *_identity_filters(),
    _q("item_id", TEXT, "The item's platform_id or rootfi_id (or a comma list)"),
    _q("variant_id", TEXT, "The variant's platform_id or rootfi_id (or a comma list)"),
    _q("sku", TEXT, "A SKU or a comma list of SKUs"),
    _enum_list("status", Status.values, "Comma list of statuses"),
    _q("is_trackable", FLAG),
]
ITEM_FILTERS = [
    *_identity_filters(),
    _q("sku", TEXT, "A SKU or a comma list of SKUs"),
    _enum_list("status", Item.Status.values, "Comma list of statuses (either case)"),
    _enum_list("type", Item.Type.values, "Comma list of item types (either case)"),
]
# One sort column at a time: one deepObject parameter, `sort[rootfi_updated_at]=DESC`.
SORT = {
    "type": "object",
    "properties": {
        column: {"type": "string", "enum": ["ASC", "DESC", "asc", "desc"]} for column in SORTABLE
    },
    "additionalProperties": False,
    "maxProperties": 1,
}


def list_parameters(expansions, filters, fields):
    return [
        expand_parameter(expansions),
        _q(
            "limit",
            {"type": "integer", "minimum": 1},
            f"Page size (default {DEFAULT_LIMIT}; more than {MAX_LIMIT} answers {MAX_LIMIT})",
        ),
        _q("next", OpenApiTypes.STR, "Cursor from the previous page's `next`"),
        _q("prev", OpenApiTypes.STR, "Cursor from the page's `prev`"),
        _q("return_count", FLAG, "Add total_count"),
        _q("include_deleted_records", FLAG, "List soft-deleted objects too"),
        _q(
            "sort",
            SORT,
            "sort[rootfi_created_at] or sort[rootfi_updated_at], ASC or DESC (default: "
            "rootfi_id ascending)",
            style="deepObject",
            explode=True,
        ),
        _enum_list(
            "select",
            [*fields, *expansions],
            "Answer only these fields (and rootfi_id); an expansion only when expanded",
        ),
        *filters,
    ]


API_VERSION = OpenApiParameter(
    "x-rootfi-api-version",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Sent by RootFi's published clients on every call; accepted, whatever its value.",
)


class RootFiAutoSchema(AutoSchema):
    """Operation ids that tell a list (`..._list`) from a read of one object."""

    def get_operation_id(self):
        operation_id = super().get_operation_id()
        if self.method == "GET" and "{" not in self.path and operation_id.endswith("_retrieve"):
            return operation_id.removesuffix("_retrieve") + "_list"
        return operation_id

    def get_tags(self):
        return ["RootFi V4"]

    def get_override_parameters(self):
        return [*super().get_override_parameters(), API_VERSION]

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
