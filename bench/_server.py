"""Gunicorn for the benches: the project's gunicorn.conf.py on a port of the bench's own,
with production settings (DEBUG off: no per-query logging), plain HTTP on the loopback,
the V4 rate limit off (one key sends all the load), answering once Django is loaded."""

import os
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


def serve(port: int, *, workers: int, threads: int | None = None) -> subprocess.Popen:
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ROOTFI_RATE_LIMIT": "off",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret"),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
    }
    if threads is not None:
        env["GUNICORN_THREADS"] = str(threads)
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "inventory_site.wsgi",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            requests.get(f"http://127.0.0.1:{port}/v4/ecommerce/inventories", timeout=5)
            return proc
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("gunicorn did not start")
