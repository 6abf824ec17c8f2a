"""Every URL pattern of every door, every method, with a second company's key and every id
form of the first company's objects (in the path and in the body); and the admin's change,
history, delete and export pages as the second company's staff. The answer is a refusal
(404, 400, ...) or the second company's own, empty view: never one of the first company's
identifiers, and nothing of the first company changes."""

import json
import uuid

import pytest
from django.urls import resolve
from rest_framework.test import APIClient

from apps.api.rootfi import urls as rootfi_urls
from apps.api.storefeed import urls as storefeed_urls
from apps.api.zettle import urls as zettle_urls
from apps.inventory.models import InventoryRecord, StockLevel, StockMovement
from apps.locations.models import Location
from apps.webhooks.models import Subscription
from tests import factories
from tests.admin.helpers import staff

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.fixture
def victim(company):
    """The first company's objects, with every id they are known by."""
    store = factories.store(company, name="Victim store", store_code="V1", platform_id="loc_v1")
    record = factories.record(
        company, on_hand=7, location=store, sku="VICTIM-1", upc="849632048260"
    )
    variant = record.variant
    item = variant.item
    item.platform_id, variant.platform_id = "prod_victim", "var_victim"
    item.save()
    variant.save()
    subscription = Subscription.objects.create(
        company=company,
        uuid=uuid.uuid4(),
        destination="https://victim.example/hook",
        contact_email="ops@victim.example",
    )
    return {
        "company": company,
        "store": store,
        "record": record,
        "item": item,
        "variant": variant,
        "subscription": subscription,
    }


def identifiers(v) -> set[str]:
    """What would betray the first company's data in an answer."""
    return {
        str(v["company"].uuid),
        str(v["store"].uuid),
        str(v["item"].uuid),
        str(v["variant"].uuid),
        "VICTIM-1",
        "prod_victim",
        "var_victim",
        "849632048260",
        "Victim store",
        str(v["subscription"].uuid),
        "victim.example",
    }


def state_of(company) -> tuple:
    return (
        list(
            Subscription.objects.filter(company=company).values_list("pk", "destination", "status")
        ),
        list(
            InventoryRecord.objects.filter(company=company).values_list(
                "pk", "quantity", "reserved_quantity", "reorder_level", "is_trackable", "sku"
            )
        ),
        list(StockLevel.objects.filter(record__company=company).values_list("pk", "on_hand")),
        StockMovement.objects.filter(company=company).count(),
        list(Location.objects.filter(company=company).values_list("pk", "name", "store_code")),
    )


def rootfi_paths(v):
    record_ids = [str(v["record"].pk), v["record"].platform_id]
    item_ids = [str(v["item"].pk), "prod_victim"]
    paths = ["/v4/ecommerce/inventories", "/v4/inventory", "/v4/payments/items"]
    paths += ["/v4/ecommerce/items", "/v4/nothing/here"]
    for ident in record_ids:
        paths.append(f"/v4/ecommerce/inventories/{ident}")
    for ident in item_ids:
        paths += [f"/v4/payments/items/{ident}", f"/v4/ecommerce/items/{ident}"]
    queries = [f"?item_id={i}" for i in [*item_ids, str(v["variant"].pk), "var_victim"]] + [
        "?sku=VICTIM-1&include_deleted_records=true"
    ]
    paths += [f"/v4/ecommerce/inventories{q}" for q in queries]
    body = {
        "item_id": "prod_victim",
        "variant_id": "var_victim",
        "sku": "VICTIM-1",
        "quantity": 0,
        "warehouse_location": "V1",
    }
    return paths, [
        body,
        {"data": [body]},
        {"name": "x", "variants": [{"rootfi_id": v["variant"].pk}]},
    ]


def zettle_paths(v):
    orgs = ["self", str(v["company"].uuid)]
    store, product, variant = str(v["store"].uuid), str(v["item"].uuid), str(v["variant"].uuid)
    paths = []
    for org in orgs:
        base = f"/organizations/{org}"
        paths += [
            f"{base}/locations",
            f"{base}/inventory",
            f"{base}/inventory/products",
            f"{base}/inventory/products/{product}",
            f"{base}/v2/inventory/bulk",
            f"{base}/inventory/locations?type=STORE",
            f"{base}/inventory/locations/{store}",
            f"{base}/inventory/locations/{store}/products/{product}",
            f"{base}/subscriptions",
            f"{base}/subscriptions/{v['subscription'].uuid}",
            f"{base}/subscriptions/uuid/{v['subscription'].uuid}",
            f"{base}/nothing",
        ]
    paths += [
        "/inventory",
        f"/custom-low-stock/locations/{store}",
        f"/custom-low-stock/locations/{store}/delete",
        f"/custom-low-stock/locations/{store}/products/{product}/variants/{variant}",
        f"/custom-low-stock/v2/locations/{store}",
        f"/custom-low-stock/v2/locations/{store}/products/{product}",
    ]
    ref = {"productUuid": product, "variantUuid": variant}
    move = {**ref, "fromLocationUuid": store, "toLocationUuid": store, "change": 1}
    body = {
        **ref,
        "changes": [move],
        "returnBalanceForLocationUuid": store,
        "productChanges": [{"productUuid": product, "trackingStatusChange": "STOP_TRACKING"}],
        "locationType": "STORE",
        "productUuids": [product],
        "requests": [{**ref, "lowStockLevel": 1, "lowStockAlert": True}],
        "lowStockLevel": 1,
        "uuid": str(v["subscription"].uuid),
        "destination": "https://rival.example/hook",
        "contactEmail": "ops@rival.example",
        "eventNames": [],
    }
    return paths, [body]


