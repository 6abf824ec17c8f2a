"""Posting to the address the guard checked (destinations.address_for_delivery).

Resolving a name to check it and letting the HTTP client resolve it again leaves a window:
a name that answered a public address to the check may answer 127.0.0.1 to the client (DNS
rebinding). So a delivery's connection opens its socket to the checked address, and to
nothing else, while everything above the socket is the URL's: the Host header, TLS SNI and
certificate verification all name the hostname, as without pinning.

The socket is opened in `_new_conn`, the hook urllib3's own SOCKS support overrides
(urllib3.contrib.socks) for the same reason: it is the one place a connection connects."""

import socket
from contextlib import contextmanager

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection


class _Pinned:
    pinned_address: str  # set on the classes made per address (see _pools)

    def _new_conn(self) -> socket.socket:
        try:
            return connection.create_connection(
                (self.pinned_address, self.port),
                self.timeout,
                source_address=self.source_address,
                socket_options=self.socket_options,
            )
        except TimeoutError as error:
            raise ConnectTimeoutError(
                self, f"Connection to {self.host} ({self.pinned_address}) timed out."
            ) from error
        except OSError as error:
            raise NewConnectionError(
                self, f"Failed to connect to {self.host} at {self.pinned_address}: {error}"
            ) from error


class PinnedHTTPConnection(_Pinned, HTTPConnection):
    pass


class PinnedHTTPSConnection(_Pinned, HTTPSConnection):
    pass


def _pools(address: str) -> dict[str, type]:
    """Connection pool classes whose connections open their socket to `address`."""
    http = type("PinnedHTTP", (PinnedHTTPConnection,), {"pinned_address": address})
    https = type("PinnedHTTPS", (PinnedHTTPSConnection,), {"pinned_address": address})
    return {
        "http": type("PinnedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
        "https": type("PinnedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https}),
    }


class PinnedAdapter(HTTPAdapter):
    """A requests adapter whose every connection goes to `address`."""

    def __init__(self, address: str, **kwargs):
        self.address = address  # before HTTPAdapter.__init__, which makes the pool manager
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _pools(self.address)


@contextmanager
def pinned(session: requests.Session, address: str | None):
    """Within the block, `session` connects to `address` whatever the URL's host resolves
    to now (None: as usual, the guard being lifted)."""
    if address is None:
        yield session
        return
    kept = dict(session.adapters)
    adapter = PinnedAdapter(address)
    for scheme in ("https://", "http://"):
        session.mount(scheme, adapter)
    try:
        yield session
    finally:
        session.adapters.clear()
        session.adapters.update(kept)
        adapter.close()
