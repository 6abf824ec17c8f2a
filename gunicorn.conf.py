"""Gunicorn settings, read from the project root (``gunicorn inventory_site.wsgi``)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(4, multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# "-" is standard output; empty turns the access log off (DJANGO_LOG_FORMAT=json writes a
# richer line per request). Probes (/healthz, /readyz) are never written to it.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
logger_class = "apps.ops.gunicorn.ProbeQuietLogger"
# RootFi's auth header is `api_key`. Gunicorn drops headers with underscores unless told
# otherwise (CVE-2024-1135 hardening); the header reaches Django as HTTP_API_KEY.
header_map = "dangerous"


def child_exit(server, worker):
    # prometheus_client's multiprocess mode: a dead worker's live gauges leave the sums.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
