"""Issue 14: the staff menu shows stock work first; technical models sit in a section only
superusers see."""

from django.contrib.auth.models import Permission

from .helpers import staff, superuser


def _menu(response):
    return [
        (app["name"], [m["object_name"] for m in app["models"]])
        for app in response.context["app_list"]
    ]


def test_staff_see_stock_work_first_and_no_plumbing(client, company):
    client.force_login(staff(company))
    menu = _menu(client.get("/admin/"))
    assert menu[0] == ("Inventory", ["InventoryRecord", "StockMovement", "StockAlert"])
    names = [name for name, _ in menu]
    assert names.index("Catalog") < names.index("Tenancy")
    models = {m for _, ms in menu for m in ms}
    assert not models & {"IdempotencyKey", "OutboxEvent", "Delivery", "DeliveryAttempt"}


def test_orders_transfers_and_counts_come_right_after_the_stock(client, company):
    """They sat below Tenancy, Webhooks and Authentication, the last of the menu."""
    user = staff(company)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["operations", "counts"])
    )
    client.force_login(user)
    menu = _menu(client.get("/admin/"))
    assert [name for name, _ in menu][:4] == [
        "Inventory", "Stock operations", "Cycle counts", "Catalog",
    ]  # fmt: skip
    assert dict(menu)["Stock operations"] == ["PurchaseOrder", "Transfer", "Supplier"]
    client.force_login(superuser())
    names = [name for name, _ in _menu(client.get("/admin/"))]
    assert (
        names.index("Cycle counts")
        < names.index("Tenancy")
        < names.index("Authentication and Authorization")
    )


def test_superusers_find_the_plumbing_in_its_own_section(client, db):
    client.force_login(superuser())
    menu = dict(_menu(client.get("/admin/")))
    assert "IdempotencyKey" not in menu["Inventory"]
    assert {"IdempotencyKey", "OutboxEvent"} <= set(menu["Technical (superusers only)"])
    assert list(menu)[-1] == "Technical (superusers only)"


def test_shop_labels_and_counts_in_words(client, company):
    from tests import factories

    client.force_login(staff(company))
    form = client.get("/admin/catalog/item/add/").content.decode()
    assert ">SKU:</label>" in form and ">Currency:</label>" in form
    item = factories.item(company, sku="HAT")
    response = client.post(
        "/admin/catalog/item/",
        {"action": "start_tracking", "_selected_action": [item.pk]},
        follow=True,
    )
    assert "Tracking 1 item." in response.content.decode()
