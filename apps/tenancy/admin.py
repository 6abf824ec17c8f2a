from django.contrib import admin

from .models import ApiKey, Company


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "id", "uuid", "created_at"]
    search_fields = ["name", "uuid"]
    filter_horizontal = ["staff"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "company",
        "prefix",
        "scope",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["scope", "company"]
    search_fields = ["name", "prefix", "company__name"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
