"""The service through PgBouncer in transaction pooling mode (deploy/pgbouncer.ini).

A PostgreSQL of the test's own (initdb, free port) behind a PgBouncer from Debian's package
(free port), started from the sample configuration with only ports and paths replaced. Engine,
concurrency, idempotency, RootFi write and export tests then run in a pytest of their
own with DATABASE_URL pointing at PgBouncer and DATABASE_PGBOUNCER=1. Everything is removed
afterwards."""

import configparser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .pgcluster import ROOT, Cluster, as_server_user, free_port, psql, require, run, server_dir
from .servers import service_env

# PostgreSQL of their own, once per `make test` (the PostgreSQL pass), not on SQLite too.
pytestmark = pytest.mark.postgres

THROUGH_PGBOUNCER = [
    "tests/inventory/test_concurrency.py",
    "tests/inventory/test_services_move.py",
    "tests/inventory/test_idempotency.py",
    "tests/api/rootfi/test_inventories_write.py",
    "tests/commands/test_export_inventory.py",
]


def pgbouncer_binary() -> str:
    return require(shutil.which("pgbouncer") or shutil.which("/usr/sbin/pgbouncer"), "pgbouncer")


class PgBouncer:
    def __init__(self, server_port: int):
        self.binary = pgbouncer_binary()
        self.dir = server_dir("pgbouncer-")
        self.port = free_port()
        config = configparser.ConfigParser(interpolation=None)
        config.read(ROOT / "deploy" / "pgbouncer.ini")
        config["databases"] = {"*": f"host=127.0.0.1 port={server_port}"}
        config["pgbouncer"].update(
            listen_port=str(self.port),
            unix_socket_dir="",
            auth_type="trust",
            auth_file=str(self.dir / "userlist.txt"),
            logfile=str(self.dir / "pgbouncer.log"),
            pidfile=str(self.dir / "pgbouncer.pid"),
        )
        assert config["pgbouncer"]["pool_mode"] == "transaction"
        (self.dir / "userlist.txt").write_text('"postgres" ""\n')
        with open(self.dir / "pgbouncer.ini", "w") as ini:
            config.write(ini)
        if os.geteuid() == 0:
            for name in ("userlist.txt", "pgbouncer.ini"):
                shutil.chown(self.dir / name, "postgres", "postgres")
        run(as_server_user([self.binary, "-d", str(self.dir / "pgbouncer.ini")]))

    def url(self, db="inventory") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def admin(self, command: str) -> str:
        return psql(self.port, "pgbouncer", "-F", "|", "-c", command)

    def stop(self) -> None:
        pidfile = Path(self.dir) / "pgbouncer.pid"
        if pidfile.exists():
            subprocess.run(["kill", pidfile.read_text().strip()], check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def pgbouncer():
    pgbouncer_binary()
    cluster = Cluster.primary()
    bouncer = None
    try:
        bouncer = PgBouncer(cluster.port)
        yield bouncer
    finally:
        if bouncer is not None:
            bouncer.stop()
        cluster.remove()


def test_engine_api_and_concurrent_writes_pass_through_pgbouncer(pgbouncer):
    run_id = "pgbouncer"
    result = subprocess.run(
        # --reuse-db: PgBouncer keeps server connections to the test database in its pool,
        # so Django's DROP DATABASE would wait on them; the cluster goes away whole instead.
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "--reuse-db",
            *THROUGH_PGBOUNCER,
        ],
        cwd=ROOT,
        env=service_env(
            DATABASE_URL=pgbouncer.url(),
            DATABASE_PGBOUNCER="1",
            PYTEST_XDIST_TESTRUNUID=run_id,
        ),
        capture_output=True,
        text=True,
        timeout=900,
    )
    tail = result.stdout[-4000:] + result.stderr[-2000:]
    assert result.returncode == 0, tail
    passed = re.search(r"(\d+) passed", result.stdout)
    assert passed and int(passed.group(1)) >= 45, tail
    # The concurrent writers really ran (they skip on anything but PostgreSQL).
    assert not re.search(r"SKIPPED .*test_concurrency", result.stdout), tail

    stats = {line.split("|")[0]: line.split("|") for line in pgbouncer.admin("SHOW STATS").split()}
    test_db = next(name for name in stats if name.startswith("test_inventory"))
    assert int(stats[test_db][1]) > 100  # total_xact_count through the pool
    assert "transaction" in pgbouncer.admin("SHOW CONFIG")
