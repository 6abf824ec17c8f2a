"""Keys, companies and unknown routes, all answered in RootFi's error shape."""

import pytest
from rest_framework.test import APIClient

from apps.tenancy.models import ApiKey
from tests import factories

from .helpers import INVENTORIES, ITEMS, error_of


def test_missing_or_unknown_key_is_401_with_www_authenticate(anon, company):
    factories.record(company)
    response = anon.get(INVENTORIES)
    assert error_of(response, 401)["code"] == "UNAUTHORIZED"
    assert response["WWW-Authenticate"].startswith("api_key")
    anon.credentials(HTTP_API_KEY="inv_not_a_key")
    response = anon.get(INVENTORIES)
    error_of(response, 401)
    assert "WWW-Authenticate" in response


def test_revoked_key_is_401(company):
    key, secret = factories.api_key(company)
    key.revoke()
    client = APIClient()
    client.credentials(HTTP_API_KEY=secret)
    error_of(client.get(INVENTORIES), 401)


def test_api_dash_key_header_is_accepted(write_key, company):
    client = APIClient()
    response = client.get(INVENTORIES, headers={"api-key": write_key})
    assert response.status_code == 200


def test_read_only_key_reads_but_may_not_write(read_api, company, ledger):
    record = factories.record(company, on_hand=3)
    assert read_api.get(INVENTORIES).status_code == 200
    before = ledger()
    refused = read_api.patch(f"{INVENTORIES}/{record.pk}", {"quantity": 1}, format="json")
    assert error_of(refused, 403)["code"] == "FORBIDDEN"
    error_of(read_api.delete(f"{INVENTORIES}/{record.pk}"), 403)
    error_of(read_api.post(ITEMS, {"name": "x"}, format="json"), 403)
    assert ledger() == before
    assert ApiKey.objects.filter(scope="read").exists()


def test_another_company_sees_none_of_it(api, other_api, company, ledger):
    record = factories.record(company, on_hand=3)
    item_id = record.item_id
    assert other_api.get(INVENTORIES).json()["data"] == []
    assert other_api.get("/v4/inventory").json()["data"] == []
    assert other_api.get(ITEMS).json()["data"] == []
    assert other_api.get(f"{INVENTORIES}?return_count=true").json()["total_count"] == 0
    before = ledger()
    for ident in (record.pk, record.platform_id):
        error_of(other_api.get(f"{INVENTORIES}/{ident}"), 404)
        error_of(other_api.patch(f"{INVENTORIES}/{ident}", {"quantity": 0}, format="json"), 404)
        error_of(other_api.delete(f"{INVENTORIES}/{ident}"), 404)
    error_of(other_api.get(f"{ITEMS}/{item_id}"), 404)
    error_of(other_api.put(f"{ITEMS}/{item_id}", {"name": "mine"}, format="json"), 404)
    error_of(other_api.delete(f"{ITEMS}/{item_id}"), 404)
    # Its ids do not name anything in writes either.
    error_of(other_api.post(INVENTORIES, {"variant_id": record.variant_id}, format="json"), 400)
    assert ledger() == before
    assert api.get(f"{INVENTORIES}/{record.pk}").json()["quantity"] == 3


@pytest.mark.parametrize("path", ["/v4/nothing", "/v4/ecommerce/inventories/1/levels", "/v4"])
def test_unknown_paths_are_404_in_rootfi_shape(api, path):
    assert error_of(api.get(path), 404)["code"] == "NOT_FOUND"
    error_of(api.post(path, {}, format="json"), 404)


def test_wrong_method_is_405_in_rootfi_shape(api, company):
    record = factories.record(company)
    assert error_of(api.delete(INVENTORIES), 405)["code"] == "METHOD_NOT_ALLOWED"
    error_of(api.patch(f"{ITEMS}/{record.item_id}", {}, format="json"), 405)
    error_of(api.post("/v4/inventory", {}, format="json"), 405)
    error_of(api.post(f"{INVENTORIES}/{record.pk}", {}, format="json"), 405)


def test_every_answer_carries_a_request_id(api, anon):
    ok = api.get(INVENTORIES)
    failed = anon.get(INVENTORIES)
    assert ok["X-Request-ID"]
    assert failed.json()["request_id"] == failed["X-Request-ID"]


def deactivate(company):
    company.is_active = False
    company.save(update_fields=["is_active"])


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_key_of_a_deactivated_company_is_401(
    company, write_key, method, django_assert_max_num_queries
):
    factories.record(company)
    deactivate(company)
    client = APIClient()
    client.credentials(HTTP_API_KEY=write_key)

    with django_assert_max_num_queries(1):  # the company comes with the key
        response = getattr(client, method)(INVENTORIES, {"sku": "NEW"}, format="json")

    error = error_of(response, 401)
    assert error["code"] == "UNAUTHORIZED"
    assert "Acme" in error["message"] and "deactivated" in error["message"]
    assert response["WWW-Authenticate"].startswith("api_key")
    assert ApiKey.objects.get().last_used_at is None  # refused, not a use
