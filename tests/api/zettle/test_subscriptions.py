"""Pusher subscriptions as pusher-api/api-reference.md documents them."""

import importlib
import re

import pytest
from django.test import override_settings

from apps.webhooks.models import Subscription
from inventory_site import settings as site

from .helpers import client, send, violations

pytestmark = pytest.mark.django_db
PATH = "/organizations/self/subscriptions"
UUID = "f02f80f8-8f35-11eb-8dcd-0242ac130003"


def documented(**changes):
    """The reference's example request."""
    body = {
        "uuid": UUID,
        "transportName": "WEBHOOK",
        "eventNames": ["InventoryBalanceChanged"],
        "destination": "https://webhook.site/f62e2311-1232-4d8f-b75e-80e9ce013dd4",
        "contactEmail": "your_email@domain.com",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


@pytest.fixture
def api(write_key):
    return client(write_key)


def test_subscribing_answers_the_subscription_with_its_own_signing_key(api, company):
    response = send(api, "POST", PATH, documented())

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {
        "uuid",
        "transportName",
        "eventNames",
        "updated",
        "destination",
        "contactEmail",
        "status",
        "signingKey",
    }
    assert body["uuid"] == UUID
    assert body["transportName"] == "WEBHOOK"
    assert body["eventNames"] == ["InventoryBalanceChanged"]
    assert body["destination"] == documented()["destination"]
    assert body["contactEmail"] == "your_email@domain.com"
    assert body["status"] == "ACTIVE"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body["updated"])
    assert re.fullmatch(r"[A-Za-z0-9]{64}", body["signingKey"])

    other = send(api, "POST", PATH, documented(uuid="6eefcb26-912c-11eb-a8b3-0242ac130003"))
    assert other.status_code == 200
    assert other.json()["signingKey"] != body["signingKey"]
    stored = Subscription.objects.get(company=company, uuid=UUID)
    assert stored.signing_key == body["signingKey"]


def test_the_list_is_a_bare_array_of_the_organizations_subscriptions(
    api, company, other_key, django_assert_max_num_queries
):
    send(api, "POST", PATH, documented())
    send(api, "POST", PATH, documented(uuid="7c9e43ce-912c-11eb-a8b3-0242ac130003", eventNames=[]))
    send(client(other_key), "POST", PATH, documented(uuid="08db4d6e-912d-11eb-a8b3-0242ac130003"))

    with django_assert_max_num_queries(4):
        response = api.get(f"/organizations/{company.uuid}/subscriptions")

    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert [(s["uuid"], s["eventNames"]) for s in body] == [
        (UUID, ["InventoryBalanceChanged"]),
        ("7c9e43ce-912c-11eb-a8b3-0242ac130003", []),
    ]
    assert all(len(s["signingKey"]) == 64 for s in body)


def test_update_changes_the_given_fields_and_answers_200_without_content(api, company):
    send(api, "POST", PATH, documented())

    response = send(
        api,
        "PUT",
        f"{PATH}/{UUID}",
        {"eventNames": ["InventoryTrackingStarted"], "contactEmail": "ops@example.com"},
    )

    assert response.status_code == 200
    assert response.content == b""
    stored = Subscription.objects.get(company=company, uuid=UUID)
    assert stored.event_names == ["InventoryTrackingStarted"]
    assert stored.contact_email == "ops@example.com"
    assert stored.destination == documented()["destination"]

    response = send(api, "PUT", f"{PATH}/{UUID}", {"destination": "https://hooks.example.com/z"})
    assert response.status_code == 200
    assert api.get(PATH).json()[0]["destination"] == "https://hooks.example.com/z"


@pytest.mark.parametrize("spelling", [f"{PATH}/{UUID}", f"{PATH}/uuid/{UUID}"])
def test_delete_answers_204_in_both_documented_spellings(api, company, spelling):
    send(api, "POST", PATH, documented())

    response = api.delete(spelling)

    assert response.status_code == 204
    assert not Subscription.objects.filter(company=company).exists()
    assert api.delete(spelling).status_code == 404


def test_another_organizations_subscription_is_404(api, other_key, company, other_company):
    send(client(other_key), "POST", PATH, documented())
    theirs = Subscription.objects.get(company=other_company)

    for method, path, body in [
        ("PUT", f"{PATH}/{UUID}", {"eventNames": []}),
        ("DELETE", f"{PATH}/{UUID}", None),
        ("DELETE", f"{PATH}/uuid/{UUID}", None),
    ]:
        response = send(api, method, path, body)
        assert response.status_code == 404
        assert response.json()["errorType"] == "ENTITY_NOT_FOUND"
    assert api.get(PATH).json() == []
    assert api.get(f"/organizations/{other_company.uuid}/subscriptions").status_code == 404
    theirs.refresh_from_db()
    assert theirs.event_names == ["InventoryBalanceChanged"]


