"""Transfers in the admin: a list (status, origin, destination; number, reference, SKU), a
create page with typed or pasted lines, and the transfer's page where it is shipped,
received (all, or some lines with what is in transit pre-filled), closed or cancelled:
each one click, one engine call, once per form."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from apps.inventory.models import Door
from apps.tenancy.admin_base import CompanyScopedAdmin

from .. import selectors, services
from ..errors import InvalidOperation
from ..models import Transfer
from .common import ScopedLocationFilter, act, badge, quantities
from .forms import TransferForm
from .once import new_token, run_once
from .pasted import as_text, resolve
from .purchase_orders import forms_errors

Status = Transfer.Status


class FromFilter(ScopedLocationFilter):
    title = "from"
    parameter_name = "from"
    field = "from_location"


class ToFilter(ScopedLocationFilter):
    title = "to"
    parameter_name = "to"
    field = "to_location"


@admin.register(Transfer)
class TransferAdmin(CompanyScopedAdmin):
    list_display = (
        "number",
        "status_badge",
        "from_location",
        "to_location",
        "reference",
        "line_count",
        "shipped_at",
        "created_at",
    )
    list_display_links = ("number",)
    list_filter = ("status", FromFilter, ToFilter)
    search_fields = ("number", "reference", "=lines__sku")
    list_select_related = ("from_location", "to_location")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(lines_count=Count("lines"))

    @admin.display(description="status", ordering="status")
    def status_badge(self, transfer):
        return badge(transfer.status, transfer.get_status_display())

    @admin.display(description="lines", ordering="lines_count")
    def line_count(self, transfer):
        return transfer.lines_count

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = TransferForm(request.POST or None, request=request)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            company = data["from_location"].company

            def create():
                transfer = services.create_transfer(
                    company=company,
                    from_location=data["from_location"],
                    to_location=data["to_location"],
                    lines=[
                        services.TransferItem(line.record, line.quantity)
                        for line in data["resolved"]
                    ],
                    reference=data["reference"],
                    actor=request.user,
                )
                return {
                    "message": f"{transfer.number} drafted with {len(data['resolved'])} lines.",
                    "url": reverse("admin:operations_transfer_change", args=[transfer.pk]),
                }

            return HttpResponseRedirect(run_once(request, company=company, handler=create)["url"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "New transfer",
            "form": form,
            "token": new_token(),
        }
        return TemplateResponse(request, "admin/operations/transfer_add.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        transfer = self.get_object(request, object_id)
        if transfer is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, transfer):
            raise PermissionDenied
        if request.method == "POST":
            return self._act(request, transfer)
        transfer = selectors.transfers(transfer.company).get(pk=transfer.pk)
        lines = list(transfer.lines.all())
        user = request.user
        draft, moving = transfer.status == Status.DRAFT, transfer.status == Status.IN_TRANSIT
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": transfer,
            "title": f"{transfer.number} · {transfer.from_location} → {transfer.to_location}",
            "transfer": transfer,
            "lines": lines,
            "status_badge": badge(transfer.status, transfer.get_status_display()),
            "token": new_token(),
            "can_ship": draft and user.has_perm("operations.ship_transfer"),
            "can_receive": moving and user.has_perm("operations.receive_transfer"),
            "can_close": moving and user.has_perm("operations.close_transfer"),
            "can_cancel": user.has_perm("operations.cancel_transfer")
            and (draft or (moving and not any(ln.received or ln.lost for ln in lines))),
            "can_edit": draft and self.has_change_permission(request, transfer),
            "lines_text": as_text(lines),
            "totals": {
                key: sum(getattr(line, key) for line in lines)
                for key in ("quantity", "shipped", "received", "in_transit", "lost")
            },
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/operations/transfer_page.html", context)

    def _act(self, request, transfer):
        company = transfer.company
        context = {
            "door": Door.ADMIN,
            "actor": request.user,
            "note": request.POST.get("note", "")[:500],
        }

        def ship():
            done = services.ship_transfer(company=company, transfer=transfer, **context)
            return f"{done.number} shipped: its units are in transit."

        def receive(everything: bool):
            def run():
                lines = None
                if not everything:
                    chosen = quantities(request, transfer.lines.all())
                    if not chosen:
                        raise InvalidOperation("Enter a quantity to receive.")
                    lines = [services.TransferItem(line.record, n) for line, n in chosen]
                done = services.receive_transfer(
                    company=company, transfer=transfer, lines=lines, **context
                )
                return f"Received on {done.number}: it is now {done.get_status_display().lower()}."

            return run

        def close():
            done = services.close_transfer(company=company, transfer=transfer, **context)
            return f"{done.number} closed: what was still in transit is written off as lost."

        def cancel():
            done = services.cancel_transfer(company=company, transfer=transfer, **context)
            return f"{done.number} is cancelled."

        def edit():
            lines = resolve(company, request.POST.get("lines", ""))
            services.update_transfer(
                company=company,
                transfer=transfer,
                lines=[services.TransferItem(line.record, line.quantity) for line in lines],
            )
            return f"{transfer.number} now has {len(lines)} lines."

        handlers = {
            "ship": ("operations.ship_transfer", ship),
            "receive": ("operations.receive_transfer", receive(False)),
            "receive_all": ("operations.receive_transfer", receive(True)),
            "close": ("operations.close_transfer", close),
            "cancel": ("operations.cancel_transfer", cancel),
            "edit": ("operations.change_transfer", edit),
        }
        if request.POST.get("action") not in handlers:
            messages.error(request, "Unknown action.")
            return HttpResponseRedirect(request.path)
        permission, handler = handlers[request.POST["action"]]
        return act(request, transfer, permission=permission, handler=forms_errors(handler))
