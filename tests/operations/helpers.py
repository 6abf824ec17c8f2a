"""Staff users and stock for the operations' tests."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from apps.inventory.models import StockLevel
from tests import factories

APPS = ["inventory", "catalog", "locations", "operations"]
ACTIONS = (
    "receive_purchaseorder",
    "cancel_purchaseorder",
    "ship_transfer",
    "receive_transfer",
    "close_transfer",
    "cancel_transfer",
)


def staff(company, *, username="maria", actions=ACTIONS, password="pw"):
    """A staff user of `company` who may view, add and change everything in the stock apps
    and take the given operations actions."""
    user = get_user_model().objects.create_user(username, password=password, is_staff=True)
    perms = Permission.objects.filter(content_type__app_label__in=APPS)
    user.user_permissions.set(
        [
            p
            for p in perms
            if p.codename.split("_", 1)[0] in ("view", "add", "change") or p.codename in actions
        ]
    )
    company.staff.add(user)
    return get_user_model().objects.get(pk=user.pk)


def stocked_shop(company):
    main = factories.default_store(company)
    north = factories.store(company, name="North", store_code="north")
    return {
        "main": main,
        "north": north,
        "tee": factories.record(company, sku="TEE", on_hand=10, upc="012345678905"),
        "cap": factories.record(company, sku="CAP", on_hand=4),
        "sock": factories.record(company, sku="SOCK"),
    }


def on_hand(record, location) -> int:
    level = StockLevel.objects.filter(record=record, location=location).first()
    return level.on_hand if level else 0


def token_of(response) -> str:
    """The form token (Idempotency-Key of the submission) of an admin page."""
    html = response.content.decode()
    marker = 'name="submission" value="'
    return html[html.index(marker) + len(marker) :].split('"', 1)[0]
