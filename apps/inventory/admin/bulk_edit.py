"""Many quantities at once, from the inventory list as filtered (one location's low stock,
a search): a sheet with a new count or a signed change per row, one location, one reason
and one note, applied as one engine call. A refusal names its row and applies nothing."""

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from apps.locations.models import Location
from apps.tenancy.admin_base import scope

from .. import services
from ..errors import StockError
from ..models import MAX_UNITS, Door, InventoryRecord, Reason
from . import once
from .exports import STATUS_LABELS, variant_label
from .forms import ADJUST_REASONS, describe_error, reason_fits, signed_change

MAX_ROWS = 200


@dataclass
class Row:
    record: InventoryRecord
    on_hand_here: int
    count: str = ""
    change: str = ""
    errors: dict = field(default_factory=dict)  # column -> message

    @property
    def variant(self) -> str:
        return variant_label(self.record.variant)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.record.status, self.record.status)


class SheetForm(forms.Form):
    location = forms.ModelChoiceField(queryset=Location.objects.none(), empty_label=None)
    reason = forms.ChoiceField(choices=ADJUST_REASONS, initial=Reason.COUNT)
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args, company, initial_location=None, **kwargs):
        super().__init__(*args, **kwargs)
        stores = Location.objects.live().filter(company=company, kind=Location.Kind.STORE)
        self.fields["location"].queryset = stores.order_by("-is_default", "name")
        self.fields["location"].initial = initial_location or stores.filter(is_default=True).first()
        self.fields["reason"].help_text = "For the signed changes; a new count is a count."


def bulk_edit_view(model_admin, request):
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    changelist = model_admin.get_changelist_instance(request)
    query = request.GET.urlencode()
    back = reverse("admin:inventory_inventoryrecord_changelist") + (f"?{query}" if query else "")
    if request.method == "POST":
        records = _posted_records(request)
    else:
        records = list(changelist.get_queryset(request)[: MAX_ROWS + 1])
    truncated = len(records) > MAX_ROWS
    records = records[:MAX_ROWS]
    companies = {r.company_id for r in records}
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Edit quantities",
        "back": back,
        "truncated": truncated,
        "max_rows": MAX_ROWS,
        "has_view_permission": True,
        "media": model_admin.media,
    }
    if len(companies) != 1:
        context["problem"] = (
            "No rows match this filter."
            if not companies
            else "The filter shows rows of several companies: filter to one company first."
        )
        return TemplateResponse(request, "admin/inventory/bulk_edit.html", context)

    company = records[0].company
    location_id = _int(request.GET.get("location"))
    initial_location = Location.objects.live().filter(company=company, pk=location_id).first()
    sheet = SheetForm(request.POST or None, company=company, initial_location=initial_location)
    location = initial_location or sheet.fields["location"].initial
    if request.method == "POST" and sheet.is_valid():
        location = sheet.cleaned_data["location"]
    rows = [Row(r, _on_hand_at(r, location)) for r in records]
    if request.method == "POST":
        for row in rows:
            row.count = request.POST.get(f"count-{row.record.pk}", "").strip()
            row.change = request.POST.get(f"change-{row.record.pk}", "").strip()
        if sheet.is_valid():
            done = _apply(request, company, sheet.cleaned_data, rows)
            if done:
                return HttpResponseRedirect(back)
    context.update(
        {
            "subtitle": f"{len(rows)} row{'s' if len(rows) != 1 else ''} at {location}",
            "sheet": sheet,
            "rows": rows,
            "location": location,
            "once_field": once.FIELD,
            "once_token": once.issue(),
            "has_errors": any(row.errors for row in rows),
        }
    )
    return TemplateResponse(request, "admin/inventory/bulk_edit.html", context)


def _posted_records(request) -> list[InventoryRecord]:
    """The rows the sheet showed (the filter may match others by now), within the user's
    companies."""
    ids = [_int(v) for v in request.POST.getlist("row")]
    queryset = (
        scope(request, InventoryRecord.objects.live())
        .filter(pk__in=[i for i in ids if i is not None])
        .select_related("company", "item", "variant")
        .prefetch_related("levels")
    )
    by_id = {r.pk: r for r in queryset}
    return [by_id[i] for i in ids if i in by_id]


def _apply(request, company, sheet: dict, rows: list[Row]) -> bool:
    changes, rows_of_changes = _changes(sheet, rows, services.virtual_locations(company))
    if any(row.errors for row in rows):
        messages.error(request, "Nothing was applied: fix the rows marked below.")
        return False
    if not changes:
        messages.error(request, "Enter a new count or a change on at least one row.")
        return False
    try:
        with transaction.atomic():
            once.claim(company=company, token=request.POST.get(once.FIELD))
            result = services.apply_changes(
                company=company,
                changes=changes,
                door=Door.ADMIN,
                actor=request.user,
                note=sheet["note"],
            )
    except once.AlreadySubmitted as refused:
        messages.warning(request, refused.message)
        return True
    except StockError as error:
        row = _failing_row(error, rows_of_changes)
        if row is not None:
            row.errors["count" if row.count else "change"] = describe_error(error)
        where = f" (row {row.record.sku or row.record.pk})" if row is not None else ""
        messages.error(request, f"Nothing was applied{where}: {describe_error(error)}")
        return False
    moved = len(result.movements)
    messages.success(
        request,
        f"Applied {len(changes)} change{'s' if len(changes) != 1 else ''} at "
        f"{sheet['location']} in one go ({moved} ledger row{'s' if moved != 1 else ''}).",
    )
    return True


def _changes(sheet: dict, rows: list[Row], virtual):
    """The engine changes of the filled-in rows, and the row of each change (by index);
    bad cells get their error on the row instead."""
    location, reason = sheet["location"], sheet["reason"]
    changes, rows_of_changes = [], []
    for row in rows:
        if row.count and row.change:
            row.errors["count"] = "Give a new count or a change, not both."
            continue
        if row.count:
            count = _int(row.count)
            if count is None or count < 0 or count > MAX_UNITS:
                row.errors["count"] = "A count is a whole number of at least 0."
                continue
            changes.append(services.Count(row.record, location, count))
        elif row.change:
            change = _int(row.change.replace("+", "", 1))
            if change is None or change == 0 or abs(change) > MAX_UNITS:
                row.errors["change"] = "A change is a whole number other than 0, e.g. +5 or -2."
                continue
            unfit = reason_fits(change, reason)
            if unfit:
                row.errors["change"] = unfit
                continue
            changes.append(signed_change(row.record, location, change, reason, virtual))
        else:
            continue
        rows_of_changes.append(row)
    return changes, rows_of_changes


def _failing_row(error: StockError, rows_of_changes: list[Row]) -> Row | None:
    if error.index is not None and 0 <= error.index < len(rows_of_changes):
        return rows_of_changes[error.index]
    # Until the engine sets the index everywhere: the record it names, by id or SKU.
    sku = error.figures.get("sku")
    for row in rows_of_changes:
        if row.record.pk == error.record_id or (sku and row.record.sku == sku):
            return row
    return None


def _on_hand_at(record, location) -> int:
    if location is None:
        return 0
    return next((lv.on_hand for lv in record.levels.all() if lv.location_id == location.pk), 0)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
