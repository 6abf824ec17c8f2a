"""What a stock manager tripped over when driving the admin in a browser: each test is one
stumble, fixed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.catalog.models import Item
from apps.inventory import services
from apps.inventory.admin.chart import on_hand_chart
from apps.inventory.models import Door, InventoryRecord, StockMovement
from apps.locations.models import Location
from apps.tenancy.models import ApiKey
from tests import factories

from .helpers import CHANGELIST, change_url, staff, superuser, with_token

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
    return client.post(change_url(record), with_token(payload))


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
    for header in ("on hand", "reserved", "available", "reorder at", "reorder qty"):
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


# What the database would refuse is said on the form, never a server error ------------------


def _location(company, **fields):
    data = {"company": company.pk, "name": "Back room", "store_code": "", "description": ""}
    data.update({"address_type": "warehouse", "street": "", "city": "", "state": ""})
    data.update({"postal_code": "", "country": ""})
    data.update(fields)
    return data


def test_ticking_default_on_a_new_location_moves_the_default(clerk, company):
    main = factories.default_store(company)
    response = clerk.post(
        "/admin/locations/location/add/", _location(company, name="Flagship", is_default="on")
    )
    assert response.status_code == 302
    flagship = Location.objects.get(name="Flagship")
    assert flagship.is_default and not Location.objects.get(pk=main.pk).is_default
    assert services.default_store(company) == flagship
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("now the default location (was Main store [main])" in m for m in messages)


def test_the_default_location_cannot_be_unticked(clerk, company):
    main = factories.default_store(company)
    data = _location(company, name="Main store", store_code="main")
    response = clerk.post(f"/admin/locations/location/{main.pk}/change/", data)
    assert response.status_code == 200
    assert "make another location the default" in str(response.context["adminform"].form.errors)
    assert Location.objects.get(pk=main.pk).is_default


def test_a_store_code_in_use_is_a_form_error(clerk, company, other_company):
    factories.store(company, name="Back", store_code="BR1")
    factories.store(other_company, name="Theirs", store_code="TH1")
    response = clerk.post("/admin/locations/location/add/", _location(company, store_code="BR1"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["store_code"] == ["Another location of this company has store code BR1."]
    response = clerk.post("/admin/locations/location/add/", _location(company, store_code="TH1"))
    assert response.status_code == 302  # another company's code is no concern of Acme's


def _item(company, sku="NEW", variants=()):
    data = {"company": company.pk, "name": "Boot", "sku": sku, "price": "10"}
    data.update({"currency_id": "USD", "type": "INVENTORY", "status": "ACTIVE", "description": ""})
    data.update({"variants-TOTAL_FORMS": str(len(variants)), "variants-INITIAL_FORMS": "0"})
    data.update({"variants-MIN_NUM_FORMS": "0", "variants-MAX_NUM_FORMS": "1000"})
    for i, row in enumerate(variants):
        base = {"name": f"v{i}", "sku": "", "upc": "", "size": "", "width": "", "price": "10"}
        data.update({f"variants-{i}-{k}": v for k, v in {**base, **row}.items()})
    return data


@pytest.mark.parametrize(
    ("sku", "variants", "field", "message"),
    [
        ("CB", [], "sku", "Another item of this company has SKU CB."),
        ("CB-9", [], "sku", "A variant of this company already has SKU CB-9."),
        ("N", [{"sku": "CB-9"}], "variants-0-sku", "Another variant of this company has SKU CB-9."),
        (
            "N",
            [{"sku": "N-1", "upc": "36000291452"}],  # the same GTIN as 036000291452
            "variants-0-upc",
            "Another variant of this company has UPC 36000291452.",
        ),
        (
            "N",
            [{"sku": "Y"}, {"sku": "Y"}],
            "variants-1-sku",
            "Two variants here have the same SKU.",
        ),
    ],
)
def test_duplicate_codes_on_the_item_page_are_form_errors(
    clerk, company, sku, variants, field, message
):
    factories.item(company, sku="CB", variants=[{"sku": "CB-9", "upc": "036000291452"}])
    response = clerk.post("/admin/catalog/item/add/", _item(company, sku, variants))
    assert response.status_code == 200
    assert f'id="id_{field}_error"><li>{message}</li>' in response.content.decode()
    assert not Item.objects.filter(name="Boot").exists()


def test_the_same_codes_in_another_company_are_fine(clerk, company, other_company):
    factories.item(other_company, sku="CB", variants=[{"sku": "CB-9", "upc": "036000291452"}])
    data = _item(company, "CB", [{"sku": "CB-9", "upc": "036000291452", "size": "9"}])
    response = clerk.post("/admin/catalog/item/add/", data)
    assert response.status_code == 302
    variant = Item.objects.get(company=company, sku="CB").variants.get()
    assert (variant.sku, variant.upc, variant.size) == ("CB-9", "036000291452", "9")


def test_variant_page_refuses_a_duplicate_upc(root, company):
    factories.item(company, sku="CB", variants=[{"sku": "CB-9", "upc": "036000291452"}])
    other = factories.item(company, sku="OT", variants=[{"sku": "OT-1"}])
    variant = other.variants.get()
    data = {"item": other.pk, "name": "x", "sku": "OT-1", "upc": "036000291452", "price": "1"}
    response = root.post(f"/admin/catalog/variant/{variant.pk}/change/", data)
    assert response.status_code == 200
    assert "Another variant of this company has UPC" in str(response.context["adminform"].errors)
