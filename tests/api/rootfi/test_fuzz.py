"""Generated requests (valid and invalid, from /openapi.json) never get a server error
from the V4 door."""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error

from tests import factories
from tests.api.test_openapi_contract import InProcessApp

OPERATIONS = [
    ("/v4/ecommerce/inventories", "GET"),
    ("/v4/ecommerce/inventories", "POST"),
    ("/v4/ecommerce/inventories/{ident}", "PATCH"),
    ("/v4/ecommerce/inventories/{ident}", "PUT"),
    ("/v4/payments/items", "GET"),
    ("/v4/payments/items", "POST"),
    ("/v4/payments/items/{ident}", "PUT"),
]


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
@pytest.mark.parametrize(
    "mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)
def test_generated_requests_never_cause_a_server_error(company, write_key, path, method, mode):
    document = json.loads(APIClient().get("/openapi.json").content)
    record = factories.record(company, on_hand=5)
    idents = {
        "inventories": str(record.pk),
        "items": str(record.item_id),
    }
    schema = schemathesis.openapi.from_dict(document)
    schema.app = InProcessApp()
    operation = schema[path][method]
    auth = {"api_key": write_key}
    statuses = []

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode))
    def check(case):
        if case.path_parameters and len(statuses) % 2 == 0:
            kind = "inventories" if "inventories" in path else "items"
            case.path_parameters = {"ident": idents[kind]}
        response = case.call(headers=auth)
        statuses.append(response.status_code)
        case.validate_response(response, checks=[not_a_server_error], headers=auth)

    check()
    assert statuses and max(statuses) < 500
