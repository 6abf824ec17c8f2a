"""The write path of issue 10, measured side by side in one run, each figure beside its target.

1. Query counts (deterministic) of each door's write, through Django's test client.
2. The raw PostgreSQL rate: the movement transaction (lock a level, update it and its
   record, append a ledger row) done straight with psycopg from 8 threads on random rows.
3. The service through gunicorn (2 workers x 4 threads, the project's gunicorn.conf.py) and
   8 client threads: Zettle 1-line PUTs on random rows and on one hot variant (checked
   exact to the unit afterwards), one 1,000-line PUT (median of 3), RootFi POST of 100
   items then their 100 inventories (pairs/s).
Ratios are what to compare across machines, not absolute times. Nothing here asserts.

Database: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/inv_bench_writes.
BENCH_WRITES_SECONDS (default 10) is the length of each timed load."""

import json
import os
import random
import statistics
import threading
import time
import uuid
from pathlib import Path

import requests

from bench._db import prepare_database
from bench._server import serve

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.environ.get("BENCH_WRITES_PORT", "8191"))
SECONDS = float(os.environ.get("BENCH_WRITES_SECONDS", "10"))
CLIENTS = 8
SKUS = 2000
ROWS: list[tuple[str, str, str]] = []  # the printed table: (request, now, target)


def row(name: str, figure: str, target: str) -> None:
    ROWS.append((name, figure, target))
    print(f"  {name:<58} {figure:>18}   target: {target}", flush=True)


# --- data ------------------------------------------------------------------------------


def _company(skus: int):
    from apps.catalog.models import Item, Variant
    from apps.inventory import services
    from apps.inventory.models import Door
    from apps.tenancy.models import ApiKey, Company

    tag = uuid.uuid4().hex[:6]
    company = Company.objects.create(name=f"Bench writes {tag}")
    store = services.default_store(company)
    items = Item.objects.bulk_create(
        [
            Item(company=company, name=f"W{n}", sku=f"W{tag}{n}", platform_id=f"p{tag}{n}")
            for n in range(skus)
        ]
    )
    variants = Variant.objects.bulk_create(
        [
            Variant(
                company=company,
                item=i,
                sku=f"{i.sku}-V",
                upc=f"{800000000000 + n}",
                gtin=f"00{800000000000 + n}",
                platform_id=f"v{tag}{n}",
            )
            for n, i in enumerate(items)
        ]
    )
    for v, i in zip(variants, items, strict=True):
        v.item = i
    records = services.ensure_records(company=company, variants=variants)
    services.apply_changes(
        company=company,
        changes=[services.Count(r, store, 1_000_000) for r in records.values()],
        door=Door.COMMAND,
    )
    _, secret = ApiKey.issue(company=company)
    return company, store, variants, records, secret


def _sale(variant, store, sold, units=1) -> dict:
    return {
        "productUuid": str(variant.item.uuid),
        "variantUuid": str(variant.uuid),
        "fromLocationUuid": str(store.uuid),
        "toLocationUuid": str(sold.uuid),
        "change": units,
    }


# --- 1. query counts ------------------------------------------------------------------


