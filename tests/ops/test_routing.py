"""Which requests may read a replica, and who counts as the same client. End to end with a
real standby: test_replica.py."""

import pytest
from django.test import RequestFactory
from django.urls import resolve

from apps.inventory.models import InventoryRecord
from apps.ops import routing
from apps.tenancy.models import ApiKey

CHANGELIST = "/admin/inventory/inventoryrecord/"


def classified(method: str, path: str, data=None) -> bool:
    request = getattr(RequestFactory(), method.lower())(path, data or {})
    request.resolver_match = resolve(path)
    return routing.is_lagging_read(request)


@pytest.mark.parametrize(
    ("method", "path", "data", "lags"),
    [
        ("GET", "/v4/ecommerce/inventories", None, True),
        ("GET", "/v4/ecommerce/inventories/12", None, True),
        ("GET", "/v4/payments/items/12", None, True),
        ("PUT", "/v4/ecommerce/inventories/12", None, False),
        ("POST", "/v4/ecommerce/inventories", None, False),
        ("GET", "/organizations/self/inventory/locations", None, True),
        ("PUT", "/organizations/self/inventory", None, False),
        ("POST", "/api/product/inventory", None, False),
        ("GET", "/admin/", None, True),
        ("GET", CHANGELIST, None, True),
        ("GET", "/admin/inventory/inventoryrecord/reorder-report/", None, True),
        ("GET", "/admin/inventory/inventoryrecord/5/change/", None, False),
        ("POST", CHANGELIST, {"action": "export_csv"}, True),
        ("POST", CHANGELIST, {"action": "mark_discontinued"}, False),
        ("GET", "/admin/login/", None, False),
    ],
)
def test_only_lists_retrieves_changelists_reports_and_exports_may_lag(method, path, data, lags):
    assert classified(method, path, data) is lags


def test_lagging_reads_of_keys_companies_and_users_stay_on_the_primary(monkeypatch):
    monkeypatch.setattr(routing, "pick_replica", lambda: "replica_0")
    router = routing.ReplicaRouter()
    assert router.db_for_read(InventoryRecord) == "default"
    with routing.may_lag():
        assert router.db_for_read(InventoryRecord) == "replica_0"
        assert router.db_for_read(ApiKey) == "default"
    assert router.db_for_write(InventoryRecord) == "default"


def test_the_same_key_in_any_header_is_the_same_client_and_no_secret_is_kept():
    factory = RequestFactory()
    rootfi = factory.get("/", HTTP_API_KEY="sk_live_1")
    zettle = factory.get("/", HTTP_AUTHORIZATION="Bearer sk_live_1")
    other = factory.get("/", HTTP_API_KEY="sk_live_2")
    anonymous = factory.get("/")
    assert routing.client_of(rootfi) != routing.client_of(other)
    assert "sk_live_1" not in routing.client_of(rootfi)
    assert routing.client_of(zettle) == routing.client_of(rootfi)
    assert routing.client_of(anonymous) is None
