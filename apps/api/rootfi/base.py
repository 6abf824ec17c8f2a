"""The V4 door's base view: RootFi's `api_key` authentication, its error shape, its write
envelopes (`{"data": [...]}` or a bare object), If-Match and Idempotency-Key."""

import json
from contextlib import contextmanager

from rest_framework import serializers

from apps.api.base import Dialect, DoorView, UnknownEndpointView
from apps.api.common import enforce_object_limit
from apps.catalog.services import CatalogError
from apps.inventory.errors import StockError
from apps.inventory.models import Door
from apps.tenancy.auth import ApiKeyHeaderAuthentication

from .errors import (
    InvalidRequest,
    ObjectNotFound,
    PreconditionFailed,
    RootFiError,
    exception_handler,
)
from .pagination import parse_flag
from .schema import RootFiAutoSchema
from .throttling import ApiKeyRateThrottle


def _no_endpoint(request) -> RootFiError:
    return ObjectNotFound(f"No such endpoint: {request.method} {request.path}.")


ROOTFI = Dialect(door=Door.ROOTFI, exception_handler=exception_handler, not_found=_no_endpoint)


class RootFiView(DoorView):
    dialect = ROOTFI
    authentication_classes = [ApiKeyHeaderAuthentication]
    throttle_classes = [ApiKeyRateThrottle]
    schema = RootFiAutoSchema()

    # --- reading the body ---------------------------------------------------------------

    def body_objects(self, request) -> tuple[list, bool]:
        """The objects of a write and whether they came as several (`{"data": [...]}` with
        more than one, which answers `{"data": [...]}` too)."""
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not (length.isascii() and length.isdigit()) or int(length) == 0:
            # Django reads no body without a Content-Length (a chunked upload arrives empty):
            # refused rather than taken for an update of nothing.
            chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            raise InvalidRequest(
                "The request has no body; send it with a Content-Length (chunked uploads are "
                "not read)."
                if chunked
                else 'The request has no body; send a JSON object or {"data": [...]}.',
                fields={"body": "Empty."},
            )
        body = request.data
        if isinstance(body, dict) and "data" in body:
            extra = set(body) - {"data"}
            if extra:
                raise InvalidRequest(
                    'A write is {"data": [...]} or one bare object.',
                    fields={name: "Unknown field." for name in sorted(extra)},
                )
            objects = body["data"]
            if isinstance(objects, dict):
                objects = [objects]
            if not isinstance(objects, list):
                raise InvalidRequest(
                    "data must be a list of objects.", fields={"data": "Not a list."}
                )
        elif isinstance(body, dict):
            objects = [body]
        else:
            raise InvalidRequest(
                'Expected a JSON object or {"data": [...]}.', fields={"body": "Not an object."}
            )
        if not objects:
            raise InvalidRequest("No objects to write.", fields={"data": "Empty."})
        enforce_object_limit(len(objects))
        return objects, len(objects) > 1

    def validate_objects(self, serializer_class, objects: list, many: bool) -> list[dict]:
        validated = []
        for index, obj in enumerate(objects):
            with self.at(index, many):
                serializer = serializer_class(data=obj)
                serializer.is_valid(raise_exception=True)
                validated.append(serializer.validated_data)
        return validated

    @contextmanager
    def at(self, index: int, many: bool):
        """Name errors of the `index`th object `data[index].field` when several were sent."""
        try:
            yield
        except serializers.ValidationError as exc:
            if many:
                raise serializers.ValidationError({f"data[{index}]": exc.detail}) from None
            raise
        except (StockError, CatalogError) as exc:
            if many:
                exc.field = f"data[{index}].{exc.field}" if exc.field else f"data[{index}]"
            raise
        except RootFiError as exc:
            if many:
                exc.fields = {f"data[{index}].{k}": v for k, v in exc.fields.items()}
            raise

    # --- writing ------------------------------------------------------------------------

    def idempotent(self, request, handler):
        response = self.write(handler)
        if response.status_code < 300 and response.content:
            body = json.loads(response.content)
            if isinstance(body, dict) and body.get("data_hash"):
                response["ETag"] = f'"{body["data_hash"]}"'
        return response

    @staticmethod
    def check_if_match(request, current_hash: str) -> None:
        header = request.headers.get("If-Match")
        if not header:
            return
        tags = {t.strip().removeprefix("W/").strip('"') for t in header.split(",")}
        if "*" in tags or current_hash in tags:
            return
        raise PreconditionFailed(
            "The object changed since it was read (If-Match does not match its data_hash).",
            fields={"If-Match": f"Current data_hash is {current_hash}."},
        )

    @staticmethod
    def with_etag(response, body: dict):
        if body.get("data_hash"):
            response["ETag"] = f'"{body["data_hash"]}"'
        return response

    @staticmethod
    def flag(request, name: str) -> bool:
        return parse_flag(request.query_params, name)


def parse_expand(params, allowed: tuple[str, ...]) -> frozenset:
    raw = ",".join(params.getlist("expand")) if hasattr(params, "getlist") else ""
    values = {v.strip().lower() for v in raw.split(",") if v.strip()}
    unknown = values - set(allowed)
    if unknown:
        raise InvalidRequest(
            f"Cannot expand {', '.join(sorted(unknown))}; expand one of {', '.join(allowed)}.",
            fields={"expand": "Unknown expansion."},
        )
    return frozenset(values)


class NotFoundView(UnknownEndpointView):
    """Any other path under /v4/: 404 in RootFi's shape, whatever the method."""

    dialect = ROOTFI
