"""/openapi.json is a valid OpenAPI 3 document that documents the store feed, and the store
feed answers every generated body (valid or not) without a server error, in the shapes the
document promises."""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given, settings
from rest_framework.test import APIClient
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.storefeed.helpers import demo

STORE_FEED = "/api/product/inventory"


@pytest.fixture
def document(db):
    response = APIClient().get("/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] in (
        "application/json",
        "application/vnd.oai.openapi+json",
    )
    return json.loads(response.content)


def test_the_document_is_valid_openapi_3(document):
    assert document["openapi"].startswith("3.")
    # Against the official OpenAPI 3.0 JSON Schema, as bundled by drf-spectacular (Python
    # jsonschema) and by schemathesis (jsonschema-rs): openapi-spec-validator is not installed.
    validate_schema(document)
    schemathesis.openapi.from_dict(document).validate()
    assert unresolved_refs(document, document) == []


def test_the_store_feed_is_documented(document):
    operation = document["paths"][STORE_FEED]["post"]
    assert f"{STORE_FEED}/" not in document["paths"]  # one entry for both spellings

    body = operation["requestBody"]["content"]["application/json"]["schema"]
    variants = resolve(document, body)["oneOf"]
    single = resolve(document, variants[0])
    assert set(single["properties"]) == {"upc", "sku", "size", "width", "store", "quantity"}
    assert set(single["required"]) == {"store", "quantity"}
    assert variants[1]["type"] == "array"
    assert resolve(document, variants[1]["items"]) == single

    answers = operation["responses"]
    assert set(answers) >= {"200", "400", "401", "403", "404", "409", "413"}
    shapes = [
        resolve(document, s)
        for s in resolve(document, answers["200"]["content"]["application/json"]["schema"])["oneOf"]
    ]
    assert set(shapes[0]["properties"]) == {
        "success",
        "sku",
        "upc",
        "store",
        "previous_quantity",
        "quantity",
    }
    assert set(shapes[1]["properties"]) == {"success", "results"}
    for code in ("400", "401", "403", "404", "409", "413"):
        error = resolve(document, answers[code]["content"]["application/json"]["schema"])
        assert error["properties"] == {"error": {"type": "string"}}

    [requirement] = operation["security"]
    [scheme_name] = requirement
    scheme = document["components"]["securitySchemes"][scheme_name]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert "Idempotency-Key" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}


class InProcessApp:
    """Django's WSGI application for requests made inside a test's transaction: like
    django.test.Client, it keeps the request signals from closing the test's connection."""

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            body = b"".join(response)
            response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return [body]


@pytest.mark.parametrize(
    "mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)
def test_generated_store_feed_bodies_never_cause_a_server_error(document, company, write_key, mode):
    demo(company)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = InProcessApp()
    operation = schema[STORE_FEED]["POST"]
    auth = {"Authorization": f"Bearer {write_key}"}
    statuses = set()

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=operation.as_strategy(mode))
    def check(case):
        response = case.call(headers=auth)
        statuses.add(response.status_code)
        case.validate_response(
            response,
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ],
            headers=auth,
        )

    check()
    assert statuses  # the property ran requests, and none was a 5xx
    assert max(statuses) < 500


def resolve(document, schema):
    while "$ref" in schema:
        schema = lookup(document, schema["$ref"])
    return schema


def lookup(document, ref: str):
    node = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def unresolved_refs(document, node) -> list[str]:
    missing = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                try:
                    lookup(document, value)
                except (KeyError, TypeError):
                    missing.append(value)
            else:
                missing.extend(unresolved_refs(document, value))
    elif isinstance(node, list):
        for value in node:
            missing.extend(unresolved_refs(document, value))
    return missing
