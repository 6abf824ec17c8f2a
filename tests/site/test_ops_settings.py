"""The ops settings read from the environment: replicas, PgBouncer, logs, gunicorn's log."""

import json
import os
import subprocess
import sys
from pathlib import Path

from gunicorn.glogging import Logger

from apps.ops.gunicorn import ProbeQuietLogger

ROOT = Path(__file__).resolve().parents[2]

SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'aliases': sorted(s.DATABASES), 'routers': getattr(s, 'DATABASE_ROUTERS', []), "
    "'replica': s.DATABASES.get('replica_1', {}), 'default': s.DATABASES['default'], "
    "'sticky': s.REPLICA_STICKY_SECONDS, 'handler': s.LOGGING['handlers']['console']}, "
    "default=str))"
)


def settings_with(**env) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", SHOW],
        cwd=ROOT,
        env={**base, "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_replicas_pgbouncer_and_json_logs_from_the_environment():
    shown = settings_with(
        DATABASE_URL="postgres://app@127.0.0.1:6432/inventory",
        DATABASE_REPLICA_URLS=" postgres://app@10.0.0.2/inventory, postgres://app@10.0.0.3/inventory",
        DATABASE_PGBOUNCER="1",
        REPLICA_STICKY_SECONDS="3",
        DJANGO_LOG_FORMAT="json",
    )
    assert shown["aliases"] == ["default", "replica_0", "replica_1"]
    assert shown["routers"] == ["apps.ops.routing.ReplicaRouter"]
    assert shown["replica"]["HOST"] == "10.0.0.3"
    assert shown["replica"]["TEST"]["MIRROR"] == "default"
    for db in (shown["default"], shown["replica"]):
        assert db["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert db["OPTIONS"]["prepare_threshold"] is None
    assert shown["sticky"] == 3
    assert shown["handler"]["formatter"] == "json"


def test_without_them_one_database_no_router_and_plain_logs():
    shown = settings_with(DATABASE_URL="postgres://app@127.0.0.1:5432/inventory")
    assert shown["aliases"] == ["default"]
    assert shown["routers"] == []
    assert (
        "DISABLE_SERVER_SIDE_CURSORS" not in shown["default"]
        or not shown["default"]["DISABLE_SERVER_SIDE_CURSORS"]
    )
    assert "formatter" not in shown["handler"]


def test_gunicorns_access_log_leaves_out_the_probes(monkeypatch):
    logged = []
    monkeypatch.setattr(Logger, "access", lambda self, resp, req, environ, t: logged.append(req))
    quiet = ProbeQuietLogger.__new__(ProbeQuietLogger)
    for path in ("/healthz", "/readyz/", "/metrics", "/v4/ecommerce/inventories"):
        quiet.access(None, path, {"PATH_INFO": path}, 0.01)
    assert logged == ["/v4/ecommerce/inventories"]
