"""The inventory changelist, its actions and the reorder report."""

from itertools import groupby

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from apps.catalog.models import Item, Variant, gtin14
from apps.tenancy.admin_base import (
    CompanyScopedAdmin,
    EstimatedCountPaginator,
    company_ids,
    scope,
)

from .. import services
from ..models import NEEDS_REORDER, InventoryRecord, Status, StockLevel
from . import reorder
from .bulk_edit import bulk_edit_view
from .exports import (
    PURCHASE_HEADER,
    STATUS_LABELS,
    csv_response,
    inventory_csv,
    variant_label,
)
from .filters import (
    DeletedFilter,
    ItemStatusFilter,
    ItemTypeFilter,
    LocationFilter,
    NeedsReorderFilter,
    OpenAlertFilter,
    StatusFilter,
    TrackedFilter,
)
from .importing import import_view
from .record_page import record_page


def status_badge(status: str) -> str:
    return format_html(
        '<span class="ae-badge ae-{}">{}</span>', status, STATUS_LABELS.get(status, status)
    )


@admin.register(InventoryRecord)
class InventoryRecordAdmin(CompanyScopedAdmin):
    list_display = [
        "sku",
        "item_name",
        "variant_name",
        "on_hand",
        "reserved",
        "available",
        "status_badge",
        "reorder_at",
        "reorder_qty",
        "locations",
    ]
    list_display_links = ["sku", "item_name"]
    # Each sortable column has a (column, id) index; sorting by another would sort a
    # million joined rows.
    sortable_by = ["sku", "on_hand", "available", "status_badge"]
    list_filter = [
        StatusFilter,
        NeedsReorderFilter,
        LocationFilter,
        TrackedFilter,
        ItemTypeFilter,
        ItemStatusFilter,
        OpenAlertFilter,
        DeletedFilter,
    ]
    search_fields = ["sku", "variant__upc", "item__name", "variant__name"]
    search_help_text = "SKU, UPC, item or variant name"
    ordering = ["-id"]
    list_per_page = 100
    actions = ["mark_discontinued", "clear_discontinued", "export_csv", "export_purchase_list"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("item", "variant")
            .prefetch_related(
                Prefetch("levels", queryset=StockLevel.objects.select_related("location"))
            )
        )

    def get_changelist(self, request, **kwargs):
        return UrgencyChangeList

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(record_search(request, term)), False

    # Columns ---------------------------------------------------------------------------

    @admin.display(description="item")
    def item_name(self, obj):
        return obj.item.name

    @admin.display(description="variant")
    def variant_name(self, obj):
        return variant_label(obj.variant)

    @admin.display(description="on hand", ordering="quantity")
    def on_hand(self, obj):
        return obj.quantity

    @admin.display(description="reserved")
    def reserved(self, obj):
        return obj.reserved_quantity

    @admin.display(description="available", ordering="available_quantity")
    def available(self, obj):
        return obj.available_quantity

    @admin.display(description="reorder at")
    def reorder_at(self, obj):
        return obj.reorder_level

    @admin.display(description="reorder qty")
    def reorder_qty(self, obj):
        return obj.reorder_quantity

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        return status_badge(obj.status)

    @admin.display(description="locations")
    def locations(self, obj):
        levels = obj.levels.all()
        if not levels:
            return "-"
        # One location a line, its figure beside its name: a narrow column wraps the name.
        return format_html_join(
            mark_safe("<br>"),
            "{}:&nbsp;{}",
            ((level.location.name, level.on_hand) for level in levels),
        )

    # Permissions: records are born and deleted through the services and the API --------

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # Actions ---------------------------------------------------------------------------

    def _by_company(self, queryset):
        records = queryset.select_related("company").order_by("company_id", "id")
        for _, group in groupby(records.iterator(chunk_size=2000), key=lambda r: r.company_id):
            group = list(group)
            yield group[0].company, group

    @admin.action(description="Mark the selected records discontinued", permissions=["change"])
    def mark_discontinued(self, request, queryset):
        count = 0
        for company, records in self._by_company(queryset):
            count += len(services.mark_discontinued(company=company, records=records))
        self.message_user(request, f"Marked {_records(count)} discontinued.", messages.SUCCESS)

    @admin.action(description="Clear the discontinued mark", permissions=["change"])
    def clear_discontinued(self, request, queryset):
        count = 0
        for company, records in self._by_company(queryset):
            count += len(services.clear_discontinued(company=company, records=records))
        self.message_user(
            request, f"Cleared the discontinued mark of {_records(count)}.", messages.SUCCESS
        )

    @admin.action(description="Export the selection as CSV (importable)", permissions=["view"])
    def export_csv(self, request, queryset):
        return inventory_csv("inventory.csv", queryset)

    def export_view(self, request):
        """Everything the list's filter and search show, not the page: the import's columns."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return inventory_csv("inventory.csv", changelist.get_queryset(request))

    @admin.action(description="Export the selection as a purchase list", permissions=["view"])
    def export_purchase_list(self, request, queryset):
        records = reorder.with_primary_location(queryset.prefetch_related(None).order_by("id"))
        names = reorder.LocationNames.for_companies(company_ids(request))
        return csv_response(
            "purchase-list.csv", PURCHASE_HEADER, reorder.purchase_rows(records, names)
        )

    # Pages -----------------------------------------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        pages = {
            "reorder-report": self.reorder_report_view,
            "bulk-edit": lambda request: bulk_edit_view(self, request),
            "export": self.export_view,
            "import": lambda request: import_view(self, request),
        }
        return [
            *(
                path(
                    f"{slug}/",
                    self.admin_site.admin_view(view),
                    name=f"{prefix}_{slug.replace('-', '_')}",
                )
                for slug, view in pages.items()
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "can_bulk_edit": self.has_change_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_object(request, unquote(object_id))
        if record is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, record):
            raise PermissionDenied
        return record_page(self, request, record)

    def reorder_report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        ids = company_ids(request)
        names = reorder.LocationNames.for_companies(ids)
        records = reorder.with_primary_location(
            reorder.needing_reorder(scope(request, InventoryRecord.objects.all())).order_by(
                "company_id", "id"
            )
        )
        location = names.by_id.get(_int(request.GET.get("location")))
        if location is not None:
            held_here = Q(primary_location_id=location.pk)
            if location.is_default:
                held_here |= Q(primary_location_id__isnull=True, company_id=location.company_id)
            records = records.filter(held_here)
        if request.GET.get("format") == "csv":
            return csv_response(
                "reorder-report.csv", PURCHASE_HEADER, reorder.purchase_rows(records, names)
            )
        paginator = EstimatedCountPaginator(records, 200)
        page = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Reorder report",
            "subtitle": location.name if location else None,
            "groups": reorder.grouped_by_location(page.object_list, names),
            "page": page,
            "paginator": paginator,
            "locations": list(names.by_id.values()),
            "selected_location": location,
            "show_company": ids is None or len(ids) > 1,
            "query": query.urlencode(),
            "changelist_url": reverse("admin:inventory_inventoryrecord_changelist"),
        }
        return TemplateResponse(request, "admin/inventory/reorder_report.html", context)


SEARCH_ID_LIMIT = 2000
# Sorting by urgency sorts the filtered rows (no index holds the order): up to this many
# it costs a few milliseconds; a larger set stays newest first, the order an index serves.
URGENCY_SORT_LIMIT = 5000


class UrgencyChangeList(ChangeList):
    """Most urgent first where urgency exists (what needs reorder, open alerts, low or out of
    stock): out of stock, then furthest below the reorder level. A column the user sorts
    by wins."""

    def get_ordering(self, request, queryset):
        wanted = request.GET
        urgent = (
            wanted.get("needs_reorder") == "yes"
            or wanted.get("open_alert") == "yes"
            or wanted.get("status") in NEEDS_REORDER
        )
        if urgent and ORDER_VAR not in wanted:
            bounded = queryset.order_by()[: URGENCY_SORT_LIMIT + 1].count()
            if bounded <= URGENCY_SORT_LIMIT:
                return URGENCY
        return super().get_ordering(request, queryset)


URGENCY = [
    Case(
        When(status=Status.OUT_OF_STOCK, then=Value(0)),
        When(status=Status.LOW_STOCK, then=Value(1)),
        default=Value(2),
    ).asc(),
    (F("quantity") - Coalesce(F("reorder_level"), Value(0))).asc(),
    F("id").desc(),
]


def record_search(request, term: str) -> Q:
    """Records whose SKU, UPC, item or variant name contains `term`, case-insensitive.

    One indexed condition per field (trigram indexes on PostgreSQL), with the matching item
    and variant ids looked up first, so the database can OR three index scans instead of
    Django's OR across joined tables, which no index can serve. The ledger searches with
    the same condition."""
    ids = company_ids(request)
    items = Item.objects.filter(name__icontains=term)
    variants = Variant.objects.filter(Q(name__icontains=term) | Q(upc__icontains=term))
    if term.isascii() and term.isdigit():
        variants = Variant.objects.filter(
            Q(name__icontains=term) | Q(upc__icontains=term) | Q(gtin=gtin14(term))
        )
    if ids is not None:
        items, variants = items.filter(company_id__in=ids), variants.filter(company_id__in=ids)
    return (
        Q(sku__icontains=term)
        | Q(item_id__in=_bounded_ids(items))
        | Q(variant_id__in=_bounded_ids(variants))
    )


def _bounded_ids(queryset):
    """The matching ids as a list when there are few (an index scan each), else the
    subquery itself (a broad search scans whatever it does)."""
    ids = list(queryset.values_list("id", flat=True)[: SEARCH_ID_LIMIT + 1])
    return ids if len(ids) <= SEARCH_ID_LIMIT else queryset.values("id")


def _records(n: int) -> str:
    return f"{n} record" if n == 1 else f"{n} records"


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
