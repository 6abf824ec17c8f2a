"""Run Free Project's "Inventory Update API": `POST /api/product/inventory`."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound

from apps.api.base import Dialect, DoorView, UnknownEndpointView
from apps.api.common import idempotency_key
from apps.inventory.models import Door

from . import serializers
from .auth import StoreFeedAuthentication
from .errors import exception_handler
from .feed import update_counts
from .parsing import read_body

STOREFEED = Dialect(
    door=Door.STOREFEED,
    exception_handler=exception_handler,
    not_found=lambda request: NotFound(f"Not found: {request.path}"),
)


class StoreFeedView(DoorView):
    """Base of every store-feed view: Bearer key, write scope for writes, `{"error": ...}`."""

    dialect = STOREFEED
    authentication_classes = [StoreFeedAuthentication]


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
        idempotency_key(request)  # a malformed key is refused before the body is read
        entries, listed = read_body(request.data)
        company = self.company
        return self.write(
            lambda: (
                200,
                update_counts(company=company, entries=entries, listed=listed, actor=self.actor),
            )
        )


class InventoryUpdateSlashView(InventoryUpdateView):
    """The same endpoint with a trailing slash, documented once (without it)."""

    schema = None


class NotFoundView(UnknownEndpointView):
    """Any other path under /api/, with any method: 404 in the feed's shape."""

    dialect = STOREFEED
