import pytest

from apps.inventory import services
from apps.inventory.models import Door, InventoryRecord, Reason, StockMovement
from tests import factories

from .helpers import change_url, sell, staff, superuser, with_token


@pytest.fixture
def user(db):
    return superuser()


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def record(company):
    rec = factories.record(company, sku="TEE-M", on_hand=10, reorder_level=4, name="M")
    return sell(rec, factories.default_store(company), 7)  # 3 left: low stock, alert open


def test_page_shows_figures_levels_chart_ledger_and_alerts(logged_in, company, record):
    north = factories.store(company, name="North")
    services.receive(company=company, record=record, location=north, quantity=5, door=Door.ZETTLE)
    response = logged_in.get(change_url(record))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<span class="ae-figure-value" id="figure-quantity">8</span>' in body
    levels = {lv.location.name: lv.on_hand for lv in response.context["levels"]}
    assert levels == {"Main store": 3, "North": 5}
    assert "<svg" in body and 'class="ae-line"' in body and "reorder level 4" in body
    ledger = list(response.context["ledger_page"])
    assert [m.reason for m in ledger] == ["receipt", "sale", "receipt"]  # newest first
    assert [a.kind for a in response.context["open_alerts"]] == []  # 8 >= 4: closed again
    assert [a.kind for a in response.context["past_alerts"]] == ["low_stock"]


def test_ledger_is_paginated(logged_in, company, record):
    for _ in range(30):
        services.receive(
            company=company,
            record=record,
            location=factories.default_store(company),
            quantity=1,
            door=Door.ROOTFI,
        )
    first = logged_in.get(change_url(record))
    assert len(first.context["ledger_page"]) == 25
    assert first.context["ledger_page"][0].quantity_after == 33
    second = logged_in.get(change_url(record), {"ledger_page": 2})
    assert [m.reason for m in second.context["ledger_page"]][-2:] == ["sale", "receipt"]


def _adjust(client, record, **data):
    fields = {
        "form": "adjust",
        "location": factories.default_store(record.company).pk,
        "reason": "count",
        "note": "",
        "new_count": "",
        "change": "",
    }
    fields.update({k: str(v) for k, v in data.items()})
    return client.post(change_url(record), with_token(fields))


def test_new_count_calls_the_service_as_the_admin_door(logged_in, user, record):
    response = _adjust(logged_in, record, new_count=12, note="shelf recount")
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.quantity == 12 and record.status == "in_stock"
    movement = StockMovement.objects.filter(record=record).first()
    assert (movement.reason, movement.door, movement.actor_user, movement.quantity) == (
        Reason.COUNT,
        Door.ADMIN,
        user,
        9,
    )
    assert movement.note == "shelf recount"
    page = logged_in.get(change_url(record))
    assert "Recorded count of 9" in page.content.decode()


@pytest.mark.parametrize(
    ("change", "reason", "quantity", "to_kind"),
    [(5, "receipt", 8, "STORE"), (-2, "writeoff", 1, "BIN"), (-1, "sale", 2, "SOLD")],
)
def test_signed_change_moves_to_or_from_the_reasons_location(
    logged_in, record, change, reason, quantity, to_kind
):
    response = _adjust(logged_in, record, change=change, reason=reason)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.quantity == quantity
    movement = StockMovement.objects.filter(record=record).first()
    assert movement.reason == reason and movement.to_location.kind == to_kind


def test_refusal_shows_a_form_error_with_figures_and_writes_nothing(logged_in, record):
    before = StockMovement.objects.count()
    response = _adjust(logged_in, record, change=-5, reason="writeoff")
    assert response.status_code == 200
    errors = response.context["adjust_form"].non_field_errors()
    assert "Not enough stock of TEE-M at Main store: 3 on hand, 5 requested." in errors[0]
    assert "on hand: 3" in errors[0]
    assert StockMovement.objects.count() == before
    assert InventoryRecord.objects.get(pk=record.pk).quantity == 3


def test_count_below_reserved_is_refused(logged_in, company, record):
    services.reserve(company=company, record=record, quantity=2, door=Door.ROOTFI)
    response = _adjust(logged_in, record, new_count=1)
    assert response.status_code == 200
    assert "2 are reserved" in str(response.context["adjust_form"].errors)
    assert InventoryRecord.objects.get(pk=record.pk).quantity == 3


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"new_count": 4, "change": 2}, "__all__"),
        ({}, "__all__"),
        ({"change": 0}, "change"),
        ({"new_count": 4, "reason": "sale"}, "reason"),
        ({"change": 3, "reason": "sale"}, "reason"),
        ({"change": -3, "reason": "receipt"}, "reason"),
        ({"new_count": -1}, "new_count"),
    ],
)
def test_form_validation(logged_in, record, data, field):
    response = _adjust(logged_in, record, **data)
    assert response.status_code == 200
    assert field in response.context["adjust_form"].errors
    assert StockMovement.objects.filter(record=record).count() == 2


def test_location_choices_are_the_companys_physical_stores(
    logged_in, company, other_company, record
):
    factories.store(other_company, name="Elsewhere")
    response = logged_in.get(change_url(record))
    names = [loc.name for loc in response.context["adjust_form"].fields["location"].queryset]
    assert names == ["Main store"]
    other = factories.default_store(other_company)
    response = _adjust(logged_in, record, location=other.pk, new_count=1)
    assert "location" in response.context["adjust_form"].errors


def test_settings_form_sets_reorder_figures_through_the_service(logged_in, record):
    response = logged_in.post(
        change_url(record),
        {"form": "settings", "reorder_level": "2", "reorder_quantity": "10", "is_trackable": "on"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.reorder_level, record.reorder_quantity, record.status) == (2, 10, "in_stock")


def test_view_only_staff_sees_no_forms_and_cannot_post(client, company, record):
    client.force_login(staff(company, perms=("view",)))
    response = client.get(change_url(record))
    assert response.status_code == 200
    assert (
        "adjust_form" in response.context and 'id="adjust-stock"' not in response.content.decode()
    )
    _adjust(client, record, new_count=50)
    assert InventoryRecord.objects.get(pk=record.pk).quantity == 3


def test_record_page_queries_are_bounded(logged_in, company, record, django_assert_max_num_queries):
    for _ in range(20):
        services.receive(
            company=company,
            record=record,
            location=factories.default_store(company),
            quantity=1,
            door=Door.ROOTFI,
        )
    with django_assert_max_num_queries(20):
        assert logged_in.get(change_url(record)).status_code == 200
