"""RootFi's `api_key` header (with an underscore) over a real socket through gunicorn and
the project's gunicorn.conf.py: gunicorn drops such headers unless told otherwise."""

import http.client
import os

import pytest

from tests import live

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs once, on the SQLite pass: it builds its own SQLite database file",
)


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
    with live.gunicorn(f"sqlite:///{tmp_path / 'gunicorn.db'}", company="Socket Co") as served:
        yield served


def test_api_key_header_with_underscore_reaches_the_door(server):
    port, key = server
    status, body = get(port, {"api_key": key})
    assert status == 200, body
    assert b'"data":[]' in body
    status, body = get(port, {})
    assert status == 401
    assert b'"UNAUTHORIZED"' in body