def query_counts(company, store, variants, secret):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.inventory import services

    sold = services.virtual_locations(company).sold
    rootfi = Client(HTTP_API_KEY=secret)
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    bearer.get("/organizations/self/locations")  # the key's last use is recorded once a minute

    def count(client, method, path, body, **headers) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = getattr(client, method)(
                path, data=json.dumps(body), content_type="application/json", **headers
            )
        assert response.status_code < 300, response.content[:300]
        return len(captured)

    def post_items(n):
        tag = uuid.uuid4().hex[:6]
        body = {"data": [{"name": f"Q {i}", "sku": f"Q{tag}{i}", "price": 5} for i in range(n)]}
        with CaptureQueriesContext(connection) as captured:
            response = rootfi.post("/v4/payments/items", data=body, content_type="application/json")
        assert response.status_code == 201, response.content[:300]
        return len(captured), [i["platform_id"] for i in response.json()["data"]]

    items, inventories = {}, {}
    for n in (100, 200):
        items[n], made = post_items(n)
        objects = [{"item_id": ident, "quantity": 40} for ident in made]
        inventories[n] = count(rootfi, "post", "/v4/ecommerce/inventories", {"data": objects})
    row(
        "POST /v4/ecommerce/inventories, 100 objects (200)",
        f"{inventories[100]} ({inventories[200]})",
        "<= 30, 200 at most 5 more",
    )
    row("POST /v4/payments/items, 100 objects (200)", f"{items[100]} ({items[200]})", "<= 30, same")
    record = next(iter(services.ensure_records(company=company, variants=variants[:1]).values()))
    url = f"/v4/ecommerce/inventories/{record.pk}"
    row(
        "PUT inventories/{id} quantity",
        str(count(rootfi, "put", url, {"quantity": 999_990})),
        "<= 10",
    )
    everything = {
        "quantity": 999_980,
        "reserved_quantity": 2,
        "reorder_level": 5,
        "reorder_quantity": 9,
    }
    row("PUT inventories/{id} all figures", str(count(rootfi, "put", url, everything)), "<= 12")
    path = "/organizations/self/inventory"
    one = {"changes": [_sale(variants[1], store, sold)]}
    row("Zettle PUT inventory, 1 line", str(count(bearer, "put", path, one)), "<= 10")
    keyed = count(bearer, "put", path, one, HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)
    row("Zettle PUT inventory, 1 line with Idempotency-Key", str(keyed), "<= 12")
    hundred = {"changes": [_sale(v, store, sold) for v in variants[2:102]]}
    row("Zettle PUT inventory, 100 lines", str(count(bearer, "put", path, hundred)), "<= 12")
    feed = "/api/product/inventory"
    code = store.store_code
    single = {"upc": variants[200].upc, "store": code, "quantity": 500}
    listed = [{"upc": v.upc, "store": code, "quantity": 500} for v in variants[201:301]]
    row(
        "store feed, 1 count / a list of 100",
        f"{count(bearer, 'post', feed, single)} / {count(bearer, 'post', feed, listed)}",
        "<= 10 / <= 12",
    )


# --- 2. the raw PostgreSQL rate -------------------------------------------------------


def raw_rate(company, store, records) -> float:
    import psycopg
    from django.db import connection

    settings = connection.settings_dict
    dsn = (
        f"host={settings['HOST'] or '127.0.0.1'} port={settings['PORT'] or 5432} "
        f"dbname={settings['NAME']} user={settings['USER']}"
    )
    ids = [r.pk for r in records.values()]
    done = [0] * CLIENTS
    deadline = time.monotonic() + SECONDS

    def worker(n):
        rng = random.Random(n)
        with psycopg.connect(dsn, autocommit=False) as conn:
            while time.monotonic() < deadline:
                rid = rng.choice(ids)
                with conn.transaction():
                    conn.execute(
                        "SELECT id FROM inventory_inventoryrecord WHERE id = %s FOR UPDATE", [rid]
                    )
                    conn.execute(
                        "UPDATE inventory_stocklevel SET on_hand = on_hand - 1, updated_at = now() "
                        "WHERE record_id = %s AND location_id = %s",
                        [rid, store.pk],
                    )
                    conn.execute(
                        "UPDATE inventory_inventoryrecord SET quantity = quantity - 1, "
                        "updated_at = now() WHERE id = %s RETURNING quantity",
                        [rid],
                    )
                    conn.execute(
                        "INSERT INTO inventory_stockmovement (company_id, record_id, "
                        "from_location_id, to_location_id, quantity, reserved_change, reason, "
                        "door, external_id, reference, note, created_at, quantity_after, "
                        "reserved_after) VALUES (%s, %s, %s, NULL, 1, 0, 'sale', 'command', "
                        "'', '', 'raw bench', now(), 0, 0)",
                        [company.pk, rid, store.pk],
                    )
                done[n] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rate = sum(done) / SECONDS
    row("raw psycopg movement transaction, 8 threads", f"{rate:,.0f} tx/s", "(the reference)")
    return rate


# --- 3. through gunicorn --------------------------------------------------------------


