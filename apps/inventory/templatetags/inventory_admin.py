"""The dashboard on the admin index: what needs attention, linked to the filtered lists."""

from django import template
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse

from apps.tenancy.admin_base import company_ids, scope

from ..admin import wording
from ..admin.ledger import newest_of
from ..models import NEEDS_REORDER, InventoryRecord, Status, StockAlert, StockMovement

register = template.Library()

# A ledger row in the shop's words, the same on every page (see admin/wording.py).
register.filter("reason_label", wording.reason_label)
register.filter("signed_units", wording.signed_units)
register.filter("source", wording.source)
register.filter("destination", wording.destination)
register.filter("is_counted", wording.is_counted)
register.filter("door_label", wording.door_label)
register.filter("actor_label", wording.actor_label)
register.filter("when", wording.when)

LATEST_MOVEMENTS = 10


@register.simple_tag(takes_context=True)
def inventory_dashboard(context):
    request = context["request"]
    user = request.user
    if not (user.is_active and user.is_staff):
        return None
    if company_ids(request) == []:
        # Not a calm, empty shop: nothing is shown because nobody gave this user a company.
        return {"no_company": True, "fixers": _superusers()}
    if not user.has_perm("inventory.view_inventoryrecord"):
        return None
    records = scope(request, InventoryRecord.objects.live())
    # Each card counts what its link lists: the figures' status (as the alerts follow it),
    # and apart from it what still needs reorder once open orders arrive.
    by_status = dict(
        records.filter(status__in=NEEDS_REORDER)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    to_reorder = records.needing_reorder().count()
    open_alerts = scope(request, StockAlert.objects.filter(closed_at__isnull=True)).count()
    changelist = reverse("admin:inventory_inventoryrecord_changelist")
    ids = company_ids(request)
    movements = scope(request, StockMovement.objects.all())
    if ids is not None and len(ids) == 1:
        movements = newest_of(movements, ids[0])
    latest = list(
        movements.select_related(
            "record", "from_location", "to_location", "actor_user", "actor_api_key"
        ).order_by("-id")[:LATEST_MOVEMENTS]
    )
    return {
        "cards": [
            {
                "label": "Out of stock",
                "count": by_status.get(Status.OUT_OF_STOCK, 0),
                "url": f"{changelist}?status={Status.OUT_OF_STOCK}",
                "tone": "out_of_stock",
            },
            {
                "label": "Low stock",
                "count": by_status.get(Status.LOW_STOCK, 0),
                "url": f"{changelist}?status={Status.LOW_STOCK}",
                "tone": "low_stock",
            },
            {
                "label": "Needs reorder",
                "count": to_reorder,
                "url": f"{changelist}?needs_reorder=yes",
                "tone": "reorder",
            },
            {
                "label": "Open alerts",
                "count": open_alerts,
                "url": f"{changelist}?open_alert=yes",
                "tone": "alert",
            },
        ],
        "reorder_url": reverse("admin:inventory_inventoryrecord_reorder_report"),
        "ledger_url": reverse("admin:inventory_stockmovement_changelist"),
        "latest": latest,
    }


def _superusers() -> list[str]:
    """Who can add a user to a company's staff: the active superusers, by name and email."""
    users = get_user_model().objects.filter(is_active=True, is_superuser=True).order_by("id")
    return [f"{u.get_username()} <{u.email}>" if u.email else u.get_username() for u in users[:5]]
