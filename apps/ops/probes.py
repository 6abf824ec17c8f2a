"""Health, readiness and metrics, answered before any other middleware.

Load balancers and Prometheus come by address, over plain HTTP, many times a minute: these
paths skip ALLOWED_HOSTS (CommonMiddleware), the HTTPS redirect (SecurityMiddleware), the
rate limits (the doors' throttles) and the request log. /healthz never touches the database;
/readyz asks it whether every migration is applied."""

import hmac
import ipaddress
import json

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse

from . import metrics

HEALTH, READY, METRICS = "/healthz", "/readyz", "/metrics"


def _json(status: int, body: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True  # Django would log a 503 probe as an error each time
    return response


def healthz(request) -> HttpResponse:
    return _json(200, {"status": "ok"})


def readyz(request) -> HttpResponse:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        connection.close()
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return _json(503, {"status": "unavailable", "database": first_line})
    if plan:
        pending = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
        return _json(
            503, {"status": "unavailable", "database": "ok", "pending_migrations": pending}
        )
    return _json(200, {"status": "ok", "database": "ok", "migrations": "applied"})


def _allowed_networks():
    networks = []
    for entry in settings.METRICS_ALLOWED_IPS:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue
    return networks


def metrics_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token):
            return True
    if "HTTP_X_FORWARDED_FOR" in request.META:
        # Through the TLS proxy every client's address is the proxy's (often 127.0.0.1):
        # only the token lets such a request in. Prometheus scrapes gunicorn directly.
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in _allowed_networks())


def metrics_view(request) -> HttpResponse:
    if not metrics_allowed(request):
        response = _json(
            403,
            {
                "error": "Metrics are served to METRICS_ALLOWED_IPS or with "
                "Authorization: Bearer METRICS_TOKEN."
            },
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)


VIEWS = {HEALTH: healthz, READY: readyz, METRICS: metrics_view}


class ProbeMiddleware:
    """First in MIDDLEWARE: answers /healthz, /readyz and /metrics itself (GET and HEAD)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = VIEWS.get(request.path_info.rstrip("/") or "/")
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = _json(405, {"error": "Use GET."})
            response["Allow"] = "GET, HEAD"
            return response
        return view(request)
