"""The admin's count pages. Thin: each parses the form, calls one count service and renders."""

import copy
import json

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import Count as Tally
from django.db.models import Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse

from apps.inventory.errors import StockError
from apps.inventory.idempotency import request_fingerprint, run_idempotent
from apps.inventory.models import Door, InventoryRecord
from apps.inventory.services import MAX_UNITS
from apps.locations.models import Location
from apps.tenancy.admin_base import company_ids, scope

from . import selectors, services
from .errors import CountError
from .forms import StartCountForm
from .lookup import record_for_code, records_for_codes

MAX_SCOPE = 20_000
SELECTION_KEY = "counts_selection"
RECENT_LINES = 12


def _context(model_admin, request, count=None, **extra):
    ids = company_ids(request)
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "count": count,
        "show_company": ids is None or len(ids) > 1,
        "media": model_admin.media,
        **extra,
    }


def _url(name, count):
    return reverse(f"admin:counts_count_{name}", args=[count.pk])


# Start -----------------------------------------------------------------------------------


def start(model_admin, request):
    stores = scope(request, Location.objects.live().filter(kind=Location.Kind.STORE))
    stores = stores.select_related("company").order_by("company__name", "name")
    initial = {"blind": True}
    selection = request.session.get(SELECTION_KEY) if request.GET.get("selection") else None
    if selection:
        initial["records"] = ",".join(map(str, selection))
    if request.GET.get("inventory"):
        initial.update(scope="inventory", inventory=request.GET["inventory"])
    form = StartCountForm(request.POST or None, locations=stores, initial=initial)
    if request.method == "POST" and form.is_valid():
        location = form.cleaned_data["location"]
        try:
            records = _scope_records(request, form, location)
            count = services.open_count(
                company=location.company,
                location=location,
                records=records,
                blind=form.cleaned_data["blind"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except CountError as error:
            form.add_error("skus" if form.cleaned_data["scope"] == "skus" else None, error.message)
        else:
            request.session.pop(SELECTION_KEY, None)
            messages.success(request, f"Started {count.number} at {location.name}.")
            return HttpResponseRedirect(reverse("admin:counts_count_change", args=[count.pk]))
    context = _context(
        model_admin,
        request,
        title="Start a count",
        form=form,
        selection_size=len(selection) if selection else 0,
        inventory_url=reverse("admin:inventory_inventoryrecord_changelist"),
    )
    return TemplateResponse(request, "admin/counts/start.html", context)


def _scope_records(request, form, location) -> list[InventoryRecord] | None:
    """The records the form names, or None for the whole location."""
    kind = form.cleaned_data["scope"]
    if kind == "all":
        return None
    if kind == "skus":
        codes = form.codes()
        found = records_for_codes(location.company, codes)
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise CountError(f"Unknown SKU or UPC: {', '.join(unknown[:20])}", field="skus")
        return list({r.pk: r for r in found.values()}.values())
    if kind == "records":
        ids = form.record_ids()
        queryset = InventoryRecord.objects.filter(pk__in=ids)
    else:
        queryset = _inventory_filter(request, form.inventory_query())
    records = list(
        scope(request, queryset)
        .filter(company=location.company, rootfi_deleted_at__isnull=True, is_trackable=True)
        .order_by("id")[:MAX_SCOPE]
    )
    if not records:
        raise CountError("That selection holds no tracked records of this location's company.")
    return records


def _inventory_filter(request, query: str):
    """The records the inventory changelist lists for `query` (its own filters and search,
    applied by its own ModelAdmin), without its pagination."""
    inventory_admin = admin.site.get_model_admin(InventoryRecord)
    listing = copy.copy(request)
    listing.GET = QueryDict(query)
    listing.method = "GET"
    try:
        return inventory_admin.get_changelist_instance(listing).queryset
    except IncorrectLookupParameters:
        raise CountError("That inventory list filter is not one the list knows.") from None


# The count page: scanning screen and lines ------------------------------------------------


def count_page(model_admin, request, count):
    lines = (
        count.lines.select_related("record__variant", "record__item")
        .order_by("-counted_at", "record__sku", "id")
        .only(
            "record__sku",
            "record__variant__name",
            "record__variant__upc",
            "record__item__name",
            "expected",
            "counted",
            "counted_at",
            "added",
            "expected_at_count",
            "variance",
            "applied_on_hand",
        )
    )
    can_scan = count.is_open and model_admin.has_change_permission(request, count)
    context = _context(
        model_admin,
        request,
        count,
        title=f"{count.number} · {count.location.name}",
        count_page=True,
        lines=lines,
        totals=_totals(count),
        can_scan=can_scan,
        can_apply=count.is_open and request.user.has_perm("counts.apply_count"),
        can_cancel=count.is_open and request.user.has_perm("counts.cancel_count"),
        scan_url=_url("scan", count),
        review_url=_url("review", count),
        cancel_url=_url("cancel", count),
    )
    return TemplateResponse(request, "admin/counts/count_page.html", context)


def _totals(count):
    return count.lines.aggregate(
        lines=Tally("id"), counted=Tally("id", filter=Q(counted__isnull=False))
    )


def scan(model_admin, request, count):
    """One scan: `{"code": "..."}` adds one to the code's line, `{"code", "set": N}` sets it
    to N. One POST a scan, applied under the count's row lock, so scans from several devices
    add up; an Idempotency-Key (one per scan, sent by the screen) makes a retried POST count
    once."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not model_admin.has_change_permission(request, count):
        raise PermissionDenied
    try:
        body = json.loads(request.body or b"{}")
        code = str(body.get("code", ""))
        target = body.get("set")
        target = None if target in (None, "") else int(target)
        if target is not None and not 0 <= target <= MAX_UNITS:
            raise ValueError
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"ok": False, "error": "Send a code, and =N with 0 ≤ N."}, status=400)

    def handler():
        record = record_for_code(count.company, code)
        entry = (
            services.Entry(record, 1, add=True)
            if target is None
            else services.Entry(record, target)
        )
        _, (line,) = services.enter(count=count, entries=[entry])
        return 200, {
            "ok": True,
            "code": code,
            "record": record.pk,
            "sku": record.sku,
            "name": str(record.variant),
            "counted": line.counted,
            "counted_at": line.counted_at.isoformat(),
            "added": line.added,
        }

    try:
        answer = run_idempotent(
            company=count.company,
            door=Door.ADMIN,
            key=request.headers.get("Idempotency-Key", "")[:255] or None,
            fingerprint=request_fingerprint("POST", request.path, body),
            handler=handler,
        )
    except CountError as error:
        return JsonResponse(
            {"ok": False, "code": code, "error": error.message}, status=error.status
        )
    except StockError as error:
        return JsonResponse({"ok": False, "code": code, "error": error.message}, status=409)
    return JsonResponse(json.loads(answer.body), status=answer.status)


# Review, apply, cancel ----------------------------------------------------------------------


def review(model_admin, request, count):
    lines = list(selectors.lines_for_review(count)) if count.is_open else []
    changed = [line for line in lines if line.gap]
    for line in changed:
        line.gap_value = None if line.unit_value is None else line.gap * line.unit_value
    valued = [line.gap_value for line in changed if line.gap_value is not None]
    totals = _totals(count)
    context = _context(
        model_admin,
        request,
        count,
        title=f"Review {count.number}",
        lines=changed,
        unchanged=len(lines) - len(changed),
        totals=totals,
        uncounted=totals["lines"] - totals["counted"],
        units_over=sum(line.gap for line in changed if line.gap > 0),
        units_short=-sum(line.gap for line in changed if line.gap < 0),
        value=sum(valued) if valued else None,
        can_apply=count.is_open and request.user.has_perm("counts.apply_count"),
        apply_url=_url("apply", count),
        page_url=reverse("admin:counts_count_change", args=[count.pk]),
    )
    return TemplateResponse(request, "admin/counts/review.html", context)


def apply(model_admin, request, count):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm("counts.apply_count"):
        raise PermissionDenied
    try:
        applied = services.apply_count(
            count=count,
            door=Door.ADMIN,
            actor=request.user,
            zero_uncounted=request.POST.get("zero_uncounted") == "on",
        )
    except (CountError, StockError) as error:
        messages.error(request, f"{count.number} was not applied: {error.message}")
        return HttpResponseRedirect(_url("review", count))
    messages.success(
        request,
        f"Applied {applied.number}: {applied.variance_units} unit(s) of variance adjusted.",
    )
    return HttpResponseRedirect(reverse("admin:counts_count_change", args=[count.pk]))


def cancel(model_admin, request, count):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm("counts.cancel_count"):
        raise PermissionDenied
    try:
        services.cancel_count(count=count)
    except CountError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Cancelled {count.number}; no figure changed.")
    return HttpResponseRedirect(reverse("admin:counts_count_change", args=[count.pk]))
