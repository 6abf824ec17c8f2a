"""Read replicas: reads that may lag go to a replica, everything else to the primary.

Nothing reads a replica unless a read view said its reads may lag (`may_lag`, set by
`ReplicaMiddleware` for the views in LAGGING_READS): stock decisions, If-Match checks and
every write run outside it and so on the primary. Inside it, only the catalogue's, the
locations' and the stock's tables go to a replica; API keys, companies, users and sessions
are always read on the primary, so a new key works and a revoked one stops at once.

Read-your-writes: after a successful write, the client (its API key, or the staff's session
cookie) reads from the primary for REPLICA_STICKY_SECONDS, a mark kept in the cache (shared
by every node with REDIS_URL), never in the database. A replica that cannot be reached is
left aside for REPLICA_RETRY_SECONDS and its reads go to the primary."""

import hashlib
import random
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from .doors import door_of

_may_lag: ContextVar[bool] = ContextVar("may_lag", default=False)
REPLICA_APPS = {"catalog", "locations", "inventory"}
_down_until: dict[str, float] = {}


@contextmanager
def may_lag(allowed: bool = True):
    """Reads inside may be served by a replica (seconds behind the primary)."""
    token = _may_lag.set(allowed)
    try:
        yield
    finally:
        _may_lag.reset(token)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def _reachable(alias: str) -> bool:
    if _down_until.get(alias, 0) > time.monotonic():
        return False
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError:
        connection.close()
        _down_until[alias] = time.monotonic() + settings.REPLICA_RETRY_SECONDS
        return False
    return True


def pick_replica() -> str:
    aliases = replica_aliases()
    random.shuffle(aliases)
    for alias in aliases:
        if _reachable(alias):
            return alias
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _may_lag.get() or model._meta.app_label not in REPLICA_APPS:
            return DEFAULT_DB_ALIAS
        return pick_replica()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied: a replica's row is the primary's row

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


# --- which requests may read a lagging copy, and who just wrote ---------------------------

ADMIN_LAGGING_VIEWS = {"index", "inventory_inventoryrecord_reorder_report"}
ADMIN_EXPORT_ACTIONS = {"export_csv", "export_purchase_list"}
SAFE = {"GET", "HEAD"}


def is_lagging_read(request) -> bool:
    """RootFi's and Zettle's lists and retrieves, the admin's changelists, dashboard, reorder
    report and CSV exports."""
    match = request.resolver_match
    door = door_of(request)
    if door in ("rootfi", "zettle"):
        return request.method in SAFE
    if door != "admin":
        return False
    if request.method in SAFE:
        return match.url_name in ADMIN_LAGGING_VIEWS or match.url_name.endswith("_changelist")
    return (
        request.method == "POST"
        and match.url_name.endswith("_changelist")
        and request.POST.get("action") in ADMIN_EXPORT_ACTIONS
    )


def client_of(request) -> str | None:
    """Who is asking, without a query: a hash of the API key or of the session cookie."""
    secret = request.META.get("HTTP_API_KEY")
    if not secret:
        scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        secret = token if scheme.lower() == "bearer" else ""
    if not secret:
        secret = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not secret:
        return None
    return hashlib.sha256(secret.strip().encode(errors="replace")).hexdigest()[:32]


def _sticky_key(client: str) -> str:
    return f"ops:read-primary:{client}"


class ReplicaMiddleware:
    """Sets `may_lag` around lagging read views and marks writers sticky to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._may_lag_token = None
        try:
            response = self.get_response(request)
        finally:
            if request._may_lag_token is not None:
                _may_lag.reset(request._may_lag_token)
        if request._may_lag_token is not None and response.streaming:
            response.streaming_content = _lagging(response.streaming_content)
        elif request.method not in SAFE and response.status_code < 400 and replica_aliases():
            client = client_of(request)
            if client:
                cache.set(_sticky_key(client), 1, timeout=settings.REPLICA_STICKY_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not replica_aliases() or not is_lagging_read(request):
            return None
        client = client_of(request)
        if client and cache.get(_sticky_key(client)):
            return None
        request._may_lag_token = _may_lag.set(True)
        return None


def _lagging(chunks):
    """A streamed export reads while it is sent, after the middleware returned."""
    with may_lag():
        yield from chunks
