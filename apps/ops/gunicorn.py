"""Gunicorn's access log without the probes: a load balancer asking /healthz every few
seconds would otherwise be most of the log."""

from gunicorn.glogging import Logger

QUIET_PATHS = {"/healthz", "/healthz/", "/readyz", "/readyz/", "/metrics", "/metrics/"}


class ProbeQuietLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") in QUIET_PATHS:
            return
        super().access(resp, req, environ, request_time)
