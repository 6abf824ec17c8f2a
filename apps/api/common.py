"""What every dialect shares (never dialect words): body limits and Idempotency-Key."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from rest_framework import status
from rest_framework.exceptions import APIException, UnsupportedMediaType, ValidationError

from apps.inventory.idempotency import HEADER, request_fingerprint, run_idempotent


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body is larger than 5 MB."
    default_code = "REQUEST_TOO_LARGE"


class TooManyObjects(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "TOO_MANY_OBJECTS"

    def __init__(self, count: int):
        super().__init__(
            f"At most {settings.MAX_OBJECTS_PER_REQUEST} objects per request; got {count}."
        )


class LengthRequired(APIException):
    status_code = status.HTTP_411_LENGTH_REQUIRED
    default_detail = (
        "A chunked body cannot be read by this server; send the body with a Content-Length."
    )
    default_code = "LENGTH_REQUIRED"


# Seconds a client should wait before retrying while the database is unreachable: a restart
# or a failover takes a few seconds.
OUTAGE_RETRY_AFTER = 5


class DatabaseUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service cannot reach its database; retry shortly."
    default_code = "SERVICE_UNAVAILABLE"
    wait = OUTAGE_RETRY_AFTER  # every door renders `wait` as Retry-After


def is_outage(exc: BaseException) -> bool:
    """The database is unreachable or the connection broke (not the client's input):
    503 with Retry-After, never a 500."""
    return isinstance(exc, OperationalError | InterfaceError)


def enforce_body_limit(request) -> None:
    """413 before the body is read when it is declared (or turns out) above the limit; 411
    for a chunked body the server could not read (gunicorn's are read by
    inventory_site.middleware.ChunkedBodyMiddleware); 415 for a body that is not JSON."""
    raw = request.META.get("CONTENT_LENGTH") or ""
    declared = int(raw) if raw.isascii() and raw.isdigit() else 0
    if declared > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        raise RequestTooLarge()
    if not raw and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        raise LengthRequired()
    media = (request.META.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    if declared and not (media == "application/json" or media.endswith("+json")):
        # Also where a door does not read the body (a DELETE): a body in another type is
        # a client's mistake, not something to ignore.
        raise UnsupportedMediaType(media, f'A body must be application/json, not "{media}".')


def enforce_object_limit(count: int) -> None:
    if count > settings.MAX_OBJECTS_PER_REQUEST:
        raise TooManyObjects(count)


MAX_IDEMPOTENCY_KEY = 255  # IdempotencyKey.key is a varchar(255)


def idempotency_key(request) -> str | None:
    """The request's Idempotency-Key; one too long or with control characters is the
    client's mistake (400 in the door's shape), not a database error."""
    key = request.META.get(HEADER, "").strip()
    if len(key) > MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise ValidationError(
            {"Idempotency-Key": [f"At most {MAX_IDEMPOTENCY_KEY} printable characters."]}
        )
    return key or None


def idempotent_response(
    request,
    *,
    company,
    door: str,
    data: Any,
    handler: Callable[[], tuple[int, Any]],
    path: str | None = None,
) -> HttpResponse:
    """Run the write `handler` under the request's Idempotency-Key (if any) and answer with
    the stored bytes; a replay carries `Idempotent-Replayed: true`. Domain errors raised by
    the handler propagate (the door's exception handler renders them) with nothing written.
    `path` names the endpoint when it has several spellings (Zettle's `self` and the
    organization's UUID)."""
    answer = run_idempotent(
        company=company,
        door=door,
        key=idempotency_key(request),
        fingerprint=request_fingerprint(request.method, (path or request.path).rstrip("/"), data),
        handler=handler,
    )
    response = HttpResponse(answer.body, status=answer.status, content_type="application/json")
    if not answer.body:
        del response["Content-Type"]  # a 204 carries no body, so no type either
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return response
