"""Where a write's time goes: cProfile of the Zettle PUT (1,000 lines, and 1 line many
times) in-process through Django's test client on PostgreSQL, the top functions by own and
cumulative time. Not a `bench_` module (`make bench` skips it): run it by hand when a
speed target is missed, `python -m bench.profile_writes [1000|1] [N]`.

Database: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/inv_bench_writes."""

import cProfile
import json
import sys
import time

from bench._db import prepare_database
from bench._profile import report


def main(lines: int = 1000, repeat: int = 3) -> None:
    prepare_database("postgres://postgres@127.0.0.1:5432/inv_bench_writes")
    from django.test import Client

    from apps.inventory import services
    from bench.bench_writes import _company, _sale

    company, store, variants, _, secret = _company(max(2000, lines))
    sold = services.virtual_locations(company).sold
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    path = "/organizations/self/inventory"

    def put(chunk):
        body = json.dumps({"changes": [_sale(v, store, sold) for v in chunk]})
        response = client.put(path, data=body, content_type="application/json", secure=True)
        assert response.status_code == 200, response.content[:300]

    put(variants[:lines])  # warm: the first request imports and caches
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for n in range(repeat):
        start = (n * lines) % (len(variants) - lines + 1)
        put(variants[start : start + lines])
    profile.disable()
    took = time.perf_counter() - started
    print(f"{repeat} PUTs of {lines} lines: {took / repeat * 1000:.1f} ms each (under cProfile)")
    report(profile)


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*args)
