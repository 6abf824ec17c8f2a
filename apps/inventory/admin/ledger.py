"""The ledger and the other rows the services write: read-only for everyone."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import path, reverse
from django.utils.html import format_html

from apps.locations.models import Location
from apps.tenancy.admin_base import CompanyScopedAdmin, company_ids, scope

from ..models import IdempotencyKey, InventoryRecord, OutboxEvent, StockAlert, StockMovement
from . import wording
from .exports import csv_response
from .filters import DateRangeFilter
from .records import record_search

SEARCH_RECORDS = 1000
LEDGER_HEADER = [
    "when",
    "sku",
    "item",
    "reason",
    "counted",
    "units",
    "from",
    "to",
    "on_hand_after",
    "reserved_change",
    "reserved_after",
    "door",
    "by",
    "reference",
    "external_id",
    "note",
]


def ledger_rows(movements):
    for m in movements.iterator(chunk_size=2000):
        yield [
            wording.when(m.created_at),
            m.record.sku,
            m.record.item.name,
            m.get_reason_display(),
            wording.counted_figure(m) if wording.is_counted(m) else "",
            wording.signed_units(m),
            wording.source(m),
            wording.destination(m),
            m.quantity_after,
            m.reserved_change or "",
            m.reserved_after,
            wording.door_label(m.door),
            wording.actor_label(m),
            m.reference,
            m.external_id,
            m.note,
        ]


class ReadOnlyScopedAdmin(CompanyScopedAdmin):
    """Rows written only by the services: no add, change or delete, not even for superusers
    (the database refuses ledger UPDATE and DELETE as well)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MovementLocationFilter(admin.SimpleListFilter):
    title = "location"
    parameter_name = "location"

    def lookups(self, request, model_admin):
        locations = scope(request, Location.objects.live()).select_related("company")
        multi = request.user.is_superuser
        return [(str(loc.pk), f"{loc.company} · {loc}" if multi else str(loc)) for loc in locations]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        company = Location.objects.filter(pk=_int(self.value())).values_list(
            "company_id", flat=True
        )
        queryset = queryset.filter(
            Q(from_location_id=self.value()) | Q(to_location_id=self.value())
        )
        return newest_of(queryset, company.first()) if company else queryset


def newest_of(queryset, company_id):
    """Rows of one company, bounded above by its newest row's id (one index-only read of
    `movement_company`). PostgreSQL reads the ledger newest first along the primary key and
    judges the filters row by row; when other companies wrote the newest millions of rows,
    the bound starts that walk at this company's rows instead of walking past theirs."""
    if company_id is None:
        return queryset
    newest = (
        StockMovement.objects.filter(company_id=company_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return queryset.filter(company_id=company_id, id__lte=newest or 0)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "when",
        "record_sku",
        "what",
        "door_name",
        "units",
        "reserved",
        "source",
        "destination",
        "on_hand_after",
        "actor",
        "external",
    ]
    list_display_links = ["when"]
    # Newest or oldest first, by the primary key; sorting ten million rows by another
    # column has no index to read.
    sortable_by = ["when"]
    list_filter = [
        DateRangeFilter,
        "reason",
        "door",
        MovementLocationFilter,
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["record__sku", "external_id"]
    search_help_text = (
        "Part of a SKU, UPC or item name (any case), or an exact external id or reference"
    )
    list_select_related = ["record", "from_location", "to_location", "actor_user", "actor_api_key"]
    ordering = ["-id"]
    list_per_page = 100

    def get_queryset(self, request):
        ids = company_ids(request)
        queryset = super().get_queryset(request)
        return newest_of(queryset, ids[0]) if ids is not None and len(ids) == 1 else queryset

    def get_search_results(self, request, queryset, search_term):
        """The records the inventory search finds (partial SKU, UPC, item or variant name,
        case-insensitive; trigram indexes), their rows read by the (record, id) index; or
        the rows of an exact external id or reference."""
        term = search_term.strip()
        if not term:
            return queryset, False
        records = scope(request, InventoryRecord.objects.filter(record_search(request, term)))
        record_ids = list(records.values_list("id", flat=True)[:SEARCH_RECORDS])
        return queryset.filter(
            Q(record_id__in=record_ids) | Q(external_id=term) | Q(reference=term)
        ), False

    def get_urls(self):
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="inventory_stockmovement_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """The rows the list's filters, date range and search show, all of them, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        rows = changelist.get_queryset(request).select_related("record__item")
        return csv_response("ledger.csv", LEDGER_HEADER, ledger_rows(rows))

    @admin.display(description="when", ordering="id")
    def when(self, obj):
        return format_html('<span class="ae-nowrap">{}</span>', wording.when(obj.created_at))

    @admin.display(description="reason")
    def what(self, obj):
        return wording.reason_label(obj)

    @admin.display(description="door")
    def door_name(self, obj):
        return wording.door_label(obj.door)

    @admin.display(description="SKU")
    def record_sku(self, obj):
        url = reverse("admin:inventory_inventoryrecord_change", args=[obj.record_id])
        return format_html('<a href="{}">{}</a>', url, obj.record.sku or obj.record_id)

    @admin.display(description="units")
    def units(self, obj):
        return _span(wording.signed_units(obj))

    # Optional cells hold their text in a <span> (an empty cell holds the admin's &nbsp;),
    # so a phone's one-card-per-row layout can leave out what a row does not have.

    @admin.display(description="reserved")
    def reserved(self, obj):
        # The change and the reserved total after it, in one column: twelve fit 1366 px.
        if not obj.reserved_change:
            return ""
        return _span(f"{obj.reserved_change:+d} (now {obj.reserved_after})")

    @admin.display(description="from")
    def source(self, obj):
        return _span(wording.source(obj))

    @admin.display(description="to / counted at")
    def destination(self, obj):
        # "at" a counted shelf, "to" anywhere else: the phone's card says which.
        kind = "ae-at" if wording.is_counted(obj) else "ae-to"
        return _span(wording.destination(obj), kind)

    @admin.display(description="after")
    def on_hand_after(self, obj):
        return obj.quantity_after

    @admin.display(description="by")
    def actor(self, obj):
        # Without a user or key the door acted: the phone's card shows the door already.
        kind = "" if obj.actor_user_id or obj.actor_api_key_id else "ae-by-door"
        return _span(wording.actor_label(obj), kind)

    @admin.display(description="external id")
    def external(self, obj):
        return _span(obj.external_id)


def _span(text: str, css_class: str = ""):
    if not text:
        return ""
    if css_class:
        return format_html('<span class="{}">{}</span>', css_class, text)
    return format_html("<span>{}</span>", text)


@admin.register(StockAlert)
class StockAlertAdmin(ReadOnlyScopedAdmin):
    list_display = ["record", "kind", "quantity_at_open", "opened_at", "closed_at"]
    list_filter = ["kind", ("closed_at", admin.EmptyFieldListFilter)]
    search_fields = ["=record__sku"]
    list_select_related = ["record"]


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyScopedAdmin):
    list_display = ["event_name", "created_at", "delivered_at", "attempts", "last_error"]
    list_filter = ["event_name", ("delivered_at", admin.EmptyFieldListFilter)]
    ordering = ["-id"]


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyScopedAdmin):
    list_display = ["key", "door", "status_code", "created_at"]
    list_filter = ["door"]

    def has_module_permission(self, request):
        return super().has_module_permission(request) and company_ids(request) is None
