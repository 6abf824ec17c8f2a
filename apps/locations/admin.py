from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from apps.inventory.models import StockLevel, StockMovement
from apps.tenancy.admin_base import CompanyScopedAdmin

from .models import Location


class LocationForm(forms.ModelForm):
    """Says in words what the database's per-company rules would refuse with an error page:
    a store code used by another live location, a company left without its default."""

    class Meta:
        model = Location
        fields = [
            "company",
            "name",
            "description",
            "is_default",
            "store_code",
            "address_type",
            "street",
            "city",
            "state",
            "postal_code",
            "country",
        ]

    def clean(self):
        data = super().clean()
        company_id = data["company"].pk if data.get("company") else self.instance.company_id
        if company_id is None:
            return data
        others = Location.objects.live().filter(company_id=company_id)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        code = data.get("store_code")
        if code and others.filter(store_code=code).exists():
            self.add_error("store_code", f"Another location of this company has store code {code}.")
        if self.instance.pk and self.instance.is_default and data.get("is_default") is False:
            self.add_error(
                "is_default",
                "Stock goes to the default location when a write names none, so there is "
                "always one: make another location the default instead.",
            )
        return data


@admin.register(Location)
class LocationAdmin(CompanyScopedAdmin):
    form = LocationForm
    list_display = ["name", "kind", "store_code", "is_default", "street", "city", "country"]
    list_filter = ["kind", "is_default"]
    search_fields = ["name", "store_code", "platform_id", "city", "postal_code"]
    list_select_related = ["company"]
    fieldsets = [
        (None, {"fields": ["company", "name", "description", "kind", "is_default"]}),
        ("Codes", {"fields": ["store_code", "platform_id", "uuid"]}),
        (
            "Address",
            {"fields": ["address_type", "street", "city", "state", "postal_code", "country"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).live()

    def get_readonly_fields(self, request, obj=None):
        readonly = ["uuid", "platform_id", "kind"]
        if obj is not None:
            readonly.append("company")
        return readonly

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        previous = None
        if obj.is_default:
            # One default per company: ticking it here moves it from the old one.
            others = Location.objects.live().filter(company_id=obj.company_id, is_default=True)
            if obj.pk:
                others = others.exclude(pk=obj.pk)
            previous = others.first()
            others.update(is_default=False)
        super().save_model(request, obj, form, change)
        if previous is not None:
            self.message_user(
                request,
                f"{obj} is now the default location (was {previous}).",
                messages.INFO,
            )

    def has_change_permission(self, request, obj=None):
        # Each company's SUPPLIER, SOLD and BIN are fixed points of the stock rules.
        if obj is not None and not obj.is_physical:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (not obj.is_physical or obj.is_default):
            return False
        return super().has_delete_permission(request, obj)

    # Archiving: a location the ledger names is never deleted --------------------------

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Archive the selected locations", permissions=["delete"])
    def archive_locations(self, request, queryset):
        for location in queryset.select_related("company"):
            self._archive(request, location)

    actions = ["archive_locations"]

    def delete_view(self, request, object_id, extra_context=None):
        location = self.get_object(request, unquote(object_id))
        if (
            location is None
            or not self.has_delete_permission(request, location)
            or not has_history(location)
        ):
            return super().delete_view(request, object_id, extra_context)
        if request.method == "POST":
            self._archive(request, location)
            return HttpResponseRedirect(reverse("admin:locations_location_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Archive {location}?",
            "object": location,
            "holding": holding(location),
            "has_view_permission": True,
        }
        return TemplateResponse(
            request, "admin/locations/location/archive_confirmation.html", context
        )

    def _archive(self, request, location):
        if location.is_default or not location.is_physical:
            self.message_user(
                request,
                f"{location} cannot be archived: "
                + (
                    "it is the default location; make another the default first."
                    if location.is_default
                    else "the virtual locations are fixed points of the stock rules."
                ),
                messages.ERROR,
            )
            return
        units = holding(location)
        if units:
            self.message_user(
                request,
                f"{location} still holds {units} units: move or write them off before "
                "archiving it.",
                messages.ERROR,
            )
            return
        Location.objects.filter(pk=location.pk).update(
            rootfi_deleted_at=timezone.now(), rootfi_updated_at=timezone.now()
        )
        self.message_user(
            request,
            f"Archived {location}: it is hidden from pickers and the API doors; its history "
            "stays in the ledger. A location that the ledger names is archived, never deleted.",
            messages.SUCCESS,
        )


def has_history(location) -> bool:
    """The ledger or a stock level names the location (the rows keep it from deletion)."""
    return (
        StockMovement.objects.filter(
            Q(from_location_id=location.pk) | Q(to_location_id=location.pk)
        ).exists()
        or StockLevel.objects.filter(location_id=location.pk).exists()
    )


def holding(location) -> int:
    return sum(
        StockLevel.objects.filter(location_id=location.pk, on_hand__gt=0).values_list(
            "on_hand", flat=True
        )
    )
