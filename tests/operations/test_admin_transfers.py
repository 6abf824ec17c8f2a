"""Transfers in the admin: draft from pasted lines, ship, receive some, close; the record
page hook shows incoming and in transit; ledger rows link to their transfer."""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string

from apps.inventory.models import StockMovement
from apps.operations import services
from apps.operations.admin.hooks import ledger_links, record_context
from apps.operations.models import Transfer

from .helpers import on_hand, staff, token_of

pytestmark = pytest.mark.django_db

LIST = "/admin/operations/transfer/"


def do(client, transfer, action, **fields):
    page = client.get(f"{LIST}{transfer.pk}/change/")
    return client.post(
        f"{LIST}{transfer.pk}/change/",
        {"submission": token_of(page), "action": action, **fields},
        follow=True,
    )


def test_draft_ship_receive_some_then_close(clerk, shop, company):
    answer = clerk.post(
        f"{LIST}add/",
        {
            "from_location": shop["main"].pk,
            "to_location": shop["north"].pk,
            "lines": "TEE,6\nCAP,4",
        },
    )
    assert answer.status_code == 302
    transfer = Transfer.objects.get()
    assert (transfer.number, transfer.status) == ("TR-00001", "draft")

    assert "shipped" in do(clerk, transfer, "ship").content.decode()
    assert (on_hand(shop["tee"], shop["main"]), on_hand(shop["tee"], shop["north"])) == (4, 0)
    page = clerk.get(f"{LIST}{transfer.pk}/change/").content.decode()
    assert 'value="6"' in page  # in transit pre-filled

    tee_line = transfer.lines.get(sku="TEE")
    do(clerk, transfer, "receive", **{f"qty-{tee_line.pk}": "5"})
    transfer.refresh_from_db()
    assert transfer.status == "in_transit"
    assert on_hand(shop["tee"], shop["north"]) == 5

    context = record_context(shop["tee"])["operations"]
    assert context["in_transit"] == 1
    assert context["in_transit_to"] == {shop["north"].pk: 1}
    assert [(r["location"], r["in_transit"]) for r in context["by_location"]] == [
        (shop["north"], 1)
    ]
    assert context["transfers"][0]["number"] == "TR-00001"

    do(clerk, transfer, "close")
    transfer.refresh_from_db()
    assert transfer.status == "closed"
    assert [(ln.sku, ln.lost) for ln in transfer.lines.order_by("id")] == [("TEE", 1), ("CAP", 4)]
    rows = list(StockMovement.objects.filter(reference="TR-00001"))
    links = ledger_links(company, rows)
    assert links == {"TR-00001": f"{LIST}{transfer.pk}/change/"}


def test_shipping_without_stock_is_refused_with_figures(clerk, shop, company):
    transfer = services.create_transfer(
        company=company,
        from_location=shop["main"],
        to_location=shop["north"],
        lines=[services.TransferItem(shop["cap"], 9)],
    )
    answer = do(clerk, transfer, "ship")
    assert "4 on hand, 9 requested" in answer.content.decode()
    assert Transfer.objects.get().status == "draft"
    assert on_hand(shop["cap"], shop["main"]) == 4


def test_each_action_needs_its_permission(client, shop, company):
    client.force_login(staff(company, username="junior", actions=("receive_transfer",)))
    transfer = services.create_transfer(
        company=company,
        from_location=shop["main"],
        to_location=shop["north"],
        lines=[services.TransferItem(shop["tee"], 1)],
    )
    page = client.get(f"{LIST}{transfer.pk}/change/").content.decode()
    assert 'value="ship"' not in page
    assert client.post(f"{LIST}{transfer.pk}/change/", {"action": "ship"}).status_code == 403
    assert Transfer.objects.get().status == "draft"


def test_the_same_origin_and_destination_is_refused(clerk, shop):
    answer = clerk.post(
        f"{LIST}add/",
        {"from_location": shop["main"].pk, "to_location": shop["main"].pk, "lines": "TEE,1"},
    )
    assert answer.status_code == 200
    assert "another location" in answer.content.decode()
    assert not Transfer.objects.exists()


def test_the_record_page_include_renders(shop, company):
    services.create_transfer(
        company=company,
        from_location=shop["main"],
        to_location=shop["north"],
        lines=[services.TransferItem(shop["tee"], 2)],
    )
    html = render_to_string("admin/operations/record_operations.html", record_context(shop["tee"]))
    assert "TR-00001" in html and 'id="figure-incoming">0<' in html
    link = Template("{% load operations_admin %}{% operation_link ref links %}").render(
        Context({"ref": "TR-00001", "links": {"TR-00001": "/x/"}})
    )
    assert link == '<a href="/x/" class="op-ref">TR-00001</a>'
