"""The V4 door's rate limit: requests per API key, counted in Django's default cache.

The rate is `settings.ROOTFI_RATE_LIMIT`, else the `ROOTFI_RATE_LIMIT` environment variable,
else 1200 a minute; DRF's form (`"1200/min"`, `"50/s"`, `"10000/hour"`); `off` disables it.
The count lives in the default cache, so with several server processes the cache must be a
shared one (a per-process local-memory cache lets each process allow the full rate)."""

import os

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

DEFAULT_RATE = "1200/min"
OFF = {"", "off", "none", "0"}


def configured_rate() -> str | None:
    rate = getattr(settings, "ROOTFI_RATE_LIMIT", None)
    if rate is None:
        rate = os.environ.get("ROOTFI_RATE_LIMIT", DEFAULT_RATE)
    rate = str(rate).strip()
    return None if rate.lower() in OFF else rate


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Counts per API key (its hash, so no two keys share a count); a request without a
    valid key is refused by authentication before it is counted."""

    scope = "rootfi"
    cache_format = "throttle_rootfi_%(ident)s"

    def get_rate(self):
        return configured_rate()

    def get_cache_key(self, request, view):
        key = getattr(request, "auth", None)
        key_hash = getattr(key, "key_hash", None)
        if not key_hash:
            return None
        return self.cache_format % {"ident": key_hash}
