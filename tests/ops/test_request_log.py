"""One log line per request, and one request id in the line, the header and the error body."""

import json
import logging
import uuid

import pytest

from apps.ops.logs import JsonFormatter

from .servers import manage_run, service_env

FIELDS = {"request_id", "company", "door", "method", "path", "status", "duration_ms", "queries"}


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="inventory.request")

    def records():
        return [r for r in caplog.records if r.name == "inventory.request"]

    return records


def test_a_request_logs_its_company_door_route_status_and_queries(api, company, request_log):
    response = api.get("/v4/ecommerce/inventories?limit=5")
    assert response.status_code == 200
    (line,) = request_log()
    assert line.request_id == response["X-Request-ID"]
    assert (line.company, line.door, line.method, line.status) == (company.pk, "rootfi", "GET", 200)
    assert line.path == "v4/ecommerce/inventories"
    assert line.queries >= 1
    assert line.duration_ms > 0


def test_an_error_body_carries_the_logged_request_id(api, request_log):
    response = api.get("/v4/ecommerce/inventories/987654321")
    assert response.status_code == 404
    (line,) = request_log()
    assert response.json()["request_id"] == response["X-Request-ID"] == line.request_id
    assert line.path == "v4/ecommerce/inventories/<str:ident>"


def test_a_proxys_uuid_request_id_is_kept_and_anything_else_replaced(api):
    given = str(uuid.uuid4())
    kept = api.get("/v4/ecommerce/inventories/987654321", HTTP_X_REQUEST_ID=given)
    assert kept.json()["request_id"] == kept["X-Request-ID"] == given
    injected = api.get("/v4/ecommerce/inventories/1", HTTP_X_REQUEST_ID='x" injected=1')
    assert injected["X-Request-ID"] != 'x" injected=1'
    uuid.UUID(injected["X-Request-ID"])


def test_each_door_is_named(client, db, request_log):
    client.get("/organizations/self/locations", HTTP_AUTHORIZATION="Bearer nope")
    client.post("/api/product/inventory", {}, HTTP_AUTHORIZATION="Bearer nope")
    client.get("/admin/login/")
    assert [(r.door, r.status) for r in request_log()] == [
        ("zettle", 401),
        ("storefeed", 401),
        ("admin", 200),
    ]
    assert request_log()[2].path == "admin/login/"


def test_json_format_writes_one_parseable_line_per_request():
    script = "from django.test import Client; Client().get('/v4/ecommerce/inventories')"
    env = service_env(
        DJANGO_LOG_FORMAT="json",
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL="sqlite:///:memory:",
    )
    stderr = manage_run("shell", "-v0", "-c", script, env=env).stderr
    lines = [json.loads(line) for line in stderr.splitlines()]
    (line,) = [line for line in lines if line["logger"] == "inventory.request"]
    assert FIELDS | {"time", "level", "message"} <= set(line)
    assert (line["door"], line["status"], line["path"]) == (
        "rootfi",
        401,
        "v4/ecommerce/inventories",
    )
    assert line["company"] is None
    assert line["queries"] == 0


def test_the_formatter_leaves_out_request_fields_of_other_lines():
    record = logging.LogRecord("django", logging.WARNING, __file__, 1, "disk %s", ("full",), None)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "disk full"
    assert line["level"] == "WARNING"
    assert not FIELDS & set(line)
