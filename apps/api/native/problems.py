"""RFC 9457 problem details, the native API's one error shape, and the one place every
refusal (the door's own, DRF's, the engine's, the operations') is mapped to it:

    Content-Type: application/problem+json
    {"type", "title", "status", "detail", "errors": [{"field", "message"}], "request_id"}

A stock refusal also carries its figures (`requested`, `available`, ...) as extension
members, at the top and on its `errors` entry, which names the failing line
(`lines[2].quantity`) from the engine's `.index`."""

import logging

from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.api.base import (
    ValueOutOfRange,
    as_api_exception,
    refusal_headers,
    request_id_of,
    validation_errors,
)
from apps.api.common import RequestTooLarge, TooManyObjects
from apps.inventory import errors as stock
from apps.operations.errors import OperationError

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/problems/"

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    429: "Too many requests",
}

# The engine's refusals: the client's input (400) or the stock's state (409).
STOCK_STATUS = {
    stock.UnknownLocation: 400,
    stock.InvalidSetting: 400,
    stock.LocationRequired: 400,
}


class Problem(exceptions.APIException):
    """A refusal in the native API's words. `code` becomes the problem `type`
    (`/api/v1/problems/<code>`); `errors` are `{"field", "message", ...figures}`."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(
        self,
        detail: str,
        *,
        status_code: int | None = None,
        code: str = "invalid-request",
        errors: list[dict] | None = None,
        figures: dict | None = None,
        title: str | None = None,
    ):
        super().__init__(detail)
        self.message = detail
        if status_code is not None:
            self.status_code = status_code
        self.code = code
        self.errors = list(errors or [])
        self.figures = dict(figures or {})
        self.title = title


def field_error(field: str, message: str, **figures) -> dict:
    return {"field": field, "message": message, **figures}


def invalid(field: str, message: str, **figures) -> Problem:
    """400 naming one field (`lines[2].sku`, `location`, `limit`)."""
    return Problem(
        f"Invalid {field}: {message}", errors=[field_error(field, message)], figures=figures
    )


def not_found(what: str, value=None) -> Problem:
    detail = f"{what} {value} not found." if value is not None else f"{what} not found."
    return Problem(detail, status_code=404, code="not-found")


def conflict(detail: str, *, code: str = "conflict", field: str | None = None, **figures):
    errors = [field_error(field, detail, **figures)] if field else []
    return Problem(detail, status_code=409, code=code, errors=errors, figures=figures)


def precondition_failed(current_etag: str) -> Problem:
    return Problem(
        "The object changed since it was read (If-Match does not match its ETag).",
        status_code=412,
        code="precondition-failed",
        errors=[field_error("If-Match", f"The current ETag is {current_etag}.")],
    )


def problem_body(request, status_code: int, *, code: str, detail: str, errors=(), figures=None):
    body = {
        "type": f"{TYPE_BASE}{code}",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
        "errors": list(errors),
        "request_id": request_id_of(request),
    }
    for key, value in (figures or {}).items():
        body.setdefault(key, value)
    return body


def stock_problem(exc: stock.StockError, line_field=None) -> Problem:
    """An engine refusal as a problem. `line_field(exc)` names the failing line's field from
    the error's `.index` (set by `apps.api.native.base.NativeView.engine_lines`)."""
    figures = dict(exc.figures)
    if "available" not in figures and "on_hand" in figures:
        figures["available"] = figures["on_hand"]
    field = line_field(exc) if line_field else None
    field = field or getattr(exc, "native_field", None) or exc.field
    code = exc.code.lower().replace("_", "-")
    errors = [field_error(field, exc.message, **figures)] if field else []
    return Problem(
        exc.message,
        status_code=STOCK_STATUS.get(type(exc), 409),
        code=code,
        errors=errors,
        figures=figures,
    )


def _as_problem(exc) -> Problem | None:
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, stock.StockError):
        return stock_problem(exc)
    if isinstance(exc, OperationError):
        errors = [field_error(exc.field, exc.message, **exc.figures)] if exc.field else []
        return Problem(
            exc.message, status_code=exc.status, code=exc.code, errors=errors, figures=exc.figures
        )
    if isinstance(exc, ValueOutOfRange):
        return Problem(str(exc.detail), code="out-of-range")
    if isinstance(exc, exceptions.ValidationError):
        errors = [field_error(f or "body", m) for f, m, _ in validation_errors(exc.detail)]
        first = errors[0] if errors else {"field": "body", "message": "Invalid request."}
        return Problem(f"Invalid {first['field']}: {first['message']}", errors=errors)
    if isinstance(exc, exceptions.ParseError):
        return Problem(
            f"Malformed JSON body: {exc.detail}",
            code="malformed-body",
            errors=[field_error("body", str(exc.detail))],
        )
    if isinstance(exc, TooManyObjects):
        return Problem(str(exc.detail), code="too-many-lines")
    if isinstance(exc, RequestTooLarge):
        return Problem(str(exc.detail), status_code=413, code="too-large")
    if isinstance(exc, exceptions.APIException):
        code = {
            401: "unauthorized",
            403: "forbidden",
            404: "not-found",
            405: "method-not-allowed",
            415: "unsupported-media-type",
            429: "rate-limited",
        }.get(exc.status_code, "error")
        return Problem(str(exc.detail), status_code=exc.status_code, code=code)
    return None


def exception_handler(exc, context):
    """Every refusal under /api/v1/ as problem details; anything else is a server fault. An
    engine refusal names its line's field as the view says (NativeView.stock_error_field)."""
    request = context.get("request")
    exc = as_api_exception(exc)
    if isinstance(exc, stock.StockError):
        exc = stock_problem(exc, getattr(context.get("view"), "stock_error_field", None))
    problem = _as_problem(exc)
    if problem is None:
        return None
    headers = refusal_headers(exc)
    body = problem_body(
        request,
        problem.status_code,
        code=problem.code,
        detail=problem.message,
        errors=problem.errors,
        figures=problem.figures,
    )
    if problem.title:
        body["title"] = problem.title
    response = Response(body, status=problem.status_code, headers=headers)
    response.content_type = CONTENT_TYPE
    return response
