"""/metrics: requests per door and status, the engine's movements and refusals, the outbox;
served to configured addresses or to a bearer token only."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from apps.inventory.models import OutboxEvent
from apps.webhooks.models import DeliveryAttempt
from tests import factories

from .pgcluster import ROOT


def scrape(client, **headers) -> dict:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def record(company):
    return factories.record(company, on_hand=5)


def test_metrics_are_refused_to_other_addresses_and_wrong_tokens(client, db, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 403  # the test client is 127.0.0.1
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_HOST="anything", REMOTE_ADDR="10.1.2.3").status_code == 200
    scrape(client, HTTP_AUTHORIZATION="Bearer s3cret-token")
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403
    # Through the proxy every client is the proxy's address: an allowed address is not enough.
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    assert client.get("/metrics").status_code == 200


def test_requests_are_counted_per_door_and_status_with_their_latency(client, api, record):
    before = scrape(client)
    assert api.get(f"/v4/ecommerce/inventories/{record.pk}").status_code == 200
    assert api.get("/v4/ecommerce/inventories/987654321").status_code == 404
    after = scrape(client)
    for status in ("200", "404"):
        labels = {"door": "rootfi", "method": "GET", "status": status}
        assert value(after, "inventory_http_requests_total", **labels) == (
            value(before, "inventory_http_requests_total", **labels) + 1
        )
        count = "inventory_http_request_duration_seconds_count"
        assert value(after, count, door="rootfi", status=status) == (
            value(before, count, door="rootfi", status=status) + 1
        )


def test_committed_movements_and_refusals_are_counted_by_reason(
    client, api, record, django_capture_on_commit_callbacks
):
    applied = {"door": "rootfi", "reason": "count"}
    before = scrape(client)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            api.patch(
                f"/v4/ecommerce/inventories/{record.pk}", {"quantity": 9}, format="json"
            ).status_code
            == 200
        )
    refused = api.patch(
        f"/v4/ecommerce/inventories/{record.pk}", {"reserved_quantity": 50}, format="json"
    )
    assert refused.status_code == 409, refused.json()
    reason = refused.json()["error"]["code"]
    after = scrape(client)
    assert value(after, "inventory_movements_applied_total", **applied) == (
        value(before, "inventory_movements_applied_total", **applied) + 1
    )
    assert value(after, "inventory_movements_refused_total", reason=reason) == (
        value(before, "inventory_movements_refused_total", reason=reason) + 1
    )


def test_outbox_backlog_age_and_delivery_failures_are_read_at_scrape_time(client, company):
    now = timezone.now()
    old = OutboxEvent.objects.create(
        company=company, event_name="e", payload={}, created_at=now - timedelta(hours=2)
    )
    OutboxEvent.objects.create(company=company, event_name="e", payload={}, created_at=now)
    OutboxEvent.objects.create(
        company=company, event_name="e", payload={}, created_at=now, delivered_at=now
    )
    old.attempts = 1
    old.save()
    DeliveryAttempt.objects.create(
        event=old, company=company, number=1, outcome="failed", started_at=now
    )
    samples = scrape(client)
    pending = OutboxEvent.objects.filter(delivered_at__isnull=True).count()
    assert value(samples, "inventory_outbox_backlog") == pending >= 2
    assert value(samples, "inventory_outbox_oldest_event_age_seconds") >= 7200
    assert value(samples, "inventory_outbox_failing_events") == 1
    assert value(samples, "inventory_webhook_delivery_failures_last_hour") == 1
    assert value(samples, "inventory_database_up") == 1


COUNT_ONE = (
    "from apps.ops import metrics; "
    "metrics.observe_request(door='zettle', method='PUT', status=200, seconds=0.01)"
)
SCRAPE = (
    "import django; django.setup(); from apps.ops import metrics; "
    "print(metrics.exposition()[0].decode())"
)


def test_multiprocess_mode_adds_up_every_workers_counts(tmp_path):
    env = {
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "inventory_site.settings",
        "DATABASE_URL": "sqlite://",
    }
    for _ in range(3):  # three worker processes, one request each
        subprocess.run([sys.executable, "-c", COUNT_ONE], cwd=ROOT, env=env, check=True)
    out = subprocess.run(
        [sys.executable, "-c", SCRAPE],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = 'inventory_http_requests_total{door="zettle",method="PUT",status="200"} 3.0'
    assert line in out
