"""How native endpoints appear in /openapi.json: tag `native`, the problem-details error
body, Idempotency-Key and If-Match headers, list parameters."""

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

from .lines import ITEM_KEYS

TAG = "native"


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details (`application/problem+json`); a stock refusal adds its
    figures (`requested`, `available`, ...)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = FieldErrorSerializer(many=True)
    request_id = serializers.CharField()


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="A retry with the same key answers the first answer and changes nothing; "
    "the same key with another body is 409.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="The object's ETag as last read: applied only if unchanged since, else 412.",
)
LIST_PARAMETERS = [
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1},
        description="Page size: default 50; more than 500 is 500.",
    ),
    OpenApiParameter("cursor", str, description="The `next` of the previous page."),
]


def status_filter(statuses) -> OpenApiParameter:
    # An empty entry (`status=`, `status=open,`) filters on nothing, as pagination reads it.
    return OpenApiParameter(
        "status",
        {"type": "array", "items": {"type": "string", "enum": [*statuses, ""]}},
        style="form",
        explode=False,
        description="Only objects in these statuses (a comma list).",
    )


PROBLEMS = {
    400: "Malformed input; `errors[].field` names the field (`lines[2].quantity`).",
    401: "Missing or unknown API key.",
    403: "Read-only API key.",
    404: "Unknown object (or another company's).",
    409: "The object's state or the stock refuses the change (with its figures).",
    412: "If-Match does not match the object's ETag.",
}


def _problems(codes):
    return {
        (code, "application/problem+json"): OpenApiResponse(ProblemSerializer, PROBLEMS[code])
        for code in codes
    }


def documented(
    operation_id: str,
    *,
    request=None,
    code: int = 200,
    idempotent: bool = False,
    if_match: bool = False,
    list_of: str | None = None,
    statuses=(),
    parameters=(),
    description: str = "",
):
    params = list(parameters)
    if list_of:
        params += LIST_PARAMETERS
    if statuses:
        params.append(status_filter(statuses))
    if idempotent:
        params.append(IDEMPOTENCY_KEY)
    if if_match:
        params.append(IF_MATCH)
    writing = request is not None or idempotent
    codes = [400, 401, 404] if not list_of else [400, 401]
    if writing:
        codes += [403, 409]
    if if_match:
        codes.append(412)
    return extend_schema(
        operation_id=operation_id,
        tags=[TAG],
        request=request,
        parameters=params,
        description=description or None,
        responses={
            code: OpenApiResponse(
                OpenApiTypes.OBJECT,
                f'{{"results": [...], "next"}} of {list_of} objects' if list_of else "",
            ),
            **_problems(sorted(set(codes))),
        },
    )


class ItemLineScheme(OpenApiSerializerExtension):
    """A line names its item by exactly one of `sku`, `upc`, `variant`
    (ItemLineSerializer.validate), which the fields alone do not say."""

    target_class = "apps.api.native.lines.ItemLineSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema["oneOf"] = [{"required": [key]} for key in ITEM_KEYS]
        return schema
