"""Prometheus metrics: requests per door, the engine's movements and refusals, the outbox.

Import-light on purpose: the engine imports `counted` from here, so this module loads only
prometheus_client and Django's transaction module; models are imported at scrape time.

Under gunicorn every worker is a process of its own. With PROMETHEUS_MULTIPROC_DIR set
(an empty directory, wiped at each start: the systemd unit's RuntimeDirectory), counters live
in files there and a scrape of any worker adds up all of them (prometheus_client's
multiprocess mode; gunicorn.conf.py marks dead workers). Without it a scrape shows the
figures of the one worker that answered."""

import os
from datetime import timedelta
from functools import wraps

from django.db import transaction
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUESTS = Counter(
    "inventory_http_requests",
    "Requests answered, by door, method and status code.",
    ["door", "method", "status"],
)
LATENCY = Histogram(
    "inventory_http_request_duration_seconds",
    "Time to answer a request, by door and status code.",
    ["door", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
MOVEMENTS = Counter(
    "inventory_movements_applied",
    "Ledger rows the engine committed, by door and reason.",
    ["door", "reason"],
)
REFUSALS = Counter(
    "inventory_movements_refused",
    "Engine calls refused by the stock rules, by reason (the error's code).",
    ["reason"],
)

FAILURE_WINDOW = timedelta(hours=1)


def observe_request(*, door: str, method: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "OTHER"
    REQUESTS.labels(door, method, str(status)).inc()
    LATENCY.labels(door, str(status)).observe(seconds)


def count_movements(movements) -> None:
    """Count `movements` (StockMovement rows) once their transaction commits: a request that
    rolls back after the engine call moved nothing."""
    counts: dict[tuple[str, str], int] = {}
    for movement in movements:
        key = (str(movement.door), str(movement.reason))
        counts[key] = counts.get(key, 0) + 1
    if counts:
        transaction.on_commit(lambda: [MOVEMENTS.labels(*k).inc(n) for k, n in counts.items()])


def count_refusal(error) -> None:
    REFUSALS.labels(getattr(error, "code", type(error).__name__)).inc()


def counted(apply_changes):
    """Wraps the engine's entry point: its committed movements and its refusals."""
    from apps.inventory.errors import StockError

    @wraps(apply_changes)
    def wrapper(*args, **kwargs):
        try:
            result = apply_changes(*args, **kwargs)
        except StockError as error:
            count_refusal(error)
            raise
        count_movements(result.movements)
        return result

    return wrapper


class OutboxCollector:
    """Figures read from the database at scrape time, so every worker (and the outbox
    worker on another machine) is seen the same."""

    def collect(self):
        from django.db import DatabaseError
        from django.db.models import Count, Min, Q
        from django.utils import timezone

        from apps.inventory.models import OutboxEvent
        from apps.webhooks.models import DeliveryAttempt

        up = GaugeMetricFamily(
            "inventory_database_up", "1 when the scrape could read the database."
        )
        now = timezone.now()
        try:
            pending = OutboxEvent.objects.filter(delivered_at__isnull=True).aggregate(
                backlog=Count("id"),
                failing=Count("id", filter=Q(attempts__gt=0)),
                oldest=Min("created_at"),
            )
            failures = DeliveryAttempt.objects.filter(
                started_at__gte=now - FAILURE_WINDOW, outcome=DeliveryAttempt.Outcome.FAILED
            ).count()
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        age = (now - pending["oldest"]).total_seconds() if pending["oldest"] else 0.0
        yield GaugeMetricFamily(
            "inventory_outbox_backlog", "Outbox events not delivered yet.", value=pending["backlog"]
        )
        yield GaugeMetricFamily(
            "inventory_outbox_oldest_event_age_seconds",
            "Age of the oldest undelivered outbox event (0 when none).",
            value=age,
        )
        yield GaugeMetricFamily(
            "inventory_outbox_failing_events",
            "Undelivered events that failed at least once (waiting for a retry).",
            value=pending["failing"],
        )
        yield GaugeMetricFamily(
            "inventory_webhook_delivery_failures_last_hour",
            "Webhook delivery attempts that failed in the last hour.",
            value=failures,
        )


def exposition() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counters = CollectorRegistry()
        multiprocess.MultiProcessCollector(counters)
    else:
        counters = REGISTRY
    scraped = CollectorRegistry(auto_describe=False)
    scraped.register(OutboxCollector())
    return generate_latest(counters) + generate_latest(scraped), CONTENT_TYPE_LATEST
