from django.contrib import admin

from .models import Location


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "store_code", "is_default", "city", "country", "company"]
    list_filter = ["kind", "company"]
    search_fields = ["name", "store_code", "platform_id", "city"]