def storefeed_paths(v):
    bodies = [
        {"upc": "849632048260", "store": "V1", "quantity": 0},
        {"sku": "VICTIM-1", "size": "", "width": "", "store": "V1", "quantity": 0},
        [{"upc": "849632048260", "store": "V1", "quantity": 0}],
    ]
    return ["/api/product/inventory", "/api/product/inventory/", "/api/other"], bodies


DOORS = [
    (rootfi_paths, rootfi_urls, "HTTP_API_KEY", "{}"),
    (zettle_paths, zettle_urls, "HTTP_AUTHORIZATION", "Bearer {}"),
    (storefeed_paths, storefeed_urls, "HTTP_AUTHORIZATION", "Bearer {}"),
]


@pytest.mark.parametrize(("paths_of", "urls", "header", "value"), DOORS)
def test_another_companys_key_sees_and_changes_nothing(
    victim, other_key, paths_of, urls, header, value
):
    api = APIClient()
    before = state_of(victim["company"])
    secrets = identifiers(victim)
    paths, bodies = paths_of(victim)
    reached = set()
    for path in paths:
        reached.add(resolve(path.split("?")[0]).route or resolve(path.split("?")[0]).url_name)
        for method in METHODS:
            for body in bodies if method != "GET" else [None]:
                response = api.generic(
                    method,
                    path,
                    json.dumps(body) if body is not None else "",  # noqa: RUF100
                    content_type="application/json",
                    **{header: value.format(other_key)},
                )
                assert response.status_code < 500, (method, path, response.content)
                # The client's own words may come back (an error naming what it sent); what
                # it did not send must not.
                sent = path + json.dumps(body)
                text = response.content.decode()
                leaked = {s for s in secrets if s in text and s not in sent}
                assert not leaked, (method, path, response.status_code, leaked)
                assert state_of(victim["company"]) == before, (method, path, response.status_code)
    # Every pattern of the door was walked.
    routes = {p.pattern.regex.pattern for p in urls.urlpatterns}
    walked = {resolve(path.split("?")[0]).route for path in paths} | {
        resolve(path.split("?")[0]).url_name for path in paths
    }
    named = {p.name for p in urls.urlpatterns if p.name}
    assert named <= walked, named - walked
    assert routes and reached


def test_another_companys_staff_gets_no_admin_page_of_it(client, victim, other_company):
    client.force_login(staff(other_company, username="rival"))
    record, item, variant = victim["record"], victim["item"], victim["variant"]
    before = state_of(victim["company"])
    pages = []
    for model, obj in (
        ("inventory/inventoryrecord", record),
        ("catalog/item", item),
        ("catalog/variant", variant),
        ("locations/location", victim["store"]),
    ):
        for page in ("change", "history", "delete"):
            pages.append(f"/admin/{model}/{obj.pk}/{page}/")
    secrets = identifiers(victim) - {str(victim["company"].uuid)}
    for url in pages:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), (url, response.status_code)
        assert not {s for s in secrets if s in response.content.decode()}, url
        response = client.post(url, {"post": "yes", "quantity": "0", "name": "taken"})
        assert response.status_code in (302, 403, 404), (url, response.status_code)
    changelist = "/admin/inventory/inventoryrecord/"
    exported = client.post(changelist, {"action": "export_csv", "_selected_action": [record.pk]})
    body = b"".join(exported.streaming_content) if exported.streaming else exported.content
    assert b"VICTIM-1" not in body
    # The second company's own records export: the export works, it just holds none of them.
    factories.record(other_company, on_hand=1, sku="RIVAL-1")
    rival = InventoryRecord.objects.get(sku="RIVAL-1")
    exported = client.post(changelist, {"action": "export_csv", "_selected_action": [rival.pk]})
    body = b"".join(exported.streaming_content) if exported.streaming else exported.content
    assert b"RIVAL-1" in body and b"VICTIM-1" not in body
    report = client.get("/admin/inventory/inventoryrecord/reorder-report/?format=csv")
    assert report.status_code == 200
    body = b"".join(report.streaming_content) if report.streaming else report.content
    assert b"VICTIM-1" not in body
    assert state_of(victim["company"]) == before
