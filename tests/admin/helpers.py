"""Users and data for the admin tests."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from apps.inventory import services
from apps.inventory.admin import once
from apps.inventory.models import Door, InventoryRecord

ADMIN_APPS = ["inventory", "catalog", "locations", "tenancy"]


def superuser(username="root"):
    return get_user_model().objects.create_superuser(username, f"{username}@example.com", "pw")


def staff(*companies, username="clerk", perms=("view", "change", "add", "delete")):
    """A staff user of `companies` holding the given kinds of model permission on the
    admin's apps."""
    user = get_user_model().objects.create_user(username, password="pw", is_staff=True)
    codenames = [p for p in Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)]
    user.user_permissions.set([p for p in codenames if p.codename.split("_", 1)[0] in perms])
    for company in companies:
        company.staff.add(user)
    return get_user_model().objects.get(pk=user.pk)


def sell(record, location, units):
    services.sell(
        company=record.company, record=record, location=location, quantity=units, door=Door.ROOTFI
    )
    return InventoryRecord.objects.get(pk=record.pk)


CHANGELIST = "/admin/inventory/inventoryrecord/"


def change_url(record):
    return f"{CHANGELIST}{record.pk}/change/"


def listed_skus(response) -> set[str]:
    return {r.sku for r in response.context["cl"].result_list}


def with_token(data: dict) -> dict:
    """A stock form's fields as the page sends them: with a fresh one-time token."""
    return {once.FIELD: once.issue(), **data}
