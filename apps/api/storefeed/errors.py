"""The store feed's one error shape: `{"error": "<message>"}` and nothing else.

Run Free Project's "Inventory Update API" shows only `{"error": "Missing required field: sku"}`;
every refusal of this door (auth, parsing, lookup, stock rules) is rendered here."""

from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.api.base import as_api_exception, refusal_headers
from apps.api.parsers import InvalidText
from apps.inventory.errors import (
    IdempotencyConflict,
    InsufficientStock,
    InvalidMovement,
    InvalidSetting,
    ProductNotTracked,
    ReservedAboveQuantity,
    StockError,
    UnknownLocation,
)


class FeedError(Exception):
    """A refusal in the feed's words, with its status code."""

    def __init__(self, status_code: int, message: str):
        super().__init__(message)
        self.status_code = status_code
        self.message = message

    def at(self, index: int) -> "FeedError":
        """The same refusal for element `index` of a list body."""
        return FeedError(self.status_code, f"items[{index}]: {self.message}")


def bad_request(message: str) -> FeedError:
    return FeedError(status.HTTP_400_BAD_REQUEST, message)


def not_found(message: str) -> FeedError:
    return FeedError(status.HTTP_404_NOT_FOUND, message)


def conflict(message: str) -> FeedError:
    return FeedError(status.HTTP_409_CONFLICT, message)


# An untracked product is a conflict with the product's state (the feed documents 400, 401,
# 404 and 409 only), so it is 409 here rather than Zettle's 422.
STOCK_ERROR_STATUS = {
    InsufficientStock: status.HTTP_409_CONFLICT,
    ReservedAboveQuantity: status.HTTP_409_CONFLICT,
    ProductNotTracked: status.HTTP_409_CONFLICT,
    IdempotencyConflict: status.HTTP_409_CONFLICT,
    UnknownLocation: status.HTTP_404_NOT_FOUND,
    InvalidMovement: status.HTTP_400_BAD_REQUEST,
    InvalidSetting: status.HTTP_400_BAD_REQUEST,
}


def error_response(status_code: int, message: str, headers=None) -> Response:
    return Response({"error": message}, status=status_code, headers=headers)


def exception_handler(exc, context):
    """DRF exception handler of every store-feed view."""
    if isinstance(exc, FeedError):
        return error_response(exc.status_code, exc.message)
    if isinstance(exc, InvalidText):
        return error_response(status.HTTP_400_BAD_REQUEST, f"Invalid {exc.field}: {exc.message}")
    exc = as_api_exception(exc)
    if isinstance(exc, StockError):
        code = STOCK_ERROR_STATUS.get(type(exc), status.HTTP_400_BAD_REQUEST)
        return error_response(code, exc.message)
    if isinstance(exc, exceptions.APIException):
        if isinstance(exc, exceptions.ParseError):
            message = "Malformed JSON: " + str(exc.detail).removeprefix("JSON parse error - ")
        else:
            message = _text(exc.detail)
        return error_response(exc.status_code, message, headers=refusal_headers(exc))
    return None


def _text(detail) -> str:
    """One line of text from a DRF error detail (a string, list or dict)."""
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_text(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return "; ".join(_text(value) for value in detail)
    return str(detail)
