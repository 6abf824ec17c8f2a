"""RootFi V4 list reads at 100,000 records: each figure beside its target (issue 10).

Requests go through Django's test client with an `api_key` header, so each timing is the
whole view (authentication, filters, keyset page, serializer, JSON) without a socket.

- `?status=low_stock&limit=100`: p50 and p99 (target: p50 under 20 ms);
- `?limit=100` first page against a page reached by cursor near the end (target: under
  1.2x); the cursor is the one the service hands out for the row 101 from the end
  (`pagination.make_cursor`), so no bench walks a thousand pages to get there;
- `?limit=100&expand=item,variant`: queries per request (target: at most 5);
- a few more lists for context (sorted, item lists), without targets.

Database: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/inv_bench_reads (created,
migrated and seeded with `seed_volume` when empty: BENCH_READS_RECORDS, default 111,111, of
which the listed company, "Bench Big", holds 100,000). BENCH_READS_RUNS (default 50)
requests per URL, the URLs taking turns. BENCH_READS_EXPLAIN=1 prints EXPLAIN ANALYZE of each
list's page query."""

import os
import statistics
import time

from bench._db import prepare_database

RUNS = int(os.environ.get("BENCH_READS_RUNS", "50"))
RECORDS = int(os.environ.get("BENCH_READS_RECORDS", "111111"))
INVENTORIES = "/v4/ecommerce/inventories"


def _setup():
    os.environ.setdefault("ROOTFI_RATE_LIMIT", "off")  # one key sends every request
    prepare_database("postgres://postgres@127.0.0.1:5432/inv_bench_reads")
    from django.core.management import call_command

    from apps.inventory.models import InventoryRecord

    if not InventoryRecord.objects.exists():
        print(f"seeding {RECORDS:,} records (seed_volume)", flush=True)
        call_command("seed_volume", records=RECORDS, movements_per_record=2)
    from apps.tenancy.models import ApiKey, Company

    company = Company.objects.get(name="Bench Big")
    _, secret = ApiKey.issue(company=company, name="bench_reads")
    return company, secret


def _deep_cursor(company, url: str) -> str:
    """The `next` cursor the service would give on the page ending 101 rows from the end."""
    from django.http import QueryDict

    from apps.api.rootfi import pagination
    from apps.inventory import selectors

    params = QueryDict(url.partition("?")[2])
    sort = pagination.parse_sort(params)
    rows = selectors.inventory_records(company).order_by(*[o.lstrip("-") for o in sort.order])
    row = rows.reverse()[100]
    return pagination.make_cursor(row, sort, pagination.fingerprint(params), False)


class Timer:
    def __init__(self, client, headers):
        self.client, self.headers = client, headers

    def get(self, url):
        response = self.client.get(url, **self.headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        return response

    def queries(self, url) -> tuple[int, int]:
        """(queries, rows) of one request for `url`, after a warm-up."""
        from django.db import connection, reset_queries
        from django.test.utils import CaptureQueriesContext

        self.get(url)
        reset_queries()  # each request resets the log (request_started); count from zero
        with CaptureQueriesContext(connection) as queries:
            rows = len(self.get(url).json()["data"])
        return len(queries), rows

    def measure(self, urls: list[str]) -> list[tuple[float, float, float]]:
        """(p50 ms, p99 ms, CPU ms of this process at p50) per URL. The URLs take turns,
        run after run, so a busy machine slows each of them alike and ratios hold."""
        timings = {url: [] for url in urls}
        cpu = {url: [] for url in urls}
        for _ in range(RUNS):
            for url in urls:
                started, started_cpu = time.perf_counter(), time.process_time()
                self.get(url)
                timings[url].append((time.perf_counter() - started) * 1000)
                cpu[url].append((time.process_time() - started_cpu) * 1000)
        results = []
        for url in urls:
            ordered = sorted(timings[url])
            p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
            results.append((statistics.median(ordered), p99, statistics.median(cpu[url])))
        return results


def _explain(timer, label, url):
    """EXPLAIN ANALYZE of the page query the list runs for `url`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.inventory.models import InventoryRecord

    with CaptureQueriesContext(connection) as queries:
        timer.get(url)
    table = InventoryRecord._meta.db_table
    page = next(q["sql"] for q in queries if f'FROM "{table}"' in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {page}")
        plan = "\n".join(f"    {row[0]}" for row in cursor.fetchall())
    print(f"  -- {label}\n{plan}")


def main():
    company, secret = _setup()
    from django.db import connection
    from django.test import Client

    from apps.inventory.models import InventoryRecord

    timer = Timer(Client(), {"HTTP_API_KEY": secret})
    live = InventoryRecord.objects.filter(company=company).live().count()
    load = os.getloadavg()[0]
    print(
        f"company {company.name}: {live:,} live records; {connection.vendor}; {RUNS} runs per "
        f"URL; load average {load:.1f} on {os.cpu_count()} CPUs (CPU ms: this process only)"
    )

    first_url = f"{INVENTORIES}?limit=100"
    deep_url = f"{first_url}&next={_deep_cursor(company, first_url)}"
    sorted_url = f"{INVENTORIES}?limit=100&sort[rootfi_updated_at]=DESC"
    lists = [
        ("status=low_stock&limit=100", f"{INVENTORIES}?status=low_stock&limit=100"),
        ("limit=100 (first page)", first_url),
        ("limit=100 (cursor near the end)", deep_url),
        ("limit=100&expand=item,variant", f"{INVENTORIES}?limit=100&expand=item,variant"),
        ("status=low_stock, sort updated DESC", f"{sorted_url}&status=low_stock"),
        ("status=low_stock,out_of_stock", f"{INVENTORIES}?status=low_stock,out_of_stock"),
        ("sort[rootfi_updated_at]=DESC", sorted_url),
        (
            "sort updated DESC (cursor near end)",
            f"{sorted_url}&next={_deep_cursor(company, sorted_url)}",
        ),
        ("is_trackable=false", f"{INVENTORIES}?is_trackable=false&limit=100"),
        ("items limit=100&expand=variants", "/v4/payments/items?limit=100&expand=variants"),
        ("items status=DRAFT&limit=100", "/v4/payments/items?status=DRAFT&limit=100"),
    ]
    results = {}
    counts = [timer.queries(url) for _, url in lists]
    times = timer.measure([url for _, url in lists])
    print(f"{'list':38} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms':>8} {'queries':>8} {'rows':>5}")
    for (label, _), (p50, p99, cpu), (queries, rows) in zip(lists, times, counts, strict=True):
        results[label] = (p50, queries)
        print(f"{label:38} {p50:8.1f} {p99:8.1f} {cpu:8.1f} {queries:8} {rows:5}")

    low_p50 = results["status=low_stock&limit=100"][0]
    ratio = results["limit=100 (cursor near the end)"][0] / results["limit=100 (first page)"][0]
    expand_queries = results["limit=100&expand=item,variant"][1]
    print("\nfigure                                          measured     target")
    print(f"{'status=low_stock&limit=100, p50':46} {low_p50:8.1f} ms   under 20 ms")
    print(f"{'page near the end / first page':46} {ratio:8.2f}x     under 1.2x")
    print(f"{'expand=item,variant, queries':46} {expand_queries:8}      at most 5")

    if os.environ.get("BENCH_READS_EXPLAIN"):
        print("\nEXPLAIN ANALYZE of each list's page query")
        for label, url in lists[:9]:
            _explain(timer, label, url)


if __name__ == "__main__":
    main()
