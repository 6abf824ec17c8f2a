"""A PostgreSQL outage under a live gunicorn: while the database is down every door answers
503 in its own error shape with Retry-After (the admin a plain 503 page), never a 500; when
it is back the service answers again by itself. The test runs its own cluster on a free
port, so it can stop and start it."""

import contextlib
import http.client
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tests import live
from tests.live import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")

pytestmark = [
    pytest.mark.skipif(not (PG_BIN / "initdb").exists(), reason="needs PostgreSQL 15 binaries"),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="runs once, on the SQLite pass: it starts its own PostgreSQL cluster",
    ),
]


class Cluster:
    """A throwaway PostgreSQL cluster (run as the postgres user when we are root: initdb
    refuses root)."""

    def __init__(self, directory: Path, port: int):
        self.directory, self.port = directory, port
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *args, timeout=60):
        subprocess.run([*self.as_postgres, *args], check=True, capture_output=True, timeout=timeout)

    def init(self):
        if self.as_postgres:
            shutil.chown(self.directory, "postgres")
        self.run(
            str(PG_BIN / "initdb"), "-D", str(self.directory / "data"), "-U", "postgres",
            "--auth=trust", "-E", "UTF8", "--no-sync",
        )  # fmt: skip

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.directory / "data"), "-o", options,
            "-l", str(self.directory / "log"), "-w", "start",
        )  # fmt: skip

    def stop(self):
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "fast", "stop")


def call(port, method, path, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    payload = json.dumps(body).encode() if body is not None else None
    headers = {**(headers or {}), **({"Content-Type": "application/json"} if payload else {})}
    connection.request(method, path, body=payload, headers=headers)
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


@pytest.fixture
def outage_server():
    # Not under pytest's tmp_path: its parents are private to root, and the cluster runs as
    # the postgres user.
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="outage-pg-")), free_port())
    cluster.init()
    cluster.start()
    try:
        database = f"postgres://postgres@127.0.0.1:{cluster.port}/postgres"
        with live.gunicorn(database, company="Outage Co", GUNICORN_THREADS="4") as (port, key):
            for _ in range(100):  # gunicorn listens before Django is loaded
                try:
                    call(port, "GET", "/openapi.json")
                    break
                except OSError:
                    time.sleep(0.2)
            yield cluster, port, key
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            cluster.stop()
        shutil.rmtree(cluster.directory, ignore_errors=True)


def requests_of(key):
    """(door, method, path, headers, body) touching the database in each door."""
    bearer = {"Authorization": f"Bearer {key}"}
    feed = {"upc": "012345678905", "store": "nowhere", "quantity": 1}
    return [
        ("rootfi", "GET", "/v4/ecommerce/inventories", {"api_key": key}, None),
        ("rootfi", "POST", "/v4/ecommerce/inventories", {"api_key": key}, {"sku": "X"}),
        ("zettle", "GET", "/organizations/self/locations", bearer, None),
        ("zettle", "PUT", "/organizations/self/inventory", bearer, {"changes": []}),
        ("storefeed", "POST", "/api/product/inventory", bearer, feed),
        # A session cookie makes the admin read the session table.
        ("admin", "GET", "/admin/", {"Cookie": "sessionid=" + "s" * 32}, None),
    ]


def assert_unavailable(door, status, headers, body):
    assert status == 503, (door, status, body)
    assert headers.get("Retry-After", "").isdigit(), (door, headers)
    if door == "admin":
        assert headers["Content-Type"].startswith("text/html")
        assert b"Service unavailable" in body
        return
    answer = json.loads(body)
    if door == "rootfi":
        assert answer["error"]["code"] == "SERVICE_UNAVAILABLE" and answer["request_id"]
    elif door == "zettle":
        assert answer["errorType"] == "SERVICE_UNAVAILABLE" and answer["violations"] == []
    else:
        assert list(answer) == ["error"] and "database" in answer["error"]


def test_outage_answers_503_in_each_doors_shape_and_the_service_recovers(outage_server):
    cluster, port, key = outage_server
    requests = requests_of(key)
    healthy = [call(port, m, p, h, b)[0] for _, m, p, h, b in requests]
    assert all(status < 500 for status in healthy), healthy

    # Requests keep arriving while the database goes down: none may be a 500.
    seen, stop = [], threading.Event()

    def hammer():
        while not stop.is_set():
            for door, method, path, headers, body in requests:
                try:
                    seen.append((door, *call(port, method, path, headers, body)))
                except OSError as error:  # pragma: no cover - a failure to report
                    seen.append((door, 0, {}, str(error).encode()))

    worker = threading.Thread(target=hammer)
    worker.start()
    time.sleep(0.3)
    cluster.stop()
    time.sleep(0.5)
    stop.set()
    worker.join(timeout=60)
    assert seen and all(status in (200, 201, 302, 400, 404, 503) for _, status, *_ in seen), [
        b[:3000] for d, s, h, b in seen if s == 500
    ][:1] + [(door, status, body[:200]) for door, status, _, body in seen if status >= 500 != 503]

    for door, method, path, headers, body in requests:
        assert_unavailable(door, *call(port, method, path, headers, body))

    cluster.start()
    deadline = time.monotonic() + 20
    while True:
        statuses = [call(port, m, p, h, b)[0] for _, m, p, h, b in requests]
        if statuses == healthy or time.monotonic() > deadline:
            break
        assert set(statuses) <= set(healthy) | {503}, statuses
        time.sleep(0.5)
    assert statuses == healthy
