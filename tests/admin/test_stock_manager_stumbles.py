"""What a stock manager tripped over when driving the admin in a browser: each test is one
stumble, fixed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.inventory import services
from apps.inventory.admin.chart import on_hand_chart
from apps.inventory.models import Door, InventoryRecord, StockMovement
from apps.locations.models import Location
from apps.tenancy.models import ApiKey
from tests import factories

from .helpers import CHANGELIST, change_url, staff, superuser

LEDGER = "/admin/inventory/stockmovement/"


@pytest.fixture
def clerk(client, company, other_company):
    client.force_login(staff(company))
    return client


@pytest.fixture
def root(client, db):
    client.force_login(superuser())
    return client


# A staff user of one company does not choose among companies ------------------------------


@pytest.mark.parametrize(
    "url",
    ["/admin/locations/location/add/", "/admin/tenancy/apikey/add/", "/admin/catalog/item/add/"],
)
def test_single_company_staff_find_their_company_preset_without_a_blank_choice(clerk, url):
    field = clerk.get(url).context["adminform"].form.fields["company"]
    assert [label for _, label in field.choices] == ["Acme"]
    assert f'value="{field.queryset.get().pk}" selected' in str(
        field.widget.render("company", field.initial)
    )


def test_single_company_staff_add_a_location_and_a_key_with_the_company_preset(clerk, company):
    form = clerk.get("/admin/locations/location/add/").context["adminform"].form
    data = {"company": form.fields["company"].initial, "name": "Back room", "store_code": "BR1"}
    data.update({"address_type": "warehouse", "country": ""})
    response = clerk.post("/admin/locations/location/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Location.objects.get(name="Back room").company == company
    key_form = clerk.get("/admin/tenancy/apikey/add/").context["adminform"].form
    response = clerk.post(
        "/admin/tenancy/apikey/add/",
        {"company": key_form.fields["company"].initial, "name": "till", "scope": "write"},
    )
    assert response.status_code == 302
    assert ApiKey.objects.get(name="till").company == company


def test_staff_of_two_companies_still_choose(client, company, other_company):
    client.force_login(staff(company, other_company))
    field = client.get("/admin/tenancy/apikey/add/").context["adminform"].form.fields["company"]
    assert [label for _, label in field.choices] == ["---------", "Acme", "Globex"]


# The adjust form says what is wrong ---------------------------------------------------------


@pytest.fixture
def record(company):
    return factories.record(company, sku="TEE-M", on_hand=10, reorder_level=4, name="M")


def _adjust(client, record, **data):
    payload = {"form": "adjust", "reason": "count", "note": ""}
    payload.setdefault("location", factories.default_store(record.company).pk)
    payload.update(data)
    return client.post(change_url(record), payload)


def test_an_empty_adjustment_asks_for_a_count_or_a_change(root, record):
    errors = _adjust(root, record).context["adjust_form"].non_field_errors()
    assert list(errors) == ["Give a new count or a signed change."]


def test_a_negative_count_is_one_error_on_the_count_not_a_both_given_error(root, record):
    form = _adjust(root, record, new_count=-1).context["adjust_form"]
    assert list(form.non_field_errors()) == []
    assert form.errors["new_count"] == ["Ensure this value is greater than or equal to 0."]
    assert InventoryRecord.objects.get(pk=record.pk).quantity == 10


def test_the_location_preselected_is_where_the_stock_is(root, company, record):
    back = factories.store(company, name="Back room")
    services.transfer(
        company=company,
        record=record,
        from_location=factories.default_store(company),
        to_location=back,
        quantity=10,
        door=Door.ADMIN,
    )
    form = root.get(change_url(record)).context["adjust_form"]
    assert form.fields["location"].initial == back.pk
    fresh = factories.record(company, sku="NEW-1")
    form = root.get(change_url(fresh)).context["adjust_form"]
    assert form.fields["location"].initial == factories.default_store(company).pk


# The chart runs to now, whatever the span --------------------------------------------------


def test_chart_of_a_movement_made_a_moment_ago_spans_the_whole_width():
    now = timezone.now()
    svg = on_hand_chart([(now - timedelta(milliseconds=300), 7)], now=now)
    assert 'cx="628.0"' in svg  # the last dot at the right edge, not half way
    assert now.strftime("%Y") not in svg.split("</title>")[1]  # times, not the date twice


def test_chart_over_weeks_labels_dates():
    now = timezone.now()
    svg = on_hand_chart([(now - timedelta(days=30), 5), (now - timedelta(days=2), 9)], now=now)
    assert timezone.localtime(now).strftime("%d %b %Y") in svg


# Words and links ---------------------------------------------------------------------------


def test_variant_named_by_its_size_and_width_is_not_shown_twice(root, company):
    factories.record(company, sku="SUIT-36-D", name="36 D", attributes={"size": "36", "width": "D"})
    factories.record(company, sku="TEE-B", name="Black", attributes={"size": "M"})
    response = root.get(CHANGELIST)
    body = response.content.decode()
    assert "36 D (36 D)" not in body
    assert '<td class="field-variant_name">36 D</td>' in body
    assert '<td class="field-variant_name">Black (M)</td>' in body


def test_status_filter_speaks_the_badges_words(root, record):
    specs = root.get(CHANGELIST).context["cl"].filter_specs
    status = next(f for f in specs if getattr(f, "parameter_name", "") == "status")
    assert dict(status.lookup_choices)["unknown"] == "Not tracked"
    assert dict(status.lookup_choices)["low_stock"] == "Low stock"
    tracking = next(f for f in specs if getattr(f, "parameter_name", "") == "is_trackable__exact")
    assert tracking.title == "tracking"


def test_changelist_headers_are_short(root, record):
    body = root.get(CHANGELIST).content.decode()
    for header in ("on hand", "reserved", "available", "reorder level", "reorder qty"):
        assert f">{header.capitalize()}<" in body or f">{header}<" in body.lower(), header
    assert "Reserved quantity" not in body and "Available quantity" not in body


@pytest.mark.parametrize("url", [CHANGELIST, LEDGER])
def test_big_lists_offer_no_count_every_filter_link(root, record, url):
    response = root.get(url)
    assert "_facets" not in response.content.decode()
    response = root.get(url, {"_facets": "True"})
    assert "(1)" not in response.content.decode().split('id="changelist-filter"')[1]


def test_ledger_rows_link_to_the_record_page_and_sort_by_time_only(root, record):
    response = root.get(LEDGER)
    body = response.content.decode()
    assert f'<a href="{change_url(record)}">TEE-M</a>' in body
    assert response.context["cl"].sortable_by == ["when"]
    oldest_first = root.get(LEDGER, {"o": "1"}).context["cl"].result_list
    assert [m.pk for m in oldest_first] == sorted(m.pk for m in oldest_first)


def test_record_page_links_to_item_variant_and_its_ledger(root, company, record):
    body = root.get(change_url(record)).content.decode()
    assert f'href="/admin/catalog/item/{record.item_id}/change/"' in body
    assert f'href="/admin/catalog/variant/{record.variant_id}/change/"' in body
    ledger_url = f"{LEDGER}?record__id__exact={record.pk}"
    assert ledger_url in body
    other = factories.record(company, sku="OTHER", on_hand=1)
    listed = root.get(ledger_url).context["cl"].result_list
    assert {m.record_id for m in listed} == {record.pk} and other.pk not in listed
    assert "Acme · " in body  # a superuser sees whose record it is


def test_record_page_of_a_single_company_user_does_not_name_the_company(clerk, record):
    assert "Acme · " not in clerk.get(change_url(record)).content.decode()


def test_item_page_links_each_variant_to_its_stock_page(root, record):
    body = root.get(f"/admin/catalog/item/{record.item_id}/change/").content.decode()
    assert f'<a href="{change_url(record)}">stock page</a>' in body
    assert "admin_extra/admin_extra.css" in body


def test_api_keys_filter_by_state_in_plain_words(root, company):
    active, _ = factories.api_key(company)
    revoked, _ = factories.api_key(company)
    revoked.revoke()
    response = root.get("/admin/tenancy/apikey/", {"state": "revoked"})
    assert list(response.context["cl"].result_list) == [revoked]
    response = root.get("/admin/tenancy/apikey/", {"state": "active"})
    assert list(response.context["cl"].result_list) == [active]


def test_reorder_report_names_the_company_for_a_superuser(root, company, other_company):
    factories.record(company, sku="A-LOW", on_hand=1, reorder_level=5)
    factories.record(other_company, sku="G-LOW", on_hand=1, reorder_level=5)
    body = root.get(f"{CHANGELIST}reorder-report/").content.decode()
    assert "Acme · Main store" in body and "Globex · Main store" in body


def test_ledger_is_still_read_only(root, record):
    movement = StockMovement.objects.filter(record=record).first()
    response = root.get(f"{LEDGER}{movement.pk}/change/")
    assert response.status_code == 200 and 'name="_save"' not in response.content.decode()
