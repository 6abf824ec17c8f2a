import json
import threading

import pytest
from django.db import connection

from apps.inventory import services
from apps.inventory.models import Door, OutboxEvent
from apps.webhooks.delivery import Options, run_pass
from tests import factories

from .helpers import Endpoint


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_event_twice():
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
    sent = [json.loads(r["body"])["messageUuid"] for r in endpoint.requests]
    assert len(sent) == len(set(sent)) == due
    assert sum(r.delivered for r in results) == due
    assert OutboxEvent.objects.filter(company=company, delivered_at__isnull=True).count() == 0
