"""The admin's counts: start a count, scan, review, apply and cancel, with their permissions."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.template.loader import render_to_string
from django.test import RequestFactory

from apps.counts import services
from apps.counts.hooks import ledger_links
from apps.counts.models import Count
from apps.inventory.models import Door, StockMovement
from apps.operations.services.purchasing import (
    OrderLine,
    create_purchase_order,
    find_or_create_supplier,
)
from tests import factories

from .helpers import figures, on_hand

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/counts/count/"
COUNTER = ("view_count", "add_count", "change_count", "view_inventoryrecord")
SUPERVISOR = (*COUNTER, "apply_count", "cancel_count")


def user(company, *codenames, username="counter"):
    made = get_user_model().objects.create_user(username, password="pw", is_staff=True)
    made.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    company.staff.add(made)
    return get_user_model().objects.get(pk=made.pk)


@pytest.fixture
def shop(company):
    return {
        "tee": factories.record(company, sku="TEE", on_hand=12, upc="012345678905"),
        "cap": factories.record(company, sku="CAP", on_hand=3, reorder_level=5),
    }


@pytest.fixture
def counter(client, company):
    client.force_login(user(company, *COUNTER))
    return client


@pytest.fixture
def supervisor(client, company):
    client.force_login(user(company, *SUPERVISOR, username="boss"))
    return client


def scan(client, count, code, headers=None, **extra):
    return client.post(
        f"{CHANGELIST}{count.pk}/scan/",
        data=json.dumps({"code": code, **extra}),
        content_type="application/json",
        headers=headers or {},
    )


def test_starting_a_count_of_a_whole_location_opens_the_scanner(counter, store, shop):
    response = counter.post(
        f"{CHANGELIST}add/", {"location": store.pk, "scope": "all", "blind": "on"}
    )
    count = Count.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{count.pk}/change/")
    assert (count.number, count.status, count.blind, count.lines.count()) == (
        "CC-00001",
        "open",
        True,
        2,
    )
    page = counter.get(response["Location"])
    assert b'id="scan-code"' in page.content and b"counts/scanner.js" in page.content
    assert b"Expected" not in page.content  # blind: no book figures on the screen


def test_a_count_of_named_skus_refuses_an_unknown_one(counter, store, shop):
    response = counter.post(
        f"{CHANGELIST}add/", {"location": store.pk, "scope": "skus", "skus": "TEE\nNOPE"}
    )
    assert "Unknown SKU or UPC: NOPE" in response.content.decode()
    assert not Count.objects.exists()
    counter.post(f"{CHANGELIST}add/", {"location": store.pk, "scope": "skus", "skus": "TEE"})
    assert [line.record.sku for line in Count.objects.get().lines.all()] == ["TEE"]


def test_a_count_of_an_inventory_list_filter_takes_the_filters_records(counter, store, shop):
    counter.post(
        f"{CHANGELIST}add/",
        {
            "location": store.pk,
            "scope": "inventory",
            "inventory": "http://testserver/admin/inventory/inventoryrecord/?status=low_stock",
        },
    )
    assert [line.record.sku for line in Count.objects.get().lines.all()] == ["CAP"]


def test_scans_add_one_and_equals_n_sets_the_count(counter, company, store, shop):
    count = services.open_count(company=company, location=store)
    assert json.loads(scan(counter, count, "TEE").content)["counted"] == 1
    assert json.loads(scan(counter, count, "0012345678905").content)["counted"] == 2  # EAN-13
    assert json.loads(scan(counter, count, "TEE", set=7).content)["counted"] == 7
    line = count.lines.get(record=shop["tee"])
    assert line.counted == 7 and line.counted_at is not None and line.position > 0


def test_an_unknown_code_is_flagged_and_counts_nothing(counter, company, store, shop):
    count = services.open_count(company=company, location=store)
    response = scan(counter, count, "999999")
    assert response.status_code == 404
    assert json.loads(response.content) == {
        "ok": False,
        "code": "999999",
        "error": "Unknown code: 999999",
    }
    assert not count.lines.filter(counted__isnull=False).exists()


def test_a_retried_scan_counts_once(counter, company, store, shop):
    count = services.open_count(company=company, location=store)
    for _ in range(2):
        scan(counter, count, "TEE", headers={"Idempotency-Key": "scan-abc"})
    assert count.lines.get(record=shop["tee"]).counted == 1


def test_review_lists_the_largest_variance_first_and_apply_needs_its_permission(
    counter, client, company, store, shop
):
    count = services.open_count(company=company, location=store)
    services.enter(
        count=count,
        entries=[services.Entry(shop["tee"], 11), services.Entry(shop["cap"], 8)],
    )
    create_purchase_order(
        company=company,
        supplier=find_or_create_supplier(company=company, name="Capco"),
        location=store,
        lines=[OrderLine(shop["cap"], 10, Decimal("2.50"))],
        status="draft",
    )
    review = counter.get(f"{CHANGELIST}{count.pk}/review/")
    rows = [(line.record.sku, line.gap, line.gap_value) for line in review.context["lines"]]
    assert rows == [("CAP", 5, Decimal("12.5")), ("TEE", -1, None)]  # largest first
    assert review.context["value"] == Decimal("12.5")  # where a cost is known
    assert b'id="apply-button"' not in review.content
    before = figures([shop["tee"], shop["cap"]])
    assert counter.post(f"{CHANGELIST}{count.pk}/apply/").status_code == 403
    assert figures([shop["tee"], shop["cap"]]) == before

    client.force_login(user(company, *SUPERVISOR, username="boss"))
    response = client.post(f"{CHANGELIST}{count.pk}/apply/")
    assert response.status_code == 302
    count.refresh_from_db()
    assert (count.status, count.variance_units) == ("applied", 6)
    assert (on_hand(shop["tee"], store), on_hand(shop["cap"], store)) == (11, 8)
    row = StockMovement.objects.filter(record=shop["cap"]).first()
    assert (row.reason, row.door, row.reference, row.actor_user.username) == (
        "count",
        Door.ADMIN,
        count.number,
        "boss",
    )
    again = client.post(f"{CHANGELIST}{count.pk}/apply/", follow=True)
    assert "is applied: it can no longer change" in again.content.decode()
    assert StockMovement.objects.filter(reason="count").count() == 2


def test_cancelling_needs_its_permission_and_changes_nothing(counter, client, company, store, shop):
    count = services.open_count(company=company, location=store)
    assert counter.post(f"{CHANGELIST}{count.pk}/cancel/").status_code == 403
    client.force_login(user(company, *SUPERVISOR, username="boss"))
    before = figures([shop["tee"]])
    client.post(f"{CHANGELIST}{count.pk}/cancel/")
    count.refresh_from_db()
    assert count.status == "cancelled" and figures([shop["tee"]]) == before


def test_another_companys_count_is_out_of_reach(counter, other_company):
    theirs = services.open_count(
        company=other_company, location=factories.default_store(other_company)
    )
    assert counter.get(f"{CHANGELIST}{theirs.pk}/scan/").status_code == 404
    assert counter.get(f"{CHANGELIST}{theirs.pk}/change/").status_code == 302
    assert counter.get(CHANGELIST).context["cl"].result_count == 0


def test_the_counts_list_answers_in_a_few_queries(
    counter, company, store, shop, django_assert_max_num_queries
):
    for _ in range(5):
        services.open_count(company=company, location=store)
    with django_assert_max_num_queries(12):
        response = counter.get(CHANGELIST)
    assert response.status_code == 200 and b"CC-00005" in response.content


def test_the_dashboard_panel_shows_last_counted_and_large_variances(company, store, shop):
    north = factories.store(company, name="North")
    count = services.open_count(company=company, location=store)
    services.enter(count=count, entries=[services.Entry(shop["tee"], 30)])
    services.apply_count(count=count, door=Door.ADMIN)
    request = RequestFactory().get("/admin/")
    request.user = user(company, *SUPERVISOR, username="boss")
    html = render_to_string("admin/counts/dashboard_panel.html", request=request)
    assert "CC-00001" in html and "North" in html and "never" in html
    assert html.count("CC-00001") == 2  # last count of the main store, and large (+18)
    assert north.name in html


def test_ledger_references_link_to_their_counts(company, other_company, store):
    count = services.open_count(company=company, location=store)
    services.open_count(company=other_company, location=factories.default_store(other_company))
    rows = [StockMovement(reference=count.number), StockMovement(reference="PO-00001")]
    assert ledger_links(company, rows) == {count.number: f"{CHANGELIST}{count.pk}/change/"}


def test_the_inventory_list_action_starts_a_count_of_the_selection(counter, store, shop):
    response = counter.post(
        "/admin/inventory/inventoryrecord/",
        {"action": "start_count_action", "_selected_action": [shop["cap"].pk]},
    )
    assert response.status_code == 302 and "selection=1" in response["Location"]
    page = counter.get(response["Location"])
    assert b"Counting the <strong>1</strong> record(s)" in page.content
    counter.post(
        f"{CHANGELIST}add/",
        {"location": store.pk, "records": str(shop["cap"].pk), "blind": "on"},
    )
    assert [line.record.sku for line in Count.objects.get().lines.all()] == ["CAP"]
