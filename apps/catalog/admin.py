from django.contrib import admin

from .models import Item, Variant


class VariantInline(admin.TabularInline):
    model = Variant
    fields = ["name", "sku", "upc", "price", "attributes"]
    extra = 0


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["name", "sku", "type", "status", "price", "company"]
    list_filter = ["type", "status", "company"]
    search_fields = ["name", "sku", "platform_id"]
    inlines = [VariantInline]


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin):
    list_display = ["sku", "item", "name", "upc", "price", "company"]
    list_filter = ["company"]
    search_fields = ["sku", "upc", "name", "item__name"]
    list_select_related = ["item", "company"]
