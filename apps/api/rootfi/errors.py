"""RootFi's error body, and the one place every refusal is mapped to it:
`{"error": {"code", "message", "fields"}, "request_id"}`."""

import logging

from django.db import IntegrityError
from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.api.base import as_api_exception, refusal_headers, request_id_of, validation_errors
from apps.api.common import RequestTooLarge, TooManyObjects
from apps.catalog.services import CatalogError, DuplicateValue
from apps.inventory import errors as stock

logger = logging.getLogger(__name__)


class RootFiError(exceptions.APIException):
    """A refusal in RootFi's words."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "INVALID_REQUEST"

    def __init__(self, message: str, *, fields: dict | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code


class InvalidRequest(RootFiError):
    pass


class ObjectNotFound(RootFiError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "NOT_FOUND"


class Conflict(RootFiError):
    status_code = status.HTTP_409_CONFLICT
    code = "CONFLICT"


class PreconditionFailed(RootFiError):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    code = "PRECONDITION_FAILED"


# Every refusal of the stock rules, in one table: status and whether it is the client's
# input (400) or the stock's state (409).
STOCK_ERROR_STATUS = {
    stock.InsufficientStock: 409,
    stock.ReservedAboveQuantity: 409,
    stock.ProductNotTracked: 409,
    stock.InvalidMovement: 409,
    stock.IdempotencyConflict: 409,
    stock.StockHeld: 409,
    stock.DuplicateValue: 409,
    stock.UnknownLocation: 400,
    stock.InvalidSetting: 400,
    stock.LocationRequired: 400,
}
CATALOG_ERROR_STATUS = {DuplicateValue: 409}

GENERIC_CODES = {
    400: "INVALID_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    409: "CONFLICT",
    411: "LENGTH_REQUIRED",
    412: "PRECONDITION_FAILED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
    503: "SERVICE_UNAVAILABLE",
}


def flatten_fields(detail) -> dict[str, str]:
    """DRF's nested error detail as `{"data[0].addresses[1].country": "message"}`."""
    fields: dict[str, str] = {}
    for name, message, _ in validation_errors(detail):
        name = name or "body"
        fields[name] = f"{fields[name]} {message}" if name in fields else message
    return fields


def error_body(request, code: str, message: str, fields=None, figures=None) -> dict:
    error = {"code": code, "message": message, "fields": fields or {}}
    if figures:
        error["figures"] = figures
    return {"error": error, "request_id": request_id_of(request)}


def _describe(exc) -> tuple[int, str, str, dict, dict | None, dict]:
    """(status, code, message, fields, figures, headers) of an exception, or status 0."""
    exc = as_api_exception(exc)
    if isinstance(exc, stock.StockError):
        code = STOCK_ERROR_STATUS.get(type(exc), 409)
        fields = {exc.field: exc.message} if exc.field else {}
        return code, exc.code, exc.message, fields, exc.figures or None, {}
    if isinstance(exc, CatalogError):
        code = CATALOG_ERROR_STATUS.get(type(exc), 400)
        fields = {exc.field: exc.message} if exc.field else {}
        return code, exc.code, exc.message, fields, exc.figures or None, {}
    if isinstance(exc, RootFiError):
        return exc.status_code, exc.code, exc.message, exc.fields, None, {}
    if isinstance(exc, IntegrityError):
        return 409, "CONFLICT", "The write conflicts with another object.", {}, None, {}
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten_fields(exc.detail)
        first = next(iter(fields.items()), ("body", "Invalid request."))
        message = f"Invalid value for {first[0]}: {first[1]}" if fields else "Invalid request."
        return 400, "INVALID_REQUEST", message, fields, None, {}
    if isinstance(exc, exceptions.ParseError):
        return 400, "INVALID_JSON", f"Malformed JSON body: {exc.detail}", {}, None, {}
    if isinstance(exc, RequestTooLarge | TooManyObjects):
        return exc.status_code, exc.default_code, str(exc.detail), {}, None, {}
    if isinstance(exc, exceptions.APIException):
        code = GENERIC_CODES.get(exc.status_code, "ERROR")
        return exc.status_code, code, str(exc.detail), {}, None, refusal_headers(exc)
    return 0, "", "", {}, None, {}


def exception_handler(exc, context):
    request = context.get("request")
    status_code, code, message, fields, figures, headers = _describe(exc)
    if not status_code:
        return None
    if status_code >= 500:
        logger.error("RootFi door error %s: %s", code, message)
    response = Response(
        error_body(request, code, message, fields, figures), status=status_code, headers=headers
    )
    return response
