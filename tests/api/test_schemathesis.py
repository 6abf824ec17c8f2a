"""Schemathesis (4.x) against the live /openapi.json of a gunicorn serving a company with
data, authenticated for every door, with the stateful phase following the document's links
so detail endpoints get real ids: 0 failures of every default check, within a bounded
budget. `make fuzz` runs the same longer (schemathesis.toml holds the shared settings)."""

import json
import os
import re
import subprocess
import urllib.request

import pytest

from tests import live
from tests.live import ROOT, VENV_BIN

BUDGET_SECONDS = int(os.environ.get("SCHEMATHESIS_BUDGET", "75"))

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs once, on the SQLite pass: it builds its own SQLite database file",
)


def run_schemathesis(url: str, key: str, config, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(VENV_BIN / "schemathesis"), "--config-file", str(config),
            "run", f"{url}/openapi.json",
            "-H", f"api_key: {key}", "-H", f"Authorization: Bearer {key}",
            "--no-color", *options,
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=BUDGET_SECONDS * 3,
    )  # fmt: skip


@pytest.fixture
def demo_server(tmp_path):
    database = f"sqlite:///{tmp_path / 'schemathesis.db'}"
    with live.gunicorn(
        database,
        company="Demo Outfitters",
        seed=True,
        GUNICORN_THREADS="4",
        ROOTFI_RATE_LIMIT="off",
    ) as (port, key):
        yield f"http://127.0.0.1:{port}", key


def get(url, path, headers):
    request = urllib.request.Request(url + path, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def config_with_real_ids(url, key, tmp_path):
    """The project's schemathesis.toml plus path parameters naming the demo's objects, so
    generated requests reach the endpoints' logic, not only their 404."""
    bearer = {"Authorization": f"Bearer {key}"}
    store = next(
        loc["uuid"] for loc in get(url, "/organizations/self/locations", bearer) if loc["default"]
    )
    [balance, *_] = get(url, f"/organizations/self/inventory/locations/{store}", bearer)["variants"]
    project = (ROOT / "schemathesis.toml").read_text()
    assert project.rstrip().rsplit("\n[", 1)[-1].startswith("parameters]")  # the last table
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        project
        + f'"path.location" = "{store}"\n'
        + f'"path.product" = "{balance["productUuid"]}"\n'
        + f'"path.variant" = "{balance["variantUuid"]}"\n'
    )
    return config


def test_schemathesis_finds_no_failure(demo_server, tmp_path):
    url, key = demo_server
    config = config_with_real_ids(url, key, tmp_path)
    done = run_schemathesis(
        url, key, config,
        "--max-time", str(BUDGET_SECONDS), "--max-examples", "12",
        "--seed", "1", "--workers", "1",
    )  # fmt: skip
    failures = done.stdout.partition("= FAILURES =")[2].partition("= WARNINGS =")[0]
    summary = done.stdout[-1500:]
    assert done.returncode == 0, (failures[:20000] or done.stdout[-5000:]) + summary
    generated = re.search(r"(\d+) generated", done.stdout)
    assert generated and int(generated.group(1)) > 500, summary
    assert "Stateful" in done.stdout and "0 failures" not in summary.replace("No failures", "")
