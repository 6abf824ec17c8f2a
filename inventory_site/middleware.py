"""Site-wide request plumbing no door should repeat: chunked bodies, database outages, the
client's address."""

import io
import logging

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpResponse

from apps.api.common import OUTAGE_RETRY_AFTER, is_outage

logger = logging.getLogger(__name__)

DRAIN_CAP = 64 * 1024 * 1024  # beyond this, the connection is the client's problem


def client_address(request) -> str:
    """The client's address for the login throttle: behind the TLS proxy, the address the
    proxy appended last to X-Forwarded-For (earlier entries are the client's own claims);
    else the socket's peer."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


class ChunkedBodyMiddleware:
    """Django reads no body without a Content-Length, so a chunked upload arrived empty (and
    was taken for a request without fields). When the server has de-chunked the stream and
    marks its end (gunicorn's `wsgi.input_terminated`), read it here, at most one byte past
    the limit, and give the request the length it had: the doors then read it as any other
    and refuse one over the limit with their own 413. A server that cannot mark the end
    leaves the request to the doors' 411."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        environ = request.META
        if (
            not environ.get("CONTENT_LENGTH")
            and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
            and environ.get("wsgi.input_terminated")
        ):
            stream = environ["wsgi.input"]
            body = stream.read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
            if len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                self.drain(stream)
            environ["CONTENT_LENGTH"] = str(len(body))
            request._stream = LimitedStream(io.BytesIO(body), len(body))
        return self.get_response(request)

    @staticmethod
    def drain(stream, cap: int = DRAIN_CAP) -> None:
        """Read (and drop) the rest of an oversized body, so that the client, still sending,
        gets the 413 instead of a stalled or reset connection."""
        while cap > 0:
            chunk = stream.read(64 * 1024)
            if not chunk:
                return
            cap -= len(chunk)


class DatabaseOutageMiddleware:
    """While the database is unreachable, pages outside the API doors (the admin, the
    schema) answer a plain 503 with Retry-After instead of "Server Error (500)"; the doors
    answer theirs in their own shapes (their exception handlers). Nothing to reset when the
    database returns: Django's health checks reconnect on the next request."""

    PAGE = (
        "<!doctype html><title>Service unavailable</title>"
        "<h1>Service unavailable</h1>"
        "<p>The inventory service cannot reach its database. Nothing you sent was lost or "
        "half-applied; try again in a few seconds.</p>"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        logger.warning("Database unavailable on %s %s: %s", request.method, request.path, exception)
        response = HttpResponse(self.PAGE, status=503, content_type="text/html; charset=utf-8")
        response["Retry-After"] = str(OUTAGE_RETRY_AFTER)
        return response


def server_error(request):
    """handler500: an outage that surfaced outside a view (a session saved as the answer
    leaves, a middleware's own query) is the same plain 503 as one inside it."""
    import sys

    from django.views.defaults import server_error as django_server_error

    exception = sys.exc_info()[1]
    if exception is not None and is_outage(exception):
        return DatabaseOutageMiddleware(None).process_exception(request, exception)
    return django_server_error(request)
