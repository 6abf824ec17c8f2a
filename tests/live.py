"""A gunicorn of the project (its gunicorn.conf.py) over a database of its own, for tests
that need a real socket: chunked bodies, schemathesis, a database outage."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


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


@contextmanager
def gunicorn(database_url: str, *, company: str, seed: bool = False, **env_extra):
    """Migrate `database_url`, make a write key for `company` (after seed_demo when `seed`),
    serve it, and yield (port, key)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        **env_extra,
    }
    manage(env, "migrate", "--noinput")
    if seed:
        manage(env, "seed_demo")
    key = manage(
        env, "create_api_key", "--company", company, *([] if seed else ["--create-company"])
    )
    key = key.strip().splitlines()[-1]
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "inventory_site.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "no gunicorn"
                time.sleep(0.2)
        yield port, key
    finally:
        server.terminate()
        server.wait(timeout=10)
