"""Purchase orders in the admin: create with pasted lines, receive all or some, once per
form, permissions of their own, company scoping."""

import pytest

from apps.inventory.models import StockMovement
from apps.operations import services
from apps.operations.models import PurchaseOrder

from .helpers import on_hand, staff, stocked_shop, token_of

pytestmark = pytest.mark.django_db

LIST = "/admin/operations/purchaseorder/"


def order_of(company, shop, lines=(("tee", 10), ("cap", 5), ("sock", 2))):
    return services.create_purchase_order(
        company=company,
        supplier=services.find_or_create_supplier(company=company, name="Acme"),
        location=shop["north"],
        lines=[services.OrderLine(shop[key], n) for key, n in lines],
    )


def test_create_with_pasted_lines_by_sku_and_upc(clerk, shop, company):
    answer = clerk.post(
        f"{LIST}add/",
        {
            "location": shop["north"].pk,
            "supplier": "Acme Textiles",
            "reference": "A-1",
            "lines": "sku,quantity\nTEE,4\n012345678905\nCAP;3\n\n",
            "place": "on",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    order = PurchaseOrder.objects.get()
    assert (order.number, order.status, order.supplier.name) == (
        "PO-00001",
        "open",
        "Acme Textiles",
    )
    assert [(ln.sku, ln.ordered) for ln in order.lines.order_by("id")] == [("TEE", 5), ("CAP", 3)]


def test_create_refuses_unknown_codes_by_row(clerk, shop):
    answer = clerk.post(
        f"{LIST}add/",
        {"location": shop["north"].pk, "supplier": "Acme", "lines": "TEE,1\nNOPE,2\nCAP,x"},
    )
    assert answer.status_code == 200
    assert "Row 3" in answer.content.decode()
    answer = clerk.post(
        f"{LIST}add/", {"location": shop["north"].pk, "supplier": "Acme", "lines": "TEE,1\nNOPE,2"}
    )
    assert "row 2 (NOPE)" in answer.content.decode()
    assert not PurchaseOrder.objects.exists()


def test_receive_all_is_one_click_and_a_double_submit_acts_once(clerk, shop, company):
    order = order_of(company, shop)
    page = clerk.get(f"{LIST}{order.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="qty-' in body and 'value="10"' in body  # outstanding pre-filled
    form = {"submission": token_of(page), "action": "receive_all"}
    first = clerk.post(f"{LIST}{order.pk}/change/", form, follow=True)
    second = clerk.post(f"{LIST}{order.pk}/change/", form, follow=True)
    assert "now received" in first.content.decode()
    assert "already submitted" in second.content.decode()
    order.refresh_from_db()
    assert order.status == "received"
    assert on_hand(shop["tee"], shop["north"]) == 10
    assert StockMovement.objects.filter(reference=order.number).count() == 3
    assert {m.door for m in StockMovement.objects.filter(reference=order.number)} == {"admin"}


def test_receive_some_lines(clerk, shop, company):
    order = order_of(company, shop)
    lines = {ln.sku: ln for ln in order.lines.all()}
    page = clerk.get(f"{LIST}{order.pk}/change/")
    clerk.post(
        f"{LIST}{order.pk}/change/",
        {
            "submission": token_of(page),
            "action": "receive",
            f"qty-{lines['TEE'].pk}": "6",
            f"qty-{lines['CAP'].pk}": "0",
            f"qty-{lines['SOCK'].pk}": "",
        },
    )
    order.refresh_from_db()
    assert order.status == "partially_received"
    assert on_hand(shop["tee"], shop["north"]) == 6
    assert on_hand(shop["cap"], shop["north"]) == 0


def test_an_over_receipt_is_refused_with_figures_and_changes_nothing(clerk, shop, company):
    order = order_of(company, shop)
    line = order.lines.get(sku="TEE")
    page = clerk.get(f"{LIST}{order.pk}/change/")
    answer = clerk.post(
        f"{LIST}{order.pk}/change/",
        {"submission": token_of(page), "action": "receive", f"qty-{line.pk}": "11"},
        follow=True,
    )
    assert "11 received but only 10 outstanding" in answer.content.decode()
    assert on_hand(shop["tee"], shop["north"]) == 0
    assert PurchaseOrder.objects.get().status == "open"


def test_receiving_needs_its_own_permission(client, shop, company):
    junior = staff(company, username="junior", actions=())
    client.force_login(junior)
    order = order_of(company, shop)
    page = client.get(f"{LIST}{order.pk}/change/")
    assert page.status_code == 200
    assert "Receive everything outstanding" not in page.content.decode()
    answer = client.post(f"{LIST}{order.pk}/change/", {"submission": "x", "action": "receive_all"})
    assert answer.status_code == 403
    assert on_hand(shop["tee"], shop["north"]) == 0


def test_cancel_and_close(clerk, shop, company):
    order = order_of(company, shop)
    page = clerk.get(f"{LIST}{order.pk}/change/")
    clerk.post(f"{LIST}{order.pk}/change/", {"submission": token_of(page), "action": "cancel"})
    assert PurchaseOrder.objects.get(pk=order.pk).status == "cancelled"


def test_list_filters_search_and_scoping(clerk, shop, company, other_company):
    order_of(company, shop)
    second = order_of(company, shop, lines=(("sock", 1),))
    theirs = stocked_shop(other_company)
    order_of(other_company, theirs)
    listed = clerk.get(LIST)
    assert [o.number for o in listed.context["cl"].result_list] == ["PO-00002", "PO-00001"]
    found = clerk.get(LIST, {"q": "CAP"})
    assert [o.number for o in found.context["cl"].result_list] == ["PO-00001"]
    assert clerk.get(LIST, {"status": "received"}).context["cl"].result_list.count() == 0
    other = PurchaseOrder.objects.get(company=other_company)
    assert clerk.get(f"{LIST}{other.pk}/change/").status_code == 302
    assert second.number == "PO-00002"


def test_the_changelist_costs_a_fixed_number_of_queries(
    clerk, shop, company, django_assert_max_num_queries
):
    for _ in range(8):
        order_of(company, shop)
    with django_assert_max_num_queries(14):
        page = clerk.get(LIST)
    assert page.status_code == 200
    assert len(page.context["cl"].result_list) == 8


def test_a_double_submitted_create_form_creates_one_order(clerk, shop):
    page = clerk.get(f"{LIST}add/")
    form = {
        "submission": token_of(page),
        "location": shop["north"].pk,
        "supplier": "Acme",
        "lines": "TEE,4",
        "place": "on",
    }
    first = clerk.post(f"{LIST}add/", form)
    second = clerk.post(f"{LIST}add/", form)
    assert first["Location"] == second["Location"]
    assert PurchaseOrder.objects.count() == 1
