from types import MethodType

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from apps.locations.models import Location
from apps.webhooks import destinations

from .admin_base import CompanyScopedAdmin, scope
from .models import ApiKey, Company

admin.site.site_header = "Inventory administration"
admin.site.site_title = "Inventory"
admin.site.index_title = "Stock at a glance"

# The staff menu: stock work first, in the order a day's work goes; the plumbing
# (idempotency keys, the outbox, webhook deliveries) in a section only superusers see.
MENU_ORDER = [
    "inventory", "operations", "counts", "catalog", "locations", "tenancy", "webhooks", "auth",
]  # fmt: skip
MODEL_ORDER = ["InventoryRecord", "StockMovement", "StockAlert", "PurchaseOrder", "Transfer"]
TECHNICAL = {"IdempotencyKey", "OutboxEvent", "Delivery", "DeliveryAttempt"}


def _app_list(self, request, app_label=None):
    apps = admin.AdminSite.get_app_list(self, request, app_label)
    technical = []
    for app in apps:
        technical += [m for m in app["models"] if m["object_name"] in TECHNICAL]
        app["models"] = [m for m in app["models"] if m["object_name"] not in TECHNICAL]
        app["models"].sort(
            key=lambda m: (
                MODEL_ORDER.index(m["object_name"]) if m["object_name"] in MODEL_ORDER else 9,
                m["name"],
            )
        )
    apps = [app for app in apps if app["models"]]
    apps.sort(key=lambda a: MENU_ORDER.index(a["app_label"]) if a["app_label"] in MENU_ORDER else 9)
    if technical and request.user.is_superuser and app_label is None:
        apps.append(
            {
                "name": "Technical (superusers only)",
                "app_label": "technical",
                "app_url": reverse("admin:index") + "#technical",
                "has_module_perms": True,
                "models": sorted(technical, key=lambda m: m["name"]),
            }
        )
    return apps


admin.site.get_app_list = MethodType(_app_list, admin.site)


def company_data(company) -> dict[str, int]:
    """What a company holds of its own, by kind (only what exists): its catalog, stock
    records, ledger rows and stores beyond the default one it was born with. API keys and
    its born-with locations are not data: a company created by a typo has only those."""
    from apps.catalog.models import Item
    from apps.inventory.models import InventoryRecord, StockMovement
    from apps.locations.models import Location

    counts = {
        "items": Item.objects.filter(company=company).count(),
        "stock records": InventoryRecord.objects.filter(company=company).count(),
        "ledger rows": StockMovement.objects.filter(company=company)[:1000].count(),
        "stores": Location.objects.filter(
            company=company, kind=Location.Kind.STORE, is_default=False
        ).count(),
    }
    return {kind: n for kind, n in counts.items() if n}


def _counted(n: int, kind: str) -> str:
    """ "1 item", "2 items", "1000+ ledger rows" (counting stops at 1000)."""
    words = kind if n != 1 else kind[:-1]
    return f"{n}{'+' if n == 1000 else ''} {words}"


class CompanyForm(forms.ModelForm):
    webhook_url = forms.URLField(
        required=False,
        assume_scheme="https",  # a URL typed without a scheme is meant as https://
        max_length=Company._meta.get_field("webhook_url").max_length,
        help_text=Company._meta.get_field("webhook_url").help_text,
    )

    class Meta:
        model = Company
        fields = ["webhook_url"]  # the admin adds the rest of its `fields`

    def clean_webhook_url(self):
        """The operator's webhook URL is guarded as a Pusher subscription's destination is:
        https://, and not a host of our own network (the delivery checks the name again)."""
        url = self.cleaned_data.get("webhook_url")
        if not url:
            return url
        try:
            return destinations.check(url)
        except destinations.Refused as refused:
            raise forms.ValidationError(str(refused)) from None


@admin.register(Company)
class CompanyAdmin(CompanyScopedAdmin):
    company_field = "id"
    form = CompanyForm
    list_display = ["name", "id", "is_active", "uuid", "webhook_url", "created_at"]
    search_fields = ["name", "uuid"]
    filter_horizontal = ["staff"]
    fields = ["name", "is_active", "uuid", "webhook_url", "webhook_secret", "staff", "created_at"]
    actions = ["deactivate", "activate"]

    def get_list_filter(self, request):
        return ["is_active"]

    @admin.action(description="Deactivate the selected companies", permissions=["delete"])
    def deactivate(self, request, queryset):
        n = queryset.filter(is_active=True).update(is_active=False)
        self.message_user(
            request,
            f"Deactivated {n} compan{'y' if n == 1 else 'ies'}: kept with all their data, no "
            "longer offered in pickers and filters, and their API keys are refused.",
            messages.SUCCESS,
        )

    @admin.action(description="Activate the selected companies", permissions=["delete"])
    def activate(self, request, queryset):
        n = queryset.filter(is_active=False).update(is_active=True)
        self.message_user(
            request, f"Activated {n} compan{'y' if n == 1 else 'ies'}.", messages.SUCCESS
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        # One company at a time, from its page: each is judged on what it holds.
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        company = self.get_object(request, unquote(object_id))
        if company is not None and self.has_delete_permission(request, company):
            held = company_data(company)
            if held:
                listing = ", ".join(_counted(n, kind) for kind, n in held.items())
                self.message_user(
                    request,
                    f"{company} has data of its own ({listing}), so it cannot be deleted. "
                    "Deactivate it instead: its data is kept and it leaves pickers and filters.",
                    messages.ERROR,
                )
                return HttpResponseRedirect(
                    reverse("admin:tenancy_company_change", args=[company.pk])
                )
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        # A company with nothing of its own (delete_view checked) takes its born-with
        # locations and its API keys along; no separate permission on those is needed.
        deleted, model_count, _, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, set(), protected

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        readonly = ["uuid", "created_at"]
        if not request.user.is_superuser:
            # Staff may not grant themselves (or others) access to a company.
            readonly += ["name", "staff", "is_active"]
        return readonly

    def has_add_permission(self, request):
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
        noun = "API key" if revoked == 1 else "API keys"
        self.message_user(request, f"Revoked {revoked} {noun}.", messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        # Keys are revoked, not deleted: the ledger names the key that made each change.
        return False
