"""The native API's base view: Bearer keys (read-only keys read), problem details for every
refusal, a request id, an empty POST body read as `{}`, Idempotency-Key on every write,
ETags on objects and `If-Match` on state-changing POSTs."""

import hashlib
import json

from rest_framework.response import Response

from apps.api.base import Dialect, DoorView, UnknownEndpointView
from apps.api.common import enforce_object_limit
from apps.inventory.errors import StockError
from apps.inventory.models import Door

from .auth import NativeAuthentication
from .problems import Problem, exception_handler, field_error, precondition_failed


def etag_of(data: dict) -> str:
    """A strong ETag of an object's representation: it changes exactly when the object
    (its status, figures or lines) does, and a replayed answer carries the same tag."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return f'"{hashlib.sha256(canonical.encode()).hexdigest()[:32]}"'


NATIVE = Dialect(
    door=Door.NATIVE,
    exception_handler=exception_handler,
    not_found=lambda request: Problem(
        f"No endpoint {request.path}.", status_code=404, code="not-found"
    ),
)


class NativeView(DoorView):
    dialect = NATIVE
    authentication_classes = [NativeAuthentication]

    # The problem field of an engine refusal about change `index` (the services keep one
    # change per line, so the index is the line's); problems.exception_handler asks.
    stock_field = "lines[{index}].quantity"

    def stock_error_field(self, exc: StockError) -> str | None:
        if exc.index is None:
            return None
        return self.stock_field.format(index=exc.index)

    # --- reading -------------------------------------------------------------------------

    def body(self) -> dict:
        """The JSON object sent; an empty body (with or without Content-Type) is `{}`."""
        data = self.request.data
        if not isinstance(data, dict):
            raise Problem("The body must be a JSON object.", errors=[field_error("body", "")])
        return data

    def parse(self, serializer_class, data: dict | None = None, **context) -> dict:
        data = self.body() if data is None else data
        lines = data.get("lines")
        if isinstance(lines, list):
            enforce_object_limit(len(lines))
        serializer = serializer_class(data=data, context={"view": self, **context})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    # --- answering -----------------------------------------------------------------------

    @staticmethod
    def object_response(data: dict, status: int = 200) -> Response:
        return Response(data, status=status, headers={"ETag": etag_of(data)})

    def write(self, handler, **options):
        """DoorView.write; an object answered carries its ETag (a replay too)."""
        response = super().write(handler, **options)
        if response.status_code < 300 and response.content:
            body = json.loads(response.content)
            if isinstance(body, dict) and "id" in body:
                response["ETag"] = etag_of(body)
        return response

    def precondition(self, render):
        """A check for the services to run on the locked object before changing it: 412
        when the request's `If-Match` names none of the object's current ETags."""
        header = self.request.headers.get("If-Match")
        if not header:
            return None
        tags = {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}

        def check(obj) -> None:
            current = etag_of(render(obj))
            if "*" not in tags and current not in tags:
                raise precondition_failed(current)

        return check


class NotFoundView(UnknownEndpointView):
    """Anything else under /api/v1/, with any method: 404 as problem details."""

    dialect = NATIVE