@pytest.mark.parametrize(
    "changes, status, named",
    [
        ({"transportName": None}, 400, "transportName"),
        ({"transportName": "EMAIL"}, 400, "transportName"),
        ({"uuid": None}, 400, "uuid"),
        ({"uuid": "not-a-uuid"}, 400, "uuid"),
        ({"eventNames": ["NoSuchEvent"]}, 400, "eventNames"),
        ({"destination": None}, 422, "destination"),
        ({"destination": ""}, 422, "destination"),
        ({"destination": "not a url"}, 422, "destination"),
        ({"destination": "http://hooks.example.com/z"}, 422, "destination"),
        ({"destination": "ftp://hooks.example.com/z"}, 422, "destination"),
        ({"contactEmail": None}, 422, "contactEmail"),
        ({"contactEmail": "not-an-email"}, 422, "contactEmail"),
        ({"contactEmail": "a" * 510 + "@example.com"}, 422, "contactEmail"),
    ],
)
def test_refusals_have_the_documented_status_and_write_nothing(api, changes, status, named):
    response = send(api, "POST", PATH, documented(**changes))

    assert response.status_code == status, response.content
    assert response.json()["errorType"] == "VALIDATION_ERROR"
    assert named in violations(response)
    assert not Subscription.objects.exists()


def test_a_uuid_that_exists_is_400(api, company):
    assert send(api, "POST", PATH, documented()).status_code == 200
    response = send(api, "POST", PATH, documented(destination="https://other.example.com"))
    assert response.status_code == 400
    assert violations(response) == ["uuid"]
    assert Subscription.objects.get().destination == documented()["destination"]


@pytest.mark.parametrize(
    "destination",
    [
        "https://localhost/hook",
        "https://LOCALHOST./hook",
        "https://api.localhost/hook",
        "https://127.0.0.1/hook",
        "https://127.1/hook",
        "https://2130706433/hook",
        "https://10.1.2.3/hook",
        "https://172.16.0.1:8443/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://0.0.0.0/hook",
        "https://[::1]/hook",
        "https://[::]/hook",
        "https://[fe80::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
    ],
)
def test_a_local_or_private_destination_is_refused_without_resolving_names(api, destination):
    response = send(api, "POST", PATH, documented(destination=destination))
    assert response.status_code in (400, 422)
    assert violations(response) == ["destination"]
    assert not Subscription.objects.exists()

    send(api, "POST", PATH, documented(uuid="6eefcb26-912c-11eb-a8b3-0242ac130003"))
    response = send(
        api, "PUT", f"{PATH}/6eefcb26-912c-11eb-a8b3-0242ac130003", {"destination": destination}
    )
    assert response.status_code in (400, 422)
    assert Subscription.objects.get().destination == documented()["destination"]


def test_a_public_name_is_accepted_unresolved(api):
    response = send(
        api,
        "POST",
        PATH,
        documented(destination="https://hooks.invalid-name-never-resolved.test/x"),
    )
    assert response.status_code == 200


@pytest.mark.parametrize("value, allowed", [("1", True), ("true", False), ("0", False)])
def test_private_destinations_and_http_only_when_the_setting_is_exactly_1(
    api, monkeypatch, value, allowed
):
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS", value)
    flag = importlib.reload(site).WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS
    with override_settings(WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS=flag):
        response = send(api, "POST", PATH, documented(destination="http://127.0.0.1:8080/hook"))
    assert (response.status_code == 200) is allowed


def test_without_a_key_it_is_401_and_a_read_key_may_subscribe(company, read_key):
    response = send(client(), "POST", PATH, documented())
    assert response.status_code == 401
    assert response.json()["errorType"] == "UNAUTHORIZED"
    # Zettle asks only for the events' READ scope to subscribe.
    assert send(client(read_key), "POST", PATH, documented()).status_code == 200


def test_delete_and_put_without_a_uuid_are_405_and_an_unknown_uuid_is_404(api):
    # The collection answers GET and POST only; its Allow header says so.
    refused = api.delete(PATH)
    assert refused.status_code == 405
    assert "DELETE" not in refused["Allow"]
    assert send(api, "PUT", PATH, {"eventNames": []}).status_code == 405
    assert api.delete(f"{PATH}/not-a-uuid").status_code == 404


def test_the_same_idempotency_key_replays_the_subscription(api):
    first = send(api, "POST", PATH, documented(), HTTP_IDEMPOTENCY_KEY="sub-1")
    again = send(api, "POST", PATH, documented(), HTTP_IDEMPOTENCY_KEY="sub-1")
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize(
    ("missing", "status"),
    [("uuid", 400), ("transportName", 400), ("destination", 422), ("contactEmail", 422)],
)
def test_subscribing_without_a_field_the_schema_requires_is_refused(api, missing, status):
    # The schema listed every field as optional, so most generated subscriptions were refused;
    # it now requires what subscribing refuses without, and `destination` is https://.
    response = send(api, "POST", PATH, documented(**{missing: None}))

    assert response.status_code == status, response.content
    assert violations(response) == [missing]
    assert not Subscription.objects.exists()
    paths = api.get("/openapi.json").json()["paths"]
    schema = paths["/organizations/{org}/subscriptions"]["post"]["requestBody"]
    body = schema["content"]["application/json"]["schema"]
    assert set(body["required"]) == {"uuid", "transportName", "destination", "contactEmail"}
    assert re.match(body["properties"]["destination"]["pattern"], " HTTPS://hooks.example")
    assert not re.match(body["properties"]["destination"]["pattern"], "http://hooks.example")
