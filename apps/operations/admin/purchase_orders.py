"""Purchase orders in the admin: a list (status, supplier, store; number, reference, SKU),
a create page with typed or pasted lines, and the order's page where it is received (all,
or some lines with the outstanding pre-filled), placed, cancelled or closed: each one click,
one engine call, once per form."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from apps.inventory.admin import reorder
from apps.inventory.models import Door, InventoryRecord
from apps.tenancy.admin_base import CompanyScopedAdmin, company_ids, scope

from .. import selectors, services
from ..errors import InvalidOperation
from ..models import PurchaseOrder, Supplier
from . import hooks
from .common import ScopedLocationFilter, act, badge, quantities
from .forms import PurchaseOrderForm
from .once import new_token, run_once
from .pasted import as_text, resolve

Status = PurchaseOrder.Status


class SupplierFilter(admin.SimpleListFilter):
    title = "supplier"
    parameter_name = "supplier"

    def lookups(self, request, model_admin):
        return [(str(s.pk), s.name) for s in scope(request, Supplier.objects.order_by("name"))]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(supplier_id=int(self.value()))
        return queryset


@admin.register(Supplier)
class SupplierAdmin(CompanyScopedAdmin):
    list_display = ("name", "code", "contact", "company")
    search_fields = ("name", "code")
    fields = ("company", "name", "code", "contact")


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(CompanyScopedAdmin):
    list_display = (
        "number",
        "status_badge",
        "supplier",
        "location",
        "reference",
        "line_count",
        "expected_at",
        "created_at",
    )
    list_display_links = ("number",)
    list_filter = ("status", SupplierFilter, ScopedLocationFilter)
    search_fields = ("number", "reference", "=lines__sku")
    list_select_related = ("supplier", "location")
    date_hierarchy = None

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(lines_count=Count("lines"))

    @admin.display(description="status", ordering="status")
    def status_badge(self, order):
        return badge(order.status, order.get_status_display())

    @admin.display(description="lines", ordering="lines_count")
    def line_count(self, order):
        return order.lines_count

    def has_delete_permission(self, request, obj=None):
        return False  # an order is cancelled or closed, never deleted: the ledger names it

    def get_urls(self):
        return [
            path(
                "from-suggestions/",
                self.admin_site.admin_view(self.from_suggestions_view),
                name="operations_purchaseorder_from_suggestions",
            ),
            *super().get_urls(),
        ]

    def from_suggestions_view(self, request):
        """The reorder report's selected suggestions as draft orders for one supplier, one
        per company and location the report lists them under."""
        back = request.POST.get("next") or reverse("admin:inventory_inventoryrecord_reorder_report")
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        supplier = " ".join(request.POST.get("supplier", "").split())
        ids = [int(v) for v in request.POST.getlist("record") if v.isascii() and v.isdigit()]
        if not ids or not supplier:
            messages.error(request, "Tick the suggestions to order and name their supplier.")
            return HttpResponseRedirect(back)
        records = reorder.with_primary_location(
            scope(request, InventoryRecord.objects.filter(pk__in=ids))
        )
        names = reorder.LocationNames.for_companies(company_ids(request))
        orders = hooks.draft_orders_from_suggestions(
            records=records, supplier_name=supplier, location_of=names.of, actor=request.user
        )
        if not orders:
            messages.warning(request, "None of the ticked records needs reordering any more.")
            return HttpResponseRedirect(back)
        messages.success(
            request,
            f"Drafted {', '.join(o.number for o in orders)} for {supplier}: check and place them.",
        )
        return HttpResponseRedirect(
            f"{reverse('admin:operations_purchaseorder_changelist')}?status__exact=draft"
        )

    # --- create ---------------------------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PurchaseOrderForm(request.POST or None, request=request)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            location = data["location"]

            def create():
                order = services.create_purchase_order(
                    company=location.company,
                    supplier=services.find_or_create_supplier(
                        company=location.company, name=data["supplier"]
                    ),
                    location=location,
                    lines=[
                        services.OrderLine(line.record, line.quantity) for line in data["resolved"]
                    ],
                    reference=data["reference"],
                    expected_at=data["expected_at"],
                    status=Status.OPEN if data["place"] else Status.DRAFT,
                    actor=request.user,
                )
                return {
                    "message": f"{order.number} created with {len(data['resolved'])} lines.",
                    "url": reverse("admin:operations_purchaseorder_change", args=[order.pk]),
                }

            return HttpResponseRedirect(
                run_once(request, company=location.company, handler=create)["url"]
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "New purchase order",
            "form": form,
            "suppliers": form.suppliers,
            "token": new_token(),
        }
        return TemplateResponse(request, "admin/operations/purchaseorder_add.html", context)

    # --- the order's page -------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, object_id)
        if order is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, order):
            raise PermissionDenied
        if request.method == "POST":
            return self._act(request, order)
        order = selectors.purchase_orders(order.company).get(pk=order.pk)
        lines = list(order.lines.all())
        perms = {
            "receive": request.user.has_perm("operations.receive_purchaseorder"),
            "cancel": request.user.has_perm("operations.cancel_purchaseorder"),
            "change": self.has_change_permission(request, order),
        }
        receivable = order.status in PurchaseOrder.RECEIVABLE
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": order,
            "title": f"{order.number} · {order.supplier}",
            "order": order,
            "lines": lines,
            "status_badge": badge(order.status, order.get_status_display()),
            "token": new_token(),
            "can_receive": perms["receive"] and receivable,
            "can_cancel": perms["cancel"] and receivable,
            "can_place": perms["change"] and order.status == Status.DRAFT,
            "can_edit": perms["change"]
            and order.status in (Status.DRAFT, Status.OPEN)
            and not any(line.received for line in lines),
            "lines_text": as_text(lines),
            "totals": {
                "ordered": sum(line.ordered for line in lines),
                "received": sum(line.received for line in lines),
                "outstanding": sum(line.outstanding for line in lines),
            },
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/operations/purchaseorder_page.html", context)

    def _act(self, request, order):
        action = request.POST.get("action")
        company = order.company

        def receive(all_outstanding: bool):
            def run():
                lines = None
                if not all_outstanding:
                    chosen = quantities(request, order.lines.all())
                    if not chosen:
                        raise InvalidOperation("Enter a quantity to receive.")
                    lines = [services.Receipt(line.record, units) for line, units in chosen]
                done = services.receive_purchase_order(
                    company=company,
                    order=order,
                    lines=lines,
                    allow_over_receipt=bool(request.POST.get("allow_over_receipt")),
                    door=Door.ADMIN,
                    actor=request.user,
                    note=request.POST.get("note", "")[:500],
                )
                return f"Received on {done.number}: it is now {done.get_status_display().lower()}."

            return run

        def cancel():
            done = services.cancel_purchase_order(company=company, order=order)
            return f"{done.number} is {done.get_status_display().lower()}."

        def place():
            done = services.open_purchase_order(company=company, order=order)
            return f"{done.number} is placed: its lines count as incoming."

        def edit():
            lines = resolve(company, request.POST.get("lines", ""))
            services.update_purchase_order(
                company=company,
                order=order,
                lines=[services.OrderLine(line.record, line.quantity) for line in lines],
            )
            return f"{order.number} now has {len(lines)} lines."

        handlers = {
            "receive": ("operations.receive_purchaseorder", receive(False)),
            "receive_all": ("operations.receive_purchaseorder", receive(True)),
            "cancel": ("operations.cancel_purchaseorder", cancel),
            "place": ("operations.change_purchaseorder", place),
            "edit": ("operations.change_purchaseorder", edit),
        }
        if action not in handlers:
            messages.error(request, "Unknown action.")
            return HttpResponseRedirect(request.path)
        permission, handler = handlers[action]
        return act(request, order, permission=permission, handler=forms_errors(handler))


def forms_errors(handler):
    """A pasted-lines error (forms.ValidationError) is a refusal like the others."""

    def run():
        try:
            return handler()
        except forms.ValidationError as error:
            raise InvalidOperation(" ".join(error.messages)) from None

    return run