def _load(make_body, secret, seconds=SECONDS) -> tuple[float, float, dict]:
    """8 clients PUT Zettle movements for `seconds`: requests/s, p50 ms, units sold per
    variant uuid (of the answers that were 200)."""
    base = f"http://127.0.0.1:{PORT}/organizations/self/inventory"
    latencies, sold, lock = [], {}, threading.Lock()
    deadline = time.monotonic() + seconds

    def client(n):
        rng = random.Random(100 + n)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {secret}"
        while time.monotonic() < deadline:
            body = make_body(rng)
            started = time.perf_counter()
            response = session.put(base, json=body, timeout=30)
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                if response.status_code == 200:
                    for change in body["changes"]:
                        sold[change["variantUuid"]] = sold.get(change["variantUuid"], 0) + 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / seconds, statistics.median(latencies) * 1000, sold


def served(company, store, variants, secret, raw: float):
    from django.db import connections

    from apps.inventory import services
    from apps.inventory.models import InventoryRecord

    sold = services.virtual_locations(company).sold
    connections.close_all()
    proc = serve(PORT, workers=2, threads=4)
    try:
        pool = variants[400:]
        rate, p50, _ = _load(
            lambda rng: {"changes": [_sale(rng.choice(pool), store, sold)]}, secret
        )
        row(
            "Zettle PUT, 1 line, random rows (req/s, p50)",
            f"{rate:,.0f}/s {p50:.0f} ms ({rate / raw:.0%})",
            ">= 10% of raw (15% if the profile allows)",
        )
        hot = variants[300]
        before = InventoryRecord.objects.get(variant=hot).quantity
        connections.close_all()
        rate, p50, units = _load(lambda rng: {"changes": [_sale(hot, store, sold)]}, secret)
        after = InventoryRecord.objects.get(variant=hot).quantity
        exact = "exact" if before - after == units.get(str(hot.uuid), 0) else "LOST UNITS"
        row(
            "Zettle PUT, 1 line, one hot variant (req/s; units)",
            f"{rate:,.0f}/s ({rate / raw:.0%}); {exact}",
            ">= 7% of raw, never a lost unit",
        )
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {secret}"
        times = []
        for attempt in range(3):
            lines = {
                "changes": [
                    _sale(v, store, sold) for v in pool[attempt * 1000 : attempt * 1000 + 1000]
                ]
            }
            if len(lines["changes"]) < 1000:
                lines = {"changes": [_sale(v, store, sold) for v in pool[:1000]]}
            started = time.perf_counter()
            response = session.put(
                f"http://127.0.0.1:{PORT}/organizations/self/inventory", json=lines, timeout=120
            )
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text[:300]
        row(
            "one Zettle PUT of 1,000 lines (median of 3)",
            f"{1000 / statistics.median(times):,.0f} lines/s",
            ">= 10,000 lines/s",
        )
        pairs(secret)
    finally:
        proc.terminate()
        proc.wait(10)


def pairs(secret):
    """RootFi: POST 100 items, then POST their 100 inventories, 8 clients."""
    base = f"http://127.0.0.1:{PORT}/v4"
    done, lock = [0], threading.Lock()
    deadline = time.monotonic() + SECONDS

    def client(n):
        session = requests.Session()
        session.headers["api_key"] = secret
        while time.monotonic() < deadline:
            tag = uuid.uuid4().hex[:8]
            items = [{"name": f"P {i}", "sku": f"P{tag}{i}"} for i in range(100)]
            made = session.post(f"{base}/payments/items", json={"data": items}, timeout=60)
            assert made.status_code == 201, made.text[:300]
            objects = [{"item_id": i["platform_id"], "quantity": 10} for i in made.json()["data"]]
            answer = session.post(
                f"{base}/ecommerce/inventories", json={"data": objects}, timeout=60
            )
            assert answer.status_code == 201, answer.text[:300]
            with lock:
                done[0] += 100

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rate = done[0] / (time.monotonic() - started)
    row(
        "RootFi POST 100 items then their 100 inventories", f"{rate:,.0f} pairs/s", ">= 500 pairs/s"
    )


def main():
    prepare_database("postgres://postgres@127.0.0.1:5432/inv_bench_writes")
    from django.db import connection

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    company, store, variants, records, secret = _company(SKUS)
    query_counts(company, store, variants, secret)
    raw = raw_rate(company, store, records)
    served(company, store, variants, secret, raw)
    print("\n| request | now | target |\n|---|---|---|")
    for name, figure, target in ROWS:
        print(f"| {name} | {figure} | {target} |")
