"""The one base of every door's views: what the doors share, never their words.

A door's view says which door it is and how it speaks (its `Dialect`: the name the ledger
and the Idempotency-Key table know it by, and the exception handler that renders every
refusal in its error shape). The base gives every door the same request id (the one the
request middleware logged), body limits once the key is judged, the company of the key,
Idempotency-Key around a write, and Django's and the database's refusals as DRF's, so that
a dialect's handler renders DRF's exceptions and its own, nothing else."""

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import Http404, HttpResponse
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from apps.tenancy.auth import HasApiKey
from apps.tenancy.models import Company

from .common import (
    DatabaseUnavailable,
    RequestTooLarge,
    enforce_body_limit,
    idempotent_response,
    is_outage,
)
from .parsers import SafeJSONParser


class ValueOutOfRange(exceptions.APIException):
    """A figure beyond what a database column holds (a sum of large changes): the client's
    input, so a 400, never a 500."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "A value in the request is out of range."
    default_code = "out_of_range"


def as_api_exception(exc: BaseException) -> BaseException:
    """Django's and the database's refusals as the DRF exception each door renders."""
    if is_outage(exc):
        return DatabaseUnavailable()
    if isinstance(exc, DataError):
        return ValueOutOfRange()
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    return exc


def refusal_headers(exc: BaseException) -> dict[str, str]:
    """WWW-Authenticate of a 401 (never a bare 401) and Retry-After of a 429 or 503."""
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    wait = getattr(exc, "wait", None)
    if wait is not None:
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return headers


def validation_errors(detail, path: str = ""):
    """DRF's nested validation detail as (field path, message, code), one per message, with
    paths such as `data[0].addresses[1].country` or `changes[1].change` ("" for the body as
    a whole); each door names them in its own shape."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key == "non_field_errors":
                name = path
            elif isinstance(key, int):  # a list's errors by index
                name = f"{path}[{key}]"
            elif path:
                name = f"{path}.{key}"
            else:
                name = str(key)
            yield from validation_errors(value, name)
    elif isinstance(detail, list):
        if all(not isinstance(entry, dict | list) for entry in detail):
            for entry in detail:
                yield path, str(entry), getattr(entry, "code", "invalid")
        else:
            for index, entry in enumerate(detail):
                if entry:
                    yield from validation_errors(entry, f"{path}[{index}]")
    else:
        yield path, str(detail), getattr(detail, "code", "invalid")


def request_id_of(request) -> str:
    """The request's id: the one the request middleware gave it (apps.ops), so the body,
    the X-Request-ID header and the log line agree."""
    rid = getattr(request, "request_id", None) if request is not None else None
    return rid or str(uuid.uuid4())


@dataclass(frozen=True)
class Dialect:
    """How one door speaks: `door` (apps.inventory.models.Door) names it in the ledger and
    the Idempotency-Key table; `exception_handler(exc, context)` renders every refusal in
    its error shape; `not_found(request)` is the refusal of a path it does not have."""

    door: str
    exception_handler: Callable[[Exception, dict], Any]
    not_found: Callable[[Any], Exception]


class DoorView(APIView):
    """The base of every door's views. A door sets `dialect` and its authentication."""

    dialect: Dialect
    permission_classes = [HasApiKey]
    parser_classes = [SafeJSONParser]
    renderer_classes = [JSONRenderer]

    def get_exception_handler(self):
        return self.dialect.exception_handler

    def initial(self, request, *args, **kwargs):
        request.request_id = request_id_of(request._request)
        super().initial(request, *args, **kwargs)
        # The key first (401, 403, 429), then the body: a client without a valid key is
        # told that, whatever it sent.
        enforce_body_limit(request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["X-Request-ID"] = request_id_of(request)
        return response

    @property
    def company(self) -> Company:
        return self.request.user.company

    @property
    def actor(self):
        return self.request.auth  # the ApiKey

    def write(self, handler, *, data=None, path: str | None = None) -> HttpResponse:
        """Run `handler` (returning status and data) once per Idempotency-Key, in one
        transaction; a replay answers the stored bytes. `data` is what the request is
        judged by (default: its body); `path` names an endpoint that has several spellings."""
        return idempotent_response(
            self.request,
            company=self.company,
            door=self.dialect.door,
            data=self.request.data if data is None else data,
            handler=handler,
            path=path,
        )


class UnknownEndpointView(DoorView):
    """Any other path under a door's prefix, with any method: the door's 404, before
    anything else is read."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = []
    schema = None

    def initial(self, request, *args, **kwargs):
        request.request_id = request_id_of(request._request)
        raise self.dialect.not_found(request)
