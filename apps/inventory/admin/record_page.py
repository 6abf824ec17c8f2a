"""A record's page: its figures per location, a chart and its ledger, its alerts, and the
forms that adjust its stock and settings through the services."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from apps.tenancy.admin_base import EstimatedCountPaginator, company_ids

from ..models import StockMovement
from . import once, wording
from .chart import on_hand_chart
from .exports import STATUS_LABELS, variant_label
from .forms import AdjustStockForm, RecordSettingsForm

LEDGER_PAGE_SIZE = 25
CHART_POINTS = 500


def record_page(model_admin, request, record):
    can_change = model_admin.has_change_permission(request, record) and not record.is_deleted
    adjust_form = AdjustStockForm(record=record)
    settings_form = RecordSettingsForm(record=record)
    if request.method == "POST":
        if not can_change:
            return HttpResponseRedirect(request.path)
        if request.POST.get("form") == "settings":
            settings_form = RecordSettingsForm(request.POST, record=record)
            if settings_form.is_valid() and settings_form.save(actor=request.user) is not None:
                messages.success(request, f"Saved the settings of {record}.")
                return HttpResponseRedirect(request.path)
        else:
            adjust_form = AdjustStockForm(request.POST, record=record)
            if adjust_form.is_valid():
                try:
                    with transaction.atomic():
                        once.claim(company=record.company, token=request.POST.get(once.FIELD))
                        result = adjust_form.save(actor=request.user)
                except once.AlreadySubmitted as refused:
                    messages.warning(request, refused.message)
                    return HttpResponseRedirect(request.path)
                if result is not None:
                    messages.success(request, _adjusted_message(record, result))
                    return HttpResponseRedirect(request.path)

    ledger = (
        StockMovement.objects.filter(record=record)
        .select_related("from_location", "to_location", "actor_user", "actor_api_key")
        .order_by("-id")
    )
    paginator = EstimatedCountPaginator(ledger, LEDGER_PAGE_SIZE)
    ledger_page = paginator.get_page(request.GET.get("ledger_page"))
    points = list(
        StockMovement.objects.filter(record=record)
        .order_by("-id")
        .values_list("created_at", "quantity_after")[:CHART_POINTS]
    )
    points.reverse()
    alerts = list(record.alerts.order_by("closed_at", "-opened_at")[:50])
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": record,
        "title": f"{record.sku or record.item.name}",
        "status_label": STATUS_LABELS.get(record.status, record.status),
        "record": record,
        "variant_label": variant_label(record.variant),
        "levels": list(record.levels.select_related("location").order_by("location__name")),
        "chart": on_hand_chart(points, reorder_level=record.reorder_level),
        "ledger_page": ledger_page,
        "ledger_paginator": paginator,
        "open_alerts": [a for a in alerts if a.is_open],
        "past_alerts": [a for a in alerts if not a.is_open],
        "settings_history": wording.setting_changes(record),
        "adjust_form": adjust_form,
        "once_field": once.FIELD,
        "once_token": once.issue(),
        "settings_form": settings_form,
        "can_change": can_change,
        "show_company": company_ids(request) is None or len(company_ids(request)) > 1,
        "has_view_permission": True,
        "media": model_admin.media,
    }
    # Incoming and in transit, and each ledger row's order, transfer or count: the
    # operations' own hooks (they build on this app, so they are imported here).
    from apps.counts.hooks import ledger_links as count_links
    from apps.operations.admin.hooks import ledger_links, record_context

    context.update(record_context(record))
    context["operation_links"] = {
        **ledger_links(record.company, ledger_page.object_list),
        **count_links(record.company, ledger_page.object_list),
    }
    return TemplateResponse(request, "admin/inventory/record_page.html", context)


def _adjusted_message(record, result) -> str:
    refreshed = result.records.get(record.pk, record)
    if not result.movements:
        return f"Nothing changed: the count of {record} was already right."
    moved = ", ".join(f"{m.get_reason_display().lower()} of {m.quantity}" for m in result.movements)
    return f"Recorded {moved} for {record}: now {refreshed.quantity} on hand."
