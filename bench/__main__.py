"""`make bench`: run every bench/bench_*.py module's `main()` and print its figures.

Benchmarks print figures (rows/s, p50/p99, ratios); they never assert on wall time and
never run inside the test suite. Each module documents the database it wants (most use
PostgreSQL through DATABASE_URL, defaulting to a database of its own)."""

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    wanted = set(sys.argv[1:])
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    for name in names:
        if wanted and name not in wanted:
            continue
        print(f"\n== {name}", flush=True)
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
