"""Gunicorn settings, read from the project root (``gunicorn inventory_site.wsgi``)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(4, multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 60
accesslog = "-"
# RootFi's auth header is `api_key`. Gunicorn drops headers with underscores unless told
# otherwise (CVE-2024-1135 hardening); the header reaches Django as HTTP_API_KEY.
header_map = "dangerous"
