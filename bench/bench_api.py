"""The doors under load, through gunicorn over real sockets, and exact to the unit.

A company with 200 SKUs, 500 units each at the default store; 16 client threads then send
mixed traffic for BENCH_API_SECONDS (default 20): Zettle sales of 1-3 units of hot SKUs (so
requests queue on the same rows), store-feed shelf counts of other SKUs, RootFi list pages
and single reads. It prints requests/s and p50/p99 latency per kind, then checks that every
hot SKU's on-hand is exactly 500 minus the units of the sales that answered 200, and that
`audit_ledger` passes.

Database: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/inv_bench_api (created and
migrated when missing). Gunicorn runs with the project's gunicorn.conf.py on port 8190."""

import os
import random
import statistics
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

import requests

from bench._db import prepare_database
from bench._server import serve

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.environ.get("BENCH_API_PORT", "8190"))
SECONDS = float(os.environ.get("BENCH_API_SECONDS", "20"))
THREADS = 16
HOT = 10
SKUS = 200
START = 500


def _seed():
    from apps.catalog.models import Item, Variant
    from apps.inventory import services
    from apps.inventory.models import Door
    from apps.tenancy.models import ApiKey, Company

    company = Company.objects.create(name=f"Bench API {uuid.uuid4().hex[:6]}")
    store = services.default_store(company)
    items = Item.objects.bulk_create(
        [
            Item(company=company, name=f"Bench {n}", sku=f"B{n}", platform_id=f"p{n}")
            for n in range(SKUS)
        ]
    )
    variants = Variant.objects.bulk_create(
        [
            Variant(
                company=company,
                item=i,
                sku=f"{i.sku}-V",
                upc=f"{700000000000 + n}",
                gtin=f"00{700000000000 + n}",
                platform_id=f"v{n}",
            )
            for n, i in enumerate(items)
        ]
    )
    records = services.ensure_records(company=company, variants=variants)
    services.apply_changes(
        company=company,
        changes=[services.Count(r, store, START) for r in records.values()],
        door=Door.COMMAND,
    )
    _, secret = ApiKey.issue(company=company)
    supplier_sold = services.virtual_locations(company)
    return company, store, supplier_sold.sold, variants, secret


def main():
    prepare_database("postgres://postgres@127.0.0.1:5432/inv_bench_api")
    from django.core.management import call_command
    from django.db import connections

    from apps.inventory.models import StockLevel

    company, store, sold, variants, secret = _seed()
    connections.close_all()
    base = f"http://127.0.0.1:{PORT}"
    hot, cold = variants[:HOT], variants[HOT:]
    latencies = defaultdict(list)
    statuses = defaultdict(lambda: defaultdict(int))
    sold_units = defaultdict(int)
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def pick(rng, bearer, rootfi):
        """One request of the mix: (kind, variant, units, method, url, body, headers)."""
        roll = rng.random()
        if roll < 0.45:
            variant, units = rng.choice(hot), rng.randint(1, 3)
            change = {
                "productUuid": str(variant.item.uuid),
                "variantUuid": str(variant.uuid),
                "fromLocationUuid": str(store.uuid),
                "toLocationUuid": str(sold.uuid),
                "change": units,
            }
            url = f"{base}/organizations/self/inventory"
            return "zettle sale", variant, units, "PUT", url, {"changes": [change]}, bearer
        if roll < 0.70:
            variant = rng.choice(cold)
            body = {"upc": variant.upc, "store": store.store_code, "quantity": rng.randint(0, 900)}
            return (
                "store feed count",
                variant,
                0,
                "POST",
                f"{base}/api/product/inventory",
                body,
                bearer,
            )
        if roll < 0.85:
            url = f"{base}/v4/ecommerce/inventories?limit=100&expand=item,variant"
            return "rootfi list 100", None, 0, "GET", url, None, rootfi
        variant = rng.choice(variants)
        url = f"{base}/v4/ecommerce/inventories?variant_id={variant.platform_id}"
        return "rootfi read one", variant, 0, "GET", url, None, rootfi

    def client(n):
        rng = random.Random(n)
        session = requests.Session()
        bearer, rootfi = {"Authorization": f"Bearer {secret}"}, {"api_key": secret}
        while time.monotonic() < deadline:
            kind, variant, units, method, url, body, headers = pick(rng, bearer, rootfi)
            started = time.perf_counter()
            response = session.request(method, url, json=body, headers=headers, timeout=30)
            took = (time.perf_counter() - started) * 1000
            with lock:
                latencies[kind].append(took)
                statuses[kind][response.status_code] += 1
                if kind == "zettle sale" and response.status_code == 200:
                    sold_units[variant.pk] += units

    server = serve(PORT, workers=4)
    try:
        threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(10)

    print(
        f"{THREADS} clients for {SECONDS:.0f}s through gunicorn (4 workers), database "
        f"{connections['default'].vendor}"
    )
    print(f"{'request':18} {'count':>6} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for kind, values in sorted(latencies.items()):
        q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        codes = ", ".join(f"{c}: {k}" for c, k in sorted(statuses[kind].items()))
        rate = len(values) / SECONDS
        print(f"{kind:18} {len(values):6} {rate:7.1f} {q[49]:8.1f} {q[98]:8.1f}  {codes}")
    exact = 0
    for variant in hot:
        on_hand = StockLevel.objects.get(record__variant=variant, location=store).on_hand
        expected = START - sold_units[variant.pk]
        exact += on_hand == expected
        if on_hand != expected:
            print(f"MISMATCH {variant.sku}: on hand {on_hand}, expected {expected}")
    print(
        f"hot SKUs exact to the unit: {exact}/{len(hot)} "
        f"({sum(sold_units.values())} units sold in {statuses['zettle sale'][200]} sales)"
    )
    call_command("audit_ledger", company=company.name)


if __name__ == "__main__":
    main()
