"""Calling the native API as a client would."""

import json

from rest_framework.test import APIClient

from apps.inventory.models import InventoryRecord, StockMovement
from tests.operations.helpers import on_hand  # noqa: F401 - one helper for both suites

PROBLEM = "application/problem+json"


def client(key: str | None) -> APIClient:
    api = APIClient()
    if key:
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def post(api, path, body=None, **headers):
    data = json.dumps(body) if body is not None else ""
    kwargs = {"content_type": "application/json"} if body is not None else {}
    return api.generic("POST", path, data, **kwargs, **_meta(headers))


def patch(api, path, body, **headers):
    return api.generic(
        "PATCH", path, json.dumps(body), content_type="application/json", **_meta(headers)
    )


def _meta(headers: dict) -> dict:
    return {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}


def body(response):
    return json.loads(response.content) if response.content else None


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    data = body(response)
    assert set(data) >= {"type", "title", "status", "detail", "errors", "request_id"}
    assert data["status"] == status
    return data


def fields(data: dict) -> list[str]:
    return [e["field"] for e in data["errors"]]


def quantity(record) -> int:
    return InventoryRecord.objects.get(pk=record.pk).quantity


def ledger_count(company) -> int:
    return StockMovement.objects.filter(company=company).count()
