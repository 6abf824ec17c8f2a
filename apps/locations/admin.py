from django import forms
from django.contrib import admin, messages
from django.db import transaction

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
