"""Run Free Project's "Inventory Update API": `POST /api/product/inventory`."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from apps.api.common import enforce_body_limit, idempotency_key, idempotent_response
from apps.api.parsers import SafeJSONParser
from apps.inventory.models import Door
from apps.tenancy.auth import HasApiKey

from . import serializers
from .auth import StoreFeedAuthentication
from .errors import exception_handler
from .feed import update_counts
from .parsing import read_body


class StoreFeedView(APIView):
    """Base of every store-feed view: Bearer key, write scope for writes, `{"error": ...}`."""

    authentication_classes = [StoreFeedAuthentication]
    permission_classes = [HasApiKey]
    parser_classes = [SafeJSONParser]

    def get_exception_handler(self):
        return exception_handler


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(serializers.StoreFeedErrorSerializer, description=description)


class InventoryUpdateView(StoreFeedView):
    @extend_schema(
        operation_id="storefeed_update_inventory",
        summary="Set shelf counts by UPC, or by SKU, size and width",
        description=(
            "Sets the on-hand count of a product at a store (`store` is the store's code). "
            "A JSON list of such objects is one transaction: all are applied or none, and the "
            "first failure's index leads the error message (`items[3]: ...`)."
        ),
        tags=["store feed"],
        request=serializers.REQUEST,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="A repeat with the same key answers the first answer and writes "
                "nothing; the same key with another body is 409.",
            )
        ],
        responses={
            200: serializers.ANSWER,
            400: _error("Missing field, bad quantity or malformed body."),
            401: _error("Missing or unknown API key."),
            403: _error("Read-only API key."),
            404: _error("Unknown product or store."),
            409: _error(
                "Several products match, the count would go below the reserved units, the "
                "product's stock is not tracked, or the Idempotency-Key was used for another body."
            ),
            413: _error("Body larger than 5 MB."),
        },
        examples=serializers.EXAMPLES,
    )
    def post(self, request):
        enforce_body_limit(request)
        idempotency_key(request)  # a malformed key is refused before the body is read
        entries, listed = read_body(request.data)
        company = request.user.company
        return idempotent_response(
            request,
            company=company,
            door=Door.STOREFEED,
            data=request.data,
            handler=lambda: (
                200,
                update_counts(company=company, entries=entries, listed=listed, actor=request.auth),
            ),
        )


class InventoryUpdateSlashView(InventoryUpdateView):
    """The same endpoint with a trailing slash, documented once (without it)."""

    schema = None


class UnknownEndpointView(StoreFeedView):
    """Any other path under /api/, with any method: 404 in the feed's shape."""

    authentication_classes = []
    permission_classes = []
    schema = None

    def initial(self, request, *args, **kwargs):
        raise NotFound(f"Not found: {request.path}")
