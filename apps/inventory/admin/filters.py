"""List filters of the inventory changelist. Each one is a single indexed condition
(or an EXISTS on an indexed table) so it stays fast at a million records."""

from datetime import date, datetime, time, timedelta

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Exists, OuterRef
from django.utils import timezone

from apps.catalog.models import Item
from apps.locations.models import Location
from apps.tenancy.admin_base import scope

from ..models import NEEDS_REORDER, Status, StockAlert, StockLevel
from .exports import STATUS_LABELS


class StatusFilter(admin.SimpleListFilter):
    """Fixed choices: Django's default for a GeneratedField would SELECT DISTINCT over
    every row to find them."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        # The badges' words ("Not tracked", not "Unknown").
        return [(value, STATUS_LABELS.get(value, label)) for value, label in Status.choices]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


class NeedsReorderFilter(admin.SimpleListFilter):
    """The design's one rule: low or out of stock."""

    title = "needs reorder"
    parameter_name = "needs_reorder"

    def lookups(self, request, model_admin):
        return [("yes", "Needs reorder"), ("no", "Does not")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.needing_reorder()
        if self.value() == "no":
            return queryset.exclude(status__in=NEEDS_REORDER)
        return queryset


class LocationFilter(admin.SimpleListFilter):
    """Records held (with a stock level, even at zero) at one physical location."""

    title = "location"
    parameter_name = "location"

    def lookups(self, request, model_admin):
        locations = scope(
            request, Location.objects.live().filter(kind=Location.Kind.STORE)
        ).select_related("company")
        multi = request.user.is_superuser
        return [(str(loc.pk), f"{loc.company} · {loc}" if multi else str(loc)) for loc in locations]

    def queryset(self, request, queryset):
        if self.value():
            held = StockLevel.objects.filter(record=OuterRef("pk"), location_id=self.value())
            return queryset.filter(Exists(held))
        return queryset


class TrackedFilter(admin.SimpleListFilter):
    title = "tracking"
    parameter_name = "is_trackable__exact"

    def lookups(self, request, model_admin):
        return [("1", "Tracked"), ("0", "Not tracked")]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(is_trackable=self.value() == "1")
        return queryset


class ItemTypeFilter(admin.SimpleListFilter):
    title = "item type"
    parameter_name = "item_type"

    def lookups(self, request, model_admin):
        return Item.Type.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(item__type=self.value())
        return queryset


class ItemStatusFilter(admin.SimpleListFilter):
    title = "item status"
    parameter_name = "item_status"

    def lookups(self, request, model_admin):
        return Item.Status.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(item__status=self.value())
        return queryset


class OpenAlertFilter(admin.SimpleListFilter):
    title = "open alert"
    parameter_name = "open_alert"

    def lookups(self, request, model_admin):
        return [("yes", "Has an open alert"), ("no", "No open alert")]

    def queryset(self, request, queryset):
        open_alerts = StockAlert.objects.filter(record=OuterRef("pk"), closed_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(Exists(open_alerts))
        if self.value() == "no":
            return queryset.filter(~Exists(open_alerts))
        return queryset


class DeletedFilter(admin.SimpleListFilter):
    """Live records by default; deleted ones (kept with their figures) on request."""

    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("yes", "Deleted"), ("all", "Live and deleted")]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Live",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(rootfi_deleted_at__isnull=False)
        if self.value() == "all":
            return queryset
        return queryset.filter(rootfi_deleted_at__isnull=True)


class DateRangeFilter(admin.ListFilter):
    """Rows whose `created_at` falls from one day to another (both included, the site's time
    zone): two date boxes, kept with the list's other filters and its search."""

    title = "date range"
    template = "admin/inventory/date_range_filter.html"
    start_param, end_param = "created_from", "created_to"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.start = self._date(params, self.start_param)
        self.end = self._date(params, self.end_param)

    def _date(self, params, name):
        value = params.pop(name, None)
        if isinstance(value, list):
            value = value[-1] if value else None
        if not value:
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise IncorrectLookupParameters(
                f"{name}: {value!r} is not a date (YYYY-MM-DD)."
            ) from None
        self.used_parameters[name] = value
        return parsed

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.start_param, self.end_param]

    def queryset(self, request, queryset):
        zone = timezone.get_current_timezone()
        if self.start:
            start = datetime.combine(self.start, time.min, tzinfo=zone)
            queryset = queryset.filter(created_at__gte=start)
        if self.end:
            end = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone)
            queryset = queryset.filter(created_at__lt=end)
        return queryset

    def choices(self, changelist):
        keep = [
            (key, value)
            for key, value in changelist.get_filters_params().items()
            if key not in (self.start_param, self.end_param)
        ]
        if changelist.query:
            keep.append(("q", changelist.query))
        yield {
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
            "hidden": [(k, v) for k, values in keep for v in _as_list(values)],
            "clear_url": changelist.get_query_string(remove=[self.start_param, self.end_param]),
            "selected": bool(self.start or self.end),
        }


def _as_list(value):
    return value if isinstance(value, list) else [value]
