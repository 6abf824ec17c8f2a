"""What the order and transfer admins share: company-scoped filters, the action runner that
turns refusals into messages, status badges."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.html import format_html

from apps.inventory.errors import IdempotencyConflict, StockError
from apps.locations.models import Location
from apps.tenancy.admin_base import scope

from ..errors import OperationError
from .once import run_once

BADGE = {
    "draft": "unknown",
    "open": "in_stock",
    "partially_received": "low_stock",
    "received": "in_stock",
    "in_transit": "low_stock",
    "closed": "discontinued",
    "cancelled": "discontinued",
}


def badge(status: str, label: str):
    return format_html('<span class="ae-badge ae-{}">{}</span>', BADGE.get(status, ""), label)


class ScopedLocationFilter(admin.SimpleListFilter):
    """Physical locations of the user's companies only."""

    title = "store"
    parameter_name = "store"
    field = "location"

    def lookups(self, request, model_admin):
        stores = scope(request, Location.objects.live().filter(kind=Location.Kind.STORE))
        return [(str(s.pk), str(s)) for s in stores.order_by("name")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{f"{self.field}_id": int(self.value())})
        return queryset


def act(request, obj, *, permission: str | None, handler):
    """Run one action on `obj` once (the form's token), then back to its page. A refusal
    (the operation's or the stock's) is shown with its figures; nothing was changed."""
    if permission and not request.user.has_perm(permission):
        raise PermissionDenied
    try:
        run_once(request, company=obj.company, handler=handler)
    except IdempotencyConflict:
        messages.error(request, "This form was already used for another change: reload the page.")
    except (OperationError, StockError) as refusal:
        messages.error(request, refusal.message)
    return HttpResponseRedirect(request.path)


def quantities(request, lines, prefix: str = "qty") -> list[tuple[object, int]]:
    """[(line, units)] of the per-line inputs the user filled with a positive number."""
    chosen = []
    for line in lines:
        raw = (request.POST.get(f"{prefix}-{line.pk}") or "").strip()
        if raw.isascii() and raw.isdigit() and int(raw) > 0:
            chosen.append((line, int(raw)))
        elif raw and raw != "0":
            raise OperationError(f"{line.sku}: {raw!r} is not a number of units.")
    return chosen
