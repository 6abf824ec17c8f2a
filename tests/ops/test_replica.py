"""Read replicas end to end: a primary made with initdb, a streaming standby made with
pg_basebackup -R, the service under gunicorn with DATABASE_REPLICA_URLS.

Replay on the standby is paused so that it lags visibly: a read that shows the old figure
was served by the replica, one that shows the new figure by the primary."""

import time

import pytest
import requests

from .pgcluster import Cluster
from .servers import Gunicorn, manage, service_env

# PostgreSQL of their own, once per `make test` (the PostgreSQL pass), not on SQLite too.
pytestmark = pytest.mark.postgres

INVENTORIES = "/v4/ecommerce/inventories"


def two_keys(env) -> tuple[str, str]:
    script = (
        "from tests import factories; company = factories.company('Acme'); "
        "print(factories.api_key(company)[1]); print(factories.api_key(company)[1])"
    )
    return tuple(manage("shell", "-c", script, env=env).split()[-2:])


@pytest.fixture(scope="module")
def clusters():
    primary = Cluster.primary()
    standby = None
    try:
        env = service_env(DATABASE_URL=primary.url)
        manage("migrate", "--noinput", "-v0", env=env)
        keys = two_keys(env)
        standby = primary.standby()
        yield primary, standby, keys
    finally:
        if standby is not None:
            standby.remove()
        primary.remove()


@pytest.fixture(scope="module")
def server(clusters):
    primary, standby, _ = clusters
    gunicorn = Gunicorn(
        service_env(
            DATABASE_URL=primary.url,
            DATABASE_REPLICA_URLS=standby.url,
            REPLICA_STICKY_SECONDS="30",
        )
    )
    yield gunicorn
    gunicorn.stop()


def until(check, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_lists_and_retrieves_read_the_replica_and_a_writer_reads_its_own_write(clusters, server):
    primary, standby, (writer, reader) = clusters
    assert standby.sql("SELECT pg_is_in_recovery()") == "t"

    def call(method, path, key, headers=(), **kwargs):
        headers = {"api_key": key, **dict(headers)}
        return requests.request(method, server.base + path, headers=headers, timeout=10, **kwargs)

    assert call("POST", "/v4/payments/items", writer, json={"name": "Boot", "sku": "B-1"}).ok
    created = call("POST", INVENTORIES, writer, json={"sku": "B-1", "quantity": 10})
    assert created.status_code == 201, created.text
    record = f"{INVENTORIES}/{created.json()['rootfi_id']}"
    until(lambda: call("GET", record, reader).status_code == 200)

    standby.sql("SELECT pg_wal_replay_pause()")
    try:
        before = call("GET", record, reader).json()
        written = call("PUT", record, writer, json={"quantity": 44})
        assert written.status_code == 200, written.text

        # The writer reads its own write: its reads go to the primary for a while.
        assert call("GET", record, writer).json()["quantity"] == 44
        assert [r["quantity"] for r in call("GET", INVENTORIES, writer).json()["data"]] == [44]
        # Another key's list and retrieve come from the paused standby: the old figure.
        assert call("GET", record, reader).json()["quantity"] == 10
        assert [r["quantity"] for r in call("GET", INVENTORIES, reader).json()["data"]] == [10]
        # An If-Match check is the primary's: the tag the reader saw on the replica is stale.
        stale = call(
            "PUT",
            record,
            reader,
            json={"quantity": 1},
            headers={"If-Match": f'"{before["data_hash"]}"'},
        )
        assert stale.status_code == 412, stale.text
        assert primary.sql("SELECT quantity FROM inventory_inventoryrecord") == "44"
    finally:
        standby.sql("SELECT pg_wal_replay_resume()")

    until(lambda: call("GET", record, reader).json()["quantity"] == 44)


def test_a_replica_that_goes_away_leaves_reads_to_the_primary(clusters, server):
    _, standby, (_, reader) = clusters
    standby.stop()
    response = requests.get(server.base + INVENTORIES, headers={"api_key": reader}, timeout=10)
    assert response.status_code == 200, server.output()[-3000:]
    assert [r["quantity"] for r in response.json()["data"]] == [44]
    assert requests.get(server.base + "/readyz", timeout=10).json()["status"] == "ok"
