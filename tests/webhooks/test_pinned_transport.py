"""The delivery's pinned connection (apps/webhooks/transport.py) over real TLS: it connects
to the address given, never looks the name up, and still speaks to the URL's host: Host
header, SNI and certificate verification all name it."""

import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from apps.webhooks import transport

HOST = "hooks.example.test"  # .test names never resolve (RFC 6761)

pytestmark = pytest.mark.skipif(not shutil.which("openssl"), reason="needs the openssl CLI")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={HOST}",
         "-addext", f"subjectAltName=DNS:{HOST}"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(certificate):
    cert, key = certificate
    seen = {"sni": [], "host": []}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen["host"].append(self.headers["Host"])
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: seen["sni"].append(name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port, cert, seen
    server.shutdown()
    server.server_close()


def test_a_pinned_post_reaches_the_address_and_speaks_to_the_hostname(tls_server):
    port, cert, seen = tls_server
    session = requests.Session()

    with transport.pinned(session, "127.0.0.1"):
        response = session.post(f"https://{HOST}:{port}/in", data=b"{}", verify=cert, timeout=5)

    assert response.status_code == 200
    assert seen["sni"] == [HOST]
    assert seen["host"] == [f"{HOST}:{port}"]
    assert session.get_adapter("https://x").__class__ is requests.adapters.HTTPAdapter


def test_the_certificate_is_verified_for_the_hostname_not_the_address(tls_server):
    port, cert, seen = tls_server
    session = requests.Session()

    with transport.pinned(session, "127.0.0.1"), pytest.raises(requests.exceptions.SSLError):
        session.post(f"https://other.example.test:{port}/in", data=b"{}", verify=cert, timeout=5)
    assert seen["host"] == []
