"""429: each API key gets the configured number of requests per period, refused past it in
RootFi's error shape with Retry-After; other keys keep their own count."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from apps.api.rootfi.throttling import DEFAULT_RATE, configured_rate
from apps.inventory.models import StockMovement
from tests import factories

from .helpers import INVENTORIES, error_of


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_past_the_rate_a_key_gets_429_with_retry_after(api, other_api, company, settings):
    settings.ROOTFI_RATE_LIMIT = "3/min"
    for _ in range(3):
        assert api.get(INVENTORIES).status_code == 200
    response = api.get(INVENTORIES)
    error = error_of(response, 429)
    assert error["code"] == "RATE_LIMITED"
    assert int(response["Retry-After"]) in range(1, 61)
    assert response.json()["request_id"]
    # Another key (here another company's) has its own count.
    assert other_api.get(INVENTORIES).status_code == 200


def test_a_refused_write_writes_nothing(api, company, settings):
    settings.ROOTFI_RATE_LIMIT = "1/min"
    record = factories.record(company, on_hand=5)
    url = f"{INVENTORIES}/{record.pk}"
    assert api.patch(url, {"quantity": 6}, format="json").status_code == 200
    rows = StockMovement.objects.count()
    error_of(api.patch(url, {"quantity": 9}, format="json"), 429)
    assert StockMovement.objects.count() == rows
    record.refresh_from_db()
    assert record.quantity == 6


def test_requests_without_a_valid_key_are_401_not_counted(company, api, settings):
    settings.ROOTFI_RATE_LIMIT = "1/min"
    anon = APIClient()
    for _ in range(3):
        assert anon.get(INVENTORIES).status_code == 401
    assert api.get(INVENTORIES).status_code == 200


def test_rate_comes_from_settings_then_environment(settings, monkeypatch):
    monkeypatch.delenv("ROOTFI_RATE_LIMIT", raising=False)
    if hasattr(settings, "ROOTFI_RATE_LIMIT"):
        del settings.ROOTFI_RATE_LIMIT
    assert configured_rate() == DEFAULT_RATE
    monkeypatch.setenv("ROOTFI_RATE_LIMIT", "50/s")
    assert configured_rate() == "50/s"
    settings.ROOTFI_RATE_LIMIT = "off"
    assert configured_rate() is None


def test_rate_off_never_refuses(api, company, settings):
    settings.ROOTFI_RATE_LIMIT = "off"
    assert all(api.get(INVENTORIES).status_code == 200 for _ in range(5))
