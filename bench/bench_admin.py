"""Admin changelists at volume: p50/p99 of each changelist and filter, through Django's
test client (the whole view: queries, template, paginator), as a superuser and as a
company-scoped staff user.

Database: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/inv_bench, seeded first
with `manage.py seed_volume` (1,000,000 records, 10,000,000 ledger rows by default).
The database is created, migrated and seeded when empty (BENCH_ADMIN_RECORDS, default
1,000,000). BENCH_ADMIN_RUNS (default 15) requests per URL after one warm-up;
BENCH_ADMIN_ONLY (comma-separated page names) measures only those pages. Each line prints
the p99 beside the 300 ms target."""

import os
import statistics
import time
from datetime import timedelta

from bench._db import prepare_database

REPEATS = int(os.environ.get("BENCH_ADMIN_RUNS", "15"))
ONLY = {name.strip() for name in os.environ.get("BENCH_ADMIN_ONLY", "").split(",") if name.strip()}
TARGET_MS = 300


def _setup():
    prepare_database("postgres://postgres@127.0.0.1:5432/inv_bench")
    from django.core.management import call_command

    from apps.inventory.models import InventoryRecord

    if not InventoryRecord.objects.exists():
        records = int(os.environ.get("BENCH_ADMIN_RECORDS", "1000000"))
        print(f"seeding {records:,} records (seed_volume; about 7 minutes per million)")
        call_command("seed_volume", records=records)


def _urls():
    from django.utils import timezone

    from apps.inventory.models import InventoryRecord
    from apps.locations.models import Location
    from apps.tenancy.models import Company

    company = Company.objects.get(name="Bench Big")
    store = Location.objects.filter(company=company, kind="STORE").order_by("id").last()
    record = InventoryRecord.objects.filter(company=company).order_by("id")[500_000 // 2]
    today = timezone.localdate()
    week_ago = (today - timedelta(days=7)).isoformat()
    records = "/admin/inventory/inventoryrecord/"
    ledger = "/admin/inventory/stockmovement/"
    return [
        ("records", records),
        ("records status=low_stock", f"{records}?status=low_stock"),
        ("records needs reorder", f"{records}?needs_reorder=yes"),
        ("records location", f"{records}?location={store.pk}"),
        ("records untracked", f"{records}?is_trackable__exact=0"),
        ("records item type SERVICE", f"{records}?item_type=SERVICE"),
        ("records item status DRAFT", f"{records}?item_status=DRAFT"),
        ("records open alert", f"{records}?open_alert=yes"),
        ("records deleted", f"{records}?deleted=yes"),
        ("records search SKU", f"{records}?q={record.sku}"),
        ("records search name", f"{records}?q=alpine+parka+1234"),
        ("records sort quantity", f"{records}?o=-4"),
        ("records needs reorder+location", f"{records}?needs_reorder=yes&location={store.pk}"),
        ("record page", f"{records}{record.pk}/change/"),
        ("reorder report", f"{records}reorder-report/"),
        ("reorder report location", f"{records}reorder-report/?location={store.pk}"),
        ("ledger", ledger),
        ("ledger reason=receipt", f"{ledger}?reason__exact=receipt"),
        ("ledger door=admin", f"{ledger}?door__exact=admin"),
        ("ledger location", f"{ledger}?location={store.pk}"),
        ("ledger today", f"{ledger}?created_at__gte=2000-01-01"),
        ("ledger search SKU", f"{ledger}?q={record.sku}"),
        ("ledger search external id", f"{ledger}?q=ord-{company.pk}-1234-3"),
        ("ledger search partial SKU", f"{ledger}?q={record.sku[:-2].lower()}"),
        ("ledger search item name", f"{ledger}?q=alpine+parka+1234"),
        ("ledger date range", f"{ledger}?created_from={week_ago}&created_to={today}"),
        ("ledger date range+location", f"{ledger}?created_from={week_ago}&location={store.pk}"),
        (
            "bulk edit location low stock",
            f"{records}bulk-edit/?status=low_stock&location={store.pk}",
        ),
        ("import page", f"{records}import/"),
        ("items", "/admin/catalog/item/"),
        ("variants", "/admin/catalog/variant/"),
        ("alerts", "/admin/inventory/stockalert/"),
        ("dashboard", "/admin/"),
    ]


def _measure(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
    return statistics.median(timings), p99


def main():
    _setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from apps.inventory.models import InventoryRecord, StockMovement

    records = InventoryRecord.objects.count()
    movements = StockMovement.objects.order_by("-id").values_list("id", flat=True).first() or 0
    print(f"database: {records:,} records, ~{movements:,} ledger rows; {REPEATS} runs per URL")
    users = get_user_model().objects.filter(username__in=["bench_admin", "bench_staff"])
    print(f"{'page':34} {'user':6} {'p50 ms':>8} {'p99 ms':>8} {'target':>7}")
    for user in users.order_by("username"):
        client = Client()
        client.force_login(user)
        label = "super" if user.is_superuser else "staff"
        for name, url in _urls():
            if ONLY and name not in ONLY:
                continue
            p50, p99 = _measure(client, url)
            verdict = "ok" if p99 <= TARGET_MS else "SLOW"
            print(
                f"{name:34} {label:6} {p50:8.1f} {p99:8.1f} {TARGET_MS:>4} ms {verdict}",
                flush=True,
            )


if __name__ == "__main__":
    main()
