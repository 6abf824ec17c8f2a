"""/healthz and /readyz: JSON, no authentication, any Host, plain HTTP, no rate limit, no log."""

import logging

import pytest
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from .pgcluster import free_port
from .servers import manage, service_env

PROBE_HOST = "10.0.0.7:8000"  # a load balancer asks by address


@pytest.fixture
def production_like(settings):
    settings.ALLOWED_HOSTS = ["inventory.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def test_healthz_answers_any_host_over_http_without_the_database(
    client, db, production_like, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Content-Type"] == "application/json"
    # The same Host and scheme anywhere else: refused, or sent to HTTPS.
    assert client.get("/admin/login/", HTTP_HOST=PROBE_HOST).status_code == 400
    redirect = client.get("/admin/login/", HTTP_HOST="inventory.example.com")
    assert redirect.status_code == 301
    assert redirect["Location"].startswith("https://")


def test_readyz_is_ok_when_every_migration_is_applied(client, db, production_like):
    response = client.get("/readyz/", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "applied"}


def test_readyz_is_503_naming_a_migration_not_applied(client, db):
    app, name = max(n for n in MigrationLoader(None).graph.leaf_nodes() if n[0] == "inventory")
    MigrationRecorder.Migration.objects.filter(app=app, name=name).delete()
    response = client.get("/readyz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "pending_migrations": [f"{app}.{name}"],
    }


def test_readyz_is_503_when_the_database_does_not_answer_and_healthz_still_200():
    script = (
        "from django.test import Client; c = Client(); r = c.get('/readyz'); "
        "print(r.status_code, r.json()['status']); print(c.get('/healthz').status_code)"
    )
    nowhere = f"postgres://postgres@127.0.0.1:{free_port()}/inventory"
    out = manage(
        "shell",
        "-v0",
        "-c",
        script,
        env=service_env(DATABASE_URL=nowhere, DJANGO_ALLOWED_HOSTS="x"),
    )
    assert out.split() == ["503", "unavailable", "200"]


def test_probes_take_no_other_method(client):
    response = client.post("/healthz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_probes_are_not_rate_limited_nor_logged(client, api, settings, caplog):
    settings.ROOTFI_RATE_LIMIT = "1/min"
    caplog.set_level(logging.INFO, logger="inventory.request")
    assert api.get("/v4/ecommerce/inventories").status_code == 200
    assert api.get("/v4/ecommerce/inventories").status_code == 429
    logged = [r for r in caplog.records if r.name == "inventory.request"]
    assert [r.status for r in logged] == [200, 429]
    caplog.clear()
    for _ in range(5):
        assert client.get("/healthz", HTTP_HOST=PROBE_HOST).status_code == 200
        assert client.get("/readyz", HTTP_HOST=PROBE_HOST).status_code == 200
    assert caplog.records == []
