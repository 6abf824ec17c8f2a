"""RootFi's `api_key` header (with an underscore) over a real socket through gunicorn and
the project's gunicorn.conf.py: gunicorn drops such headers unless told otherwise."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
VENV_BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs once, on the SQLite pass: it builds its own SQLite database file",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def get(port, headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", "/v4/ecommerce/inventories")
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    return response.status, response.read()


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'gunicorn.db'}",
        "DJANGO_DEBUG": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    manage(env, "migrate", "--noinput")
    key = (
        manage(env, "create_api_key", "--company", "Socket Co", "--create-company")
        .strip()
        .splitlines()[-1]
    )
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "inventory_site.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(process.stderr.read().decode()) from None
                time.sleep(0.2)
        yield port, key
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_api_key_header_with_underscore_reaches_the_door(server):
    port, key = server
    status, body = get(port, {"api_key": key})
    assert status == 200, body
    assert b'"data":[]' in body
    status, body = get(port, {})
    assert status == 401
    assert b'"UNAUTHORIZED"' in body
