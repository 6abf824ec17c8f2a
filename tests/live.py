"""A gunicorn of the project (its gunicorn.conf.py) over a database of its own, for tests
that need a real socket: chunked bodies, schemathesis, a database outage."""

import os
import socket
import subprocess
import time
from contextlib import contextmanager

from tests.api.rootfi.test_gunicorn_header import ROOT, VENV_BIN, free_port, manage


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
