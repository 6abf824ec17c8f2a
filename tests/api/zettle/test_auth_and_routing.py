"""What every Zettle path shares: the Bearer key, `{org}`, trailing slashes, the catch-all,
body limits and Zettle's error body."""

import pytest

from tests import factories

from .helpers import change, client, ledger_size, product, send, variants

pytestmark = pytest.mark.django_db
ERROR_KEYS = {"developerMessage", "errorType", "violations"}


@pytest.mark.parametrize(
    "path",
    [
        "/organizations/self/locations",
        "/inventory",
        "/organizations/self/inventory/locations?type=STORE",
    ],
)
@pytest.mark.parametrize("authorization", [None, "Bearer nope", "Basic abc"])
def test_no_or_unknown_key_is_401_with_www_authenticate(company, path, authorization):
    api = client()
    if authorization:
        api.credentials(HTTP_AUTHORIZATION=authorization)

    response = api.get(path)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert set(response.json()) == ERROR_KEYS
    assert response.json()["errorType"] == "UNAUTHORIZED"


def test_revoked_key_is_401(company):
    key, secret = factories.api_key(company)
    key.revoke()

    response = client(secret).get("/organizations/self/locations")

    assert response.status_code == 401


def test_read_only_key_may_read_but_not_write(company, read_key):
    item = product(company, variants=1)
    (variant,) = variants(item)
    virtual = factories.virtual(company)
    api = client(read_key)

    assert api.get("/organizations/self/locations").status_code == 200
    response = send(
        api,
        "PUT",
        "/organizations/self/inventory",
        {"changes": [change(item, variant, virtual.supplier, factories.default_store(company), 1)]},
    )

    assert response.status_code == 403
    assert response.json()["errorType"] == "FORBIDDEN"
    assert ledger_size(company) == 0
    for method, path in [
        ("DELETE", f"/organizations/self/inventory/products/{item.uuid}"),
        ("POST", "/organizations/self/inventory"),
        ("POST", "/organizations/self/v2/inventory/bulk"),
        ("PUT", f"/custom-low-stock/locations/{factories.default_store(company).uuid}"),
    ]:
        assert send(api, method, path, {}).status_code == 403, path


def test_organization_may_be_self_or_the_company_uuid(company, other_company, write_key):
    api = client(write_key)

    assert api.get("/organizations/self/locations").status_code == 200
    assert api.get(f"/organizations/{company.uuid}/locations").status_code == 200
    assert api.get(f"/organizations/{str(company.uuid).upper()}/locations").status_code == 200
    for org in (other_company.uuid, "3fa85f64-5717-4562-b3fc-2c963f66afa6", "acme"):
        response = api.get(f"/organizations/{org}/locations")
        assert response.status_code == 404
        assert response.json()["errorType"] == "ENTITY_NOT_FOUND"


def test_another_organization_cannot_be_written(company, other_company, write_key):
    item = product(other_company, variants=1)

    response = client(write_key).delete(
        f"/organizations/{other_company.uuid}/inventory/products/{item.uuid}"
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/organizations/self/locations",
        "/organizations/self/locations/",
        "/inventory",
        "/inventory/",
        "/organizations/self/inventory/locations?type=STORE",
        "/organizations/self/inventory/locations/?type=STORE",
    ],
)
def test_paths_work_with_and_without_trailing_slash(write_key, path):
    assert client(write_key).get(path).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/organizations/self/nothing",
        "/organizations/self/inventory/locations/x/products/y/z",
        "/organizations",
        "/custom-low-stock/whatever",
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE", "PATCH"])
def test_unknown_paths_are_404_in_zettle_shape(write_key, path, method):
    response = send(client(write_key), method, path)

    assert response.status_code == 404
    assert set(response.json()) == ERROR_KEYS
    assert response.json()["errorType"] == "ENTITY_NOT_FOUND"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/organizations/self/locations"),
        ("GET", "/organizations/self/v2/inventory/bulk"),
        ("PATCH", "/organizations/self/inventory"),
        ("POST", "/inventory"),
        ("GET", "/organizations/self/inventory"),
    ],
)
def test_wrong_methods_are_405_in_zettle_shape(write_key, method, path):
    response = send(client(write_key), method, path)

    assert response.status_code == 405
    assert set(response.json()) == ERROR_KEYS


def test_malformed_json_is_400(write_key):
    response = client(write_key).put(
        "/organizations/self/inventory", data="{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errorType"] == "VALIDATION_ERROR"


@pytest.mark.parametrize("body", [[], "text", 42, None])
def test_a_body_that_is_not_an_object_is_400(write_key, body):
    response = send(client(write_key), "PUT", "/organizations/self/inventory", body)

    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS


def test_body_above_5_mb_is_413(write_key):
    body = '{"changes": [], "pad": "' + "x" * (5 * 1024 * 1024) + '"}'

    response = client(write_key).put(
        "/organizations/self/inventory", data=body, content_type="application/json"
    )

    assert response.status_code == 413
    assert set(response.json()) == ERROR_KEYS


def test_a_non_uuid_in_a_path_is_404_not_500(write_key):
    api = client(write_key)
    assert api.get("/organizations/self/inventory/locations/not-a-uuid").status_code == 404
    assert api.delete("/organizations/self/inventory/products/not-a-uuid").status_code == 404
    assert api.get("/custom-low-stock/v2/locations/zzz/products/yyy").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/organizations/self/locations", None),
        ("GET", "/organizations/self/subscriptions", None),
        (
            "POST",
            "/organizations/self/subscriptions",
            {"uuid": "f02f80f8-8f35-11eb-8dcd-0242ac130003"},
        ),
    ],
)
def test_a_key_of_a_deactivated_company_is_401(
    company, write_key, method, path, body, django_assert_max_num_queries
):
    company.is_active = False
    company.save(update_fields=["is_active"])

    with django_assert_max_num_queries(1):  # the company comes with the key
        response = send(client(write_key), method, path, body)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert set(response.json()) == ERROR_KEYS
    assert response.json()["errorType"] == "UNAUTHORIZED"
    assert "deactivated" in response.json()["developerMessage"]
