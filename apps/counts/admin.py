"""Counts in the admin: the list, a page to start one, the scanning screen, review and apply.

Starting is the `add` permission, counting (scanning) `change`, applying and cancelling the
permissions of their own (`counts.apply_count`, `counts.cancel_count`)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count as Tally
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from apps.inventory.models import InventoryRecord
from apps.operations.admin.common import ScopedLocationFilter
from apps.tenancy.admin_base import CompanyScopedAdmin

from . import admin_views
from .models import Count

STATUS_TONES = {
    Count.Status.OPEN: "low_stock",
    Count.Status.APPLIED: "in_stock",
    Count.Status.CANCELLED: "discontinued",
}


@admin.register(Count)
class CountAdmin(CompanyScopedAdmin):
    list_display = [
        "number",
        "location",
        "status_badge",
        "blind",
        "lines_total",
        "lines_counted",
        "variance_units",
        "created_at",
        "applied_at",
    ]
    list_filter = ["status", ScopedLocationFilter]
    search_fields = ["number"]
    list_select_related = ["location"]
    ordering = ["-id"]
    list_per_page = 50

    class Media:
        css = {"all": ["counts/counts.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_lines=Tally("lines"),
                n_counted=Tally("lines", filter=Q(lines__counted__isnull=False)),
            )
        )

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        return format_html(
            '<span class="ae-badge ae-{}">{}</span>', STATUS_TONES[obj.status], obj.status
        )

    @admin.display(description="lines")
    def lines_total(self, obj):
        return obj.n_lines

    @admin.display(description="counted")
    def lines_counted(self, obj):
        return obj.n_counted

    def has_delete_permission(self, request, obj=None):
        return False  # a count is cancelled, never deleted: applied ones are in the ledger

    def get_urls(self):
        def view(fn, suffix):
            def wrapped(request, object_id):
                return fn(self, request, self._count_or_404(request, object_id))

            return path(
                f"<path:object_id>/{suffix}/",
                self.admin_site.admin_view(wrapped),
                name=f"counts_count_{suffix}",
            )

        return [
            view(admin_views.scan, "scan"),
            view(admin_views.review, "review"),
            view(admin_views.apply, "apply"),
            view(admin_views.cancel, "cancel"),
            *super().get_urls(),
        ]

    def _count_or_404(self, request, object_id):
        count = self.get_object(request, unquote(object_id))
        if count is None:
            raise Http404("No such count.")
        if not self.has_view_or_change_permission(request, count):
            raise PermissionDenied
        return count

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return admin_views.start(self, request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        count = self.get_object(request, unquote(object_id))
        if count is None:
            return HttpResponseRedirect(reverse("admin:counts_count_changelist"))
        if not self.has_view_or_change_permission(request, count):
            raise PermissionDenied
        return admin_views.count_page(self, request, count)


@admin.action(description="Start a count of the selected records", permissions=["view"])
def start_count_action(modeladmin, request, queryset):
    """For the inventory changelist's `actions`: opens the start page with the selection
    (the whole filter's records when "select all" was used)."""
    ids = list(queryset.order_by("id").values_list("id", flat=True)[: admin_views.MAX_SCOPE])
    request.session[admin_views.SELECTION_KEY] = ids
    return HttpResponseRedirect(reverse("admin:counts_count_add") + "?selection=1")


# The inventory changelist offers "Start a count of the selected records" (with "select all",
# the whole filter's records). Added here, to the registered InventoryRecord admin, so the
# inventory admin needs no edit; apps.inventory is installed (and its admin loaded) first.
_inventory_admin = admin.site.get_model_admin(InventoryRecord)
_inventory_admin.actions = [*_inventory_admin.actions, start_count_action]
