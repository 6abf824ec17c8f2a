"""Where an import's time goes: cProfile of `import_inventory` of BENCH_IMPORT_ROWS rows
(default 100,000) into a new company on PostgreSQL; with PROFILE_REIMPORT=1, of importing
the same file a second time (nothing new, nothing changes). Not a `bench_` module: run it
by hand, `python -m bench.profile_import`.

Database: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/inv_bench_import."""

import cProfile
import io
import os
import tempfile
import time
import uuid

from bench._db import prepare_database
from bench._profile import report
from bench.bench_import import DEFAULT_URL, _write_file


def main() -> None:
    prepare_database(DEFAULT_URL)
    from django.core.management import call_command

    from apps.locations.models import Location
    from apps.tenancy.models import Company

    rows_wanted = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    tag = uuid.uuid4().hex[:6].upper()
    company = Company.objects.create(name=f"Profile import {tag}")
    Location.objects.create(company=company, name="North", store_code="north")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "import.csv")
        rows = _write_file(path, rows_wanted // 2, tag)
        if os.environ.get("PROFILE_REIMPORT") == "1":
            call_command("import_inventory", path, company=company.name, stdout=io.StringIO())
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        call_command("import_inventory", path, company=company.name, stdout=io.StringIO())
        profile.disable()
        took = time.perf_counter() - started
    print(f"import of {rows} rows: {took:.1f} s under cProfile")
    report(profile)


if __name__ == "__main__":
    main()
