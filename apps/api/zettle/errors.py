"""Zettle's error body, in one place.

Every refusal of this dialect answers
`{"developerMessage", "errorType", "violations": [{"propertyName", "developerMessage",
"constraintType"}]}`: the door's own refusals (ZettleError), DRF's (auth, parsing, methods,
serializer validation) and the domain's (apps.inventory.errors)."""

from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.api.base import ValueOutOfRange, as_api_exception, refusal_headers, validation_errors
from apps.api.common import RequestTooLarge, TooManyObjects
from apps.inventory import errors as stock

VALIDATION_ERROR = "VALIDATION_ERROR"
ENTITY_NOT_FOUND = "ENTITY_NOT_FOUND"

# Domain refusal -> (status, errorType).
STOCK_ERRORS = (
    (stock.InsufficientStock, status.HTTP_409_CONFLICT, "INSUFFICIENT_STOCK"),
    (stock.ReservedAboveQuantity, status.HTTP_409_CONFLICT, "INSUFFICIENT_STOCK"),
    (stock.IdempotencyConflict, status.HTTP_409_CONFLICT, "IDEMPOTENCY_CONFLICT"),
    (stock.ProductNotTracked, status.HTTP_422_UNPROCESSABLE_ENTITY, "PRODUCT_NOT_TRACKED"),
    (stock.UnknownLocation, status.HTTP_404_NOT_FOUND, ENTITY_NOT_FOUND),
    (stock.InvalidMovement, status.HTTP_400_BAD_REQUEST, VALIDATION_ERROR),
    (stock.InvalidSetting, status.HTTP_400_BAD_REQUEST, VALIDATION_ERROR),
    (stock.StockError, status.HTTP_400_BAD_REQUEST, VALIDATION_ERROR),
)
# The service's field names, in this dialect's words.
PROPERTY_NAMES = {
    "reorder_level": "lowStockLevel",
    "low_stock_alert": "lowStockAlert",
    "change": "change",
    "Idempotency-Key": "Idempotency-Key",
}
# DRF's validation codes as constraint types.
CONSTRAINT_TYPES = {
    "required": "NOT_NULL",
    "null": "NOT_NULL",
    "blank": "NOT_EMPTY",
    "empty": "NOT_EMPTY",
    "min_length": "SIZE",
    "max_length": "SIZE",
    "min_value": "MIN",
    "max_value": "MAX",
    "invalid_choice": "INVALID_VALUE",
}


def violation(property_name: str, message: str, constraint_type: str = "INVALID") -> dict:
    return {
        "propertyName": property_name,
        "developerMessage": message,
        "constraintType": constraint_type,
    }


class ZettleError(exceptions.APIException):
    """A refusal in Zettle's words, raised by this door's own code."""

    status_code = status.HTTP_400_BAD_REQUEST
    error_type = VALIDATION_ERROR

    def __init__(self, message: str, *, status_code=None, error_type=None, violations=()):
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code
        if error_type is not None:
            self.error_type = error_type
        self.violations = list(violations)


def invalid(property_name: str, message: str, constraint_type: str = "INVALID") -> ZettleError:
    return ZettleError(message, violations=[violation(property_name, message, constraint_type)])


def not_found(what: str, value, property_name: str | None = None) -> ZettleError:
    message = f"{what} {value} not found."
    return ZettleError(
        message,
        status_code=status.HTTP_404_NOT_FOUND,
        error_type=ENTITY_NOT_FOUND,
        violations=[violation(property_name, message, "ENTITY_NOT_FOUND")] if property_name else (),
    )


def body(message: str, error_type: str, violations=()) -> dict:
    return {"developerMessage": message, "errorType": error_type, "violations": list(violations)}


def _validation_violations(detail) -> list[dict]:
    return [
        violation(name, message, CONSTRAINT_TYPES.get(code, str(code).upper()))
        for name, message, code in validation_errors(detail)
    ]


def _stock_response(exc: stock.StockError) -> Response:
    code, error_type = next((c, t) for cls, c, t in STOCK_ERRORS if isinstance(exc, cls))
    name = getattr(exc, "zettle_property", None) or PROPERTY_NAMES.get(exc.field or "")
    violations = [violation(name, exc.message, error_type)] if name else []
    return Response(body(exc.message, error_type, violations), status=code)


def exception_handler(exc, context):
    """Zettle's body for every refusal; anything else is a server fault and propagates."""
    if isinstance(exc, stock.StockError):
        return _stock_response(exc)
    exc = as_api_exception(exc)
    if isinstance(exc, ZettleError):
        return Response(body(exc.message, exc.error_type, exc.violations), status=exc.status_code)
    if not isinstance(exc, exceptions.APIException):
        return None

    if isinstance(exc, exceptions.ValidationError):
        data = body("Validation failed.", VALIDATION_ERROR, _validation_violations(exc.detail))
    elif isinstance(exc, exceptions.ParseError):
        data = body(f"Malformed request body: {exc.detail}", VALIDATION_ERROR)
    elif isinstance(exc, TooManyObjects | ValueOutOfRange):
        data = body(str(exc.detail), VALIDATION_ERROR)
    elif isinstance(exc, RequestTooLarge):
        data = body(str(exc.detail), "PAYLOAD_TOO_LARGE")
    elif isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        data = body(str(exc.detail), "UNAUTHORIZED")
    elif isinstance(exc, exceptions.PermissionDenied):
        data = body(str(exc.detail), "FORBIDDEN")
    elif isinstance(exc, exceptions.NotFound):
        data = body(str(exc.detail), ENTITY_NOT_FOUND)
    elif isinstance(exc, exceptions.MethodNotAllowed):
        data = body(str(exc.detail), "METHOD_NOT_ALLOWED")
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        data = body(str(exc.detail), "UNSUPPORTED_MEDIA_TYPE")
    else:
        data = body(str(exc.detail), str(exc.default_code).upper())
    return Response(data, status=exc.status_code, headers=refusal_headers(exc))
