import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from apps.inventory import services
from apps.inventory.models import Door, OutboxEvent
from apps.webhooks import subscriptions
from apps.webhooks.delivery import Options, run_pass
from apps.webhooks.models import SubscriptionDelivery
from tests import factories

from .helpers import Endpoint

ROOT = Path(__file__).resolve().parents[2]
EVENTS = 3000
WORKERS = 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_event_twice(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS = True  # the endpoint is on 127.0.0.1
    company = factories.company("Parallel")
    store = factories.default_store(company)
    record = factories.record(company, sku="P", on_hand=100)
    for _ in range(30):
        services.sell(company=company, record=record, location=store, quantity=1, door=Door.ZETTLE)
    due = OutboxEvent.objects.filter(company=company, delivered_at__isnull=True).count()
    assert due >= 30

    with Endpoint([200]) as endpoint:
        company.webhook_url = endpoint.url
        company.save()
        results, errors = [], []

        def worker():
            try:
                results.append(run_pass(Options(batch=3)))
            except Exception as error:  # surfaced below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

    assert errors == []
    sent = [json.loads(r["body"])["messageId"] for r in endpoint.requests]
    assert len(sent) == len(set(sent)) == due
    assert sum(r.delivered for r in results) == due
    assert OutboxEvent.objects.filter(company=company, delivered_at__isnull=True).count() == 0


def _outbox(company, count):
    now = timezone.now()
    OutboxEvent.objects.bulk_create(
        [
            OutboxEvent(
                company=company,
                event_name="InventoryBalanceChanged",
                payload={"organizationUuid": str(company.uuid), "n": n},
                created_at=now,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )


def _worker(env):
    return subprocess.Popen(
        [sys.executable, "manage.py", "deliver_alerts", "--interval", "0.2", "--batch", "50"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_three_worker_processes_deliver_each_event_exactly_once(capsys, settings):
    """Three `deliver_alerts` workers (separate processes, as on three machines) share one
    outbox of a few thousand events, each going to the company's webhook and to a Pusher
    subscription: every (destination, event) pair arrives once, none is left behind, and
    SIGTERM stops each worker cleanly."""
    settings.WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS = True
    company = factories.company("Three workers")
    with Endpoint([200]) as hook, Endpoint([200]) as subscribed:
        company.webhook_url = hook.url
        company.save()
        subscriptions.subscribe(
            company=company,
            uuid=uuid.uuid1(),
            event_names=[],
            destination=subscribed.url,
            contact_email="ops@example.com",
        )
        _outbox(company, EVENTS)
        database = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_DEBUG": "1",
            "WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS": "1",
            "DATABASE_URL": (
                f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
                f"{database['PORT'] or 5432}/{database['NAME']}"
            ),
        }
        started = time.monotonic()
        workers = [_worker(env) for _ in range(WORKERS)]
        try:
            deadline = started + 300
            while time.monotonic() < deadline:
                if len(hook.requests) + len(subscribed.requests) >= 2 * EVENTS and not (
                    OutboxEvent.objects.filter(delivered_at__isnull=True).exists()
                    or SubscriptionDelivery.objects.filter(delivered_at__isnull=True).exists()
                ):
                    break
                assert all(w.poll() is None for w in workers), "a worker died"
                time.sleep(0.2)
            elapsed = time.monotonic() - started
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            outputs = [worker.communicate(timeout=60) for worker in workers]

    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        assert out.strip().endswith("Stopped."), out
    figures = {}
    for name, endpoint in (("webhook", hook), ("subscription", subscribed)):
        ids = Counter(json.loads(r["body"])["messageId"] for r in endpoint.requests)
        figures[name] = {
            "delivered": len(ids),
            "duplicates": sum(n - 1 for n in ids.values()),
        }
    left_behind = (
        OutboxEvent.objects.filter(delivered_at__isnull=True).count()
        + SubscriptionDelivery.objects.filter(delivered_at__isnull=True).count()
    )
    handled = [
        sum(int(line.split()[2]) for line in out.splitlines() if line.startswith("Delivery pass"))
        for out, _ in outputs
    ]
    with capsys.disabled():
        print(
            f"\n{WORKERS} workers, {EVENTS} events x 2 destinations in {elapsed:.1f} s: "
            f"{figures}, left behind {left_behind}, delivered per worker {handled}"
        )
    assert figures["webhook"] == {"delivered": EVENTS, "duplicates": 0}
    assert figures["subscription"] == {"delivered": EVENTS, "duplicates": 0}
    assert left_behind == 0
    assert sum(handled) == 2 * EVENTS
    assert sum(1 for n in handled if n > 0) >= 2  # the work was shared
