"""Real threads on PostgreSQL: scans from several devices add up, numbers never repeat."""

import pytest

from apps.counts import services
from apps.counts.models import Count
from tests import factories
from tests.inventory.test_concurrency import run_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_four_devices_scanning_one_item_lose_no_scan(company):
    store = factories.default_store(company)
    record = factories.record(company, sku="TEE", on_hand=5)
    count = services.open_count(company=company, location=store)

    def device(_):
        for _ in range(25):
            services.enter(count=count, entries=[services.Entry(record, 1, add=True)])

    assert run_threads(4, device) == []
    assert count.lines.get(record=record).counted == 100


def test_counts_opened_at_once_get_distinct_numbers(company):
    store = factories.default_store(company)
    assert run_threads(6, lambda _: services.open_count(company=company, location=store)) == []
    numbers = sorted(Count.objects.values_list("number", flat=True))
    assert numbers == [f"CC-{n:05d}" for n in range(1, 7)]
