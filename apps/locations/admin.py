from django.contrib import admin

from apps.tenancy.admin_base import CompanyScopedAdmin

from .models import Location


@admin.register(Location)
class LocationAdmin(CompanyScopedAdmin):
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

    def has_change_permission(self, request, obj=None):
        # Each company's SUPPLIER, SOLD and BIN are fixed points of the stock rules.
        if obj is not None and not obj.is_physical:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (not obj.is_physical or obj.is_default):
            return False
        return super().has_delete_permission(request, obj)
