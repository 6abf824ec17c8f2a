from django.contrib import admin, messages
from django.utils import timezone

from apps.locations.models import Location

from .admin_base import CompanyScopedAdmin, scope
from .models import ApiKey, Company

admin.site.site_header = "Inventory administration"
admin.site.site_title = "Inventory"
admin.site.index_title = "Stock at a glance"


@admin.register(Company)
class CompanyAdmin(CompanyScopedAdmin):
    company_field = "id"
    list_display = ["name", "id", "uuid", "webhook_url", "created_at"]
    search_fields = ["name", "uuid"]
    filter_horizontal = ["staff"]
    fields = ["name", "uuid", "webhook_url", "webhook_secret", "staff", "created_at"]

    def get_list_filter(self, request):
        return []

    def get_readonly_fields(self, request, obj=None):
        readonly = ["uuid", "created_at"]
        if not request.user.is_superuser:
            # Staff may not grant themselves (or others) access to a company.
            readonly += ["name", "staff"]
        return readonly

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class KeyStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(CompanyScopedAdmin):
    list_display = [
        "name",
        "company",
        "store",
        "prefix",
        "scope",
        "created_at",
        "last_used_at",
        "state",
    ]
    list_filter = ["scope", KeyStateFilter]
    search_fields = ["name", "prefix"]
    list_select_related = ["company", "store"]
    actions = ["revoke_keys"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["company", "store", "name", "scope"]
        return [
            "company",
            "store",
            "name",
            "scope",
            "prefix",
            "created_at",
            "last_used_at",
            "revoked_at",
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "store" and field is not None:
            # Only stores of companies the user sees; clean() then checks it is the key's own.
            field.queryset = scope(
                request,
                Location.objects.live().filter(kind=Location.Kind.STORE).select_related("company"),
            )
            field.label_from_instance = lambda loc: f"{loc.company} · {loc}"
        return field

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # A key's company, scope and secret never change; revoke it and issue another.
        return ["company", "scope", "prefix", "created_at", "last_used_at", "revoked_at"]

    @admin.display(description="state", ordering="revoked_at")
    def state(self, obj):
        return f"revoked {obj.revoked_at:%Y-%m-%d %H:%M}" if obj.revoked_at else "active"

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key, secret = ApiKey.issue(
            company=obj.company, name=obj.name, scope=obj.scope, store=obj.store
        )
        for field in ("id", "prefix", "key_hash", "created_at"):
            setattr(obj, field, getattr(key, field))
        obj._state = key._state
        messages.warning(
            request,
            f"The secret of “{key.name}” is {secret} — copy it now: it is shown only this "
            "once; afterwards only its prefix is kept.",
        )

    @admin.action(description="Revoke the selected API keys", permissions=["change"])
    def revoke_keys(self, request, queryset):
        revoked = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"Revoked {revoked} API key(s).", messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        # Keys are revoked, not deleted: the ledger names the key that made each change.
        return False
