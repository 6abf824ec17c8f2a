"""A staff user of Acme never sees or changes Globex's rows, whatever the door into the
admin: list, URL, lookup, autocomplete, action, export, report or dashboard."""

import pytest

from apps.catalog.models import Variant
from apps.inventory.models import InventoryRecord, StockMovement
from apps.tenancy.models import ApiKey
from tests import factories

from .helpers import CHANGELIST, change_url, listed_skus, sell, staff, superuser


@pytest.fixture
def rows(company, other_company):
    mine = factories.record(company, sku="ACME-1", on_hand=1, reorder_level=5)
    theirs = factories.record(other_company, sku="GLOBEX-1", on_hand=1, reorder_level=5)
    sell(theirs, factories.default_store(other_company), 1)
    factories.api_key(other_company)
    return {"mine": mine, "theirs": InventoryRecord.objects.get(pk=theirs.pk)}


@pytest.fixture
def clerk_client(client, company):
    client.force_login(staff(company))
    return client


def test_lists_show_only_their_companys_rows(clerk_client, rows, company):
    assert listed_skus(clerk_client.get(CHANGELIST)) == {"ACME-1"}
    ledger = clerk_client.get("/admin/inventory/stockmovement/").context["cl"].result_list
    assert {m.record.sku for m in ledger} == {"ACME-1"}
    items = clerk_client.get("/admin/catalog/item/").context["cl"].result_list
    assert {i.sku for i in items} == {"ACME-1"}
    locations = clerk_client.get("/admin/locations/location/").context["cl"].result_list
    assert {loc.company_id for loc in locations} == {company.pk}
    keys = clerk_client.get("/admin/tenancy/apikey/").context["cl"].result_list
    assert list(keys) == []
    companies = clerk_client.get("/admin/tenancy/company/").context["cl"].result_list
    assert [c.name for c in companies] == ["Acme"]


def test_a_filter_naming_another_companys_location_finds_nothing(clerk_client, rows, other_company):
    other = factories.default_store(other_company)
    response = clerk_client.get(CHANGELIST, {"location": other.pk})
    assert listed_skus(response) == set()
    specs = response.context["cl"].filter_specs
    location_filter = next(f for f in specs if getattr(f, "parameter_name", "") == "location")
    assert str(other.pk) not in dict(location_filter.lookup_choices)


def test_urls_of_another_companys_rows_are_not_found(clerk_client, rows):
    theirs = rows["theirs"]
    for url in [
        change_url(theirs),
        f"/admin/catalog/item/{theirs.item_id}/change/",
        f"/admin/catalog/variant/{theirs.variant_id}/change/",
        f"/admin/inventory/stockmovement/{StockMovement.objects.filter(record=theirs).first().pk}/change/",
        f"/admin/tenancy/apikey/{ApiKey.objects.get().pk}/change/",
        f"/admin/tenancy/company/{theirs.company_id}/change/",
    ]:
        response = clerk_client.get(url, follow=True)
        assert response.redirect_chain and response.redirect_chain[-1][0] == "/admin/", url
        assert "doesn\u2019t exist" in response.content.decode(), url


def test_posting_to_another_companys_record_writes_nothing(clerk_client, rows):
    theirs = rows["theirs"]
    clerk_client.post(
        change_url(theirs),
        {
            "form": "adjust",
            "new_count": "50",
            "reason": "count",
            "location": factories.default_store(theirs.company).pk,
        },
    )
    assert InventoryRecord.objects.get(pk=theirs.pk).quantity == 0


def test_actions_and_exports_ignore_another_companys_ids(clerk_client, rows):
    response = clerk_client.post(
        CHANGELIST,
        {"action": "mark_discontinued", "_selected_action": [rows["theirs"].pk, rows["mine"].pk]},
    )
    assert response.status_code == 302
    assert not InventoryRecord.objects.get(pk=rows["theirs"].pk).is_discontinued
    assert InventoryRecord.objects.get(pk=rows["mine"].pk).is_discontinued
    response = clerk_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [rows["theirs"].pk]}
    )
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[1:] == [] and "GLOBEX" not in body


def test_autocomplete_offers_only_their_items(clerk_client, rows):
    response = clerk_client.get(
        "/admin/autocomplete/",
        {"app_label": "catalog", "model_name": "variant", "field_name": "item", "term": ""},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [rows["mine"].item.name]


def test_form_choices_are_their_companys(clerk_client, company, rows):
    response = clerk_client.get("/admin/tenancy/apikey/add/")
    assert [c.name for c in response.context["adminform"].form.fields["company"].queryset] == [
        "Acme"
    ]
    response = clerk_client.get("/admin/locations/location/add/")
    assert list(response.context["adminform"].form.fields["company"].queryset) == [company]


def test_cannot_create_an_api_key_for_another_company(clerk_client, other_company):
    response = clerk_client.post(
        "/admin/tenancy/apikey/add/", {"company": other_company.pk, "name": "x", "scope": "write"}
    )
    assert response.status_code == 200 and "company" in response.context["adminform"].form.errors
    assert not ApiKey.objects.filter(name="x").exists()


def test_report_and_dashboard_count_only_their_rows(clerk_client, rows):
    report = clerk_client.get(f"{CHANGELIST}reorder-report/")
    skus = {r.sku for _, group in report.context["groups"] for r in group}
    assert skus == {"ACME-1"}
    csv_body = b"".join(
        clerk_client.get(f"{CHANGELIST}reorder-report/?format=csv").streaming_content
    )
    assert b"ACME-1" in csv_body and b"GLOBEX" not in csv_body
    index = clerk_client.get("/admin/")
    dash = index.context["dash"]
    counts = {card["label"]: card["count"] for card in dash["cards"]}
    assert counts == {"Out of stock": 0, "Low stock": 1, "Needs reorder": 1, "Open alerts": 1}
    assert {m.record.sku for m in dash["latest"]} == {"ACME-1"}


def test_staff_without_a_company_sees_no_stock(client, rows):
    client.force_login(staff(username="nobody"))
    assert listed_skus(client.get(CHANGELIST)) == set()


def test_superuser_sees_every_company(client, rows):
    client.force_login(superuser())
    assert listed_skus(client.get(CHANGELIST)) == {"ACME-1", "GLOBEX-1"}
    variants = client.get("/admin/catalog/variant/").context["cl"].result_list
    assert {v.sku for v in variants} == set(Variant.objects.values_list("sku", flat=True))
