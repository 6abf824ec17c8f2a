"""One id per request, one log line per request, one observation per request.

The request id is set here, before any door runs, and every door reads it
(`request.request_id`): the id in an error body, the `X-Request-ID` header and the log line
are the same. An incoming `X-Request-ID` that is a UUID (a proxy's) is kept; anything else
is replaced, so a client cannot inject text into the logs."""

import logging
import time
import uuid
from contextlib import ExitStack

from django.conf import settings
from django.db import connections

from . import metrics
from .doors import door_of, route_of

logger = logging.getLogger("inventory.request")


def new_request_id(incoming: str | None) -> str:
    if incoming:
        try:
            return str(uuid.UUID(incoming.strip()))
        except ValueError:
            pass
    return str(uuid.uuid4())


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def company_of(request) -> int | None:
    """The company the request acted for, from what authentication already loaded (never
    a query of its own: the admin's lazy user is read only if it was already loaded, so a
    database outage cannot turn the log line into a 500)."""
    user = request.__dict__.get("user")
    if user is not None and hasattr(user, "_wrapped"):  # Django's SimpleLazyObject
        from django.utils.functional import empty

        user = None if user._wrapped is empty else user._wrapped
    api_key = getattr(user, "api_key", None) if user is not None else None
    if api_key is not None:
        return api_key.company_id
    ids = getattr(request, "_admin_company_ids", None)  # the admin's cache of the staff's
    if ids and len(ids) == 1:
        return ids[0]
    return None


class RequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = new_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        counter = _QueryCounter()
        started = time.perf_counter()
        with ExitStack() as stack:
            for alias in settings.DATABASES:
                stack.enter_context(connections[alias].execute_wrapper(counter))
            response = self.get_response(request)
        seconds = time.perf_counter() - started
        response["X-Request-ID"] = request.request_id
        door = door_of(request)
        metrics.observe_request(
            door=door, method=request.method, status=response.status_code, seconds=seconds
        )
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request.request_id,
                "company": company_of(request),
                "door": door,
                "method": request.method,
                "path": route_of(request),
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "queries": counter.count,
            },
        )
        return response
