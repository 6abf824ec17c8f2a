from django import forms
from django.contrib import admin, messages
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from apps.inventory import services
from apps.inventory.importexport.columns import ATTRIBUTE_COLUMNS
from apps.inventory.models import InventoryRecord, StockLevel
from apps.inventory.services import catalog as stock_of_catalog
from apps.inventory.services.catalog_sync import track_new_variants
from apps.tenancy.admin_base import CompanyScopedAdmin, ScopedInlineMixin, visible_companies

from . import services as catalog
from .models import Item, Variant, gtin14, upc_check_digit_ok

# What the stock does when the admin saves a variant: a new one is tracked at once, a
# renamed one's records take its SKU, in the same transaction.
STOCK_HOOKS = {"on_create": track_new_variants, "on_rename": stock_of_catalog.follow_rename}


def _live_others(model, company_id, instance):
    rows = model.objects.live().filter(company_id=company_id)
    return rows.exclude(pk=instance.pk) if instance.pk else rows


class ItemForm(forms.ModelForm):
    """SKUs are unique per company among live items: said as a form error, not a 500 (the
    database's rule has a condition on a column the form does not show, so Django skips it)."""

    class Meta:
        model = Item
        fields = ["company", "name", "sku", "description", "price", "currency_id", "type", "status"]
        labels = {"sku": "SKU", "currency_id": "Currency"}

    def clean(self):
        data = super().clean()
        company = data.get("company")
        company_id = company.pk if company else self.instance.company_id
        sku = data.get("sku")
        if company_id and sku and _live_others(Item, company_id, self.instance).filter(sku=sku):
            self.add_error("sku", f"Another item of this company has SKU {sku}.")
        elif (
            company_id
            and sku
            and not self.instance.pk
            # A new item without variants gets a default one carrying the item's SKU.
            and Variant.objects.live().filter(company_id=company_id, sku=sku).exists()
        ):
            self.add_error("sku", f"A variant of this company already has SKU {sku}.")
        return data


class VariantForm(forms.ModelForm):
    """The variant's size, width and color are keys of its `attributes` (the names the
    import and export use); staff edit them as fields."""

    size = forms.CharField(max_length=50, required=False)
    width = forms.CharField(max_length=50, required=False)
    color = forms.CharField(max_length=50, required=False)

    class Meta:
        model = Variant
        fields = ["name", "sku", "upc", *ATTRIBUTE_COLUMNS, "price"]
        labels = {"sku": "SKU", "upc": "UPC"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        attributes = self.instance.attributes if isinstance(self.instance.attributes, dict) else {}
        for key in ATTRIBUTE_COLUMNS:
            self.initial.setdefault(key, attributes.get(key, ""))

    def clean(self):
        data = super().clean()
        company_id = self._company_id(data)
        if company_id is None:
            return data
        others = _live_others(Variant, company_id, self.instance)
        sku, gtin = data.get("sku"), gtin14(data.get("upc"))
        if sku and others.filter(sku=sku).exists():
            self.add_error("sku", f"Another variant of this company has SKU {sku}.")
        if gtin and others.filter(gtin=gtin).exists():
            self.add_error("upc", f"Another variant of this company has UPC {data['upc']}.")
        return data

    def _company_id(self, data):
        item = data.get("item") or getattr(self.instance, "item", None)
        if item is not None and item.company_id:
            return item.company_id
        return self.instance.company_id

    def save(self, commit=True):
        variant = super().save(commit=False)
        attributes = dict(variant.attributes) if isinstance(variant.attributes, dict) else {}
        for key in ATTRIBUTE_COLUMNS:
            value = (self.cleaned_data.get(key) or "").strip()
            if value:
                attributes[key] = value
            else:
                attributes.pop(key, None)
        variant.attributes = attributes
        if commit:
            variant.save()
        return variant


def stock_table(variant) -> str:
    """On-hand per location of a variant's live record (prefetched by the caller)."""
    records = [r for r in variant.inventory_records.all() if r.rootfi_deleted_at is None]
    if not records:
        return "not tracked"
    levels = [lv for r in records for lv in r.levels.all()]
    link = format_html(
        '<a href="{}">stock page</a>',
        reverse("admin:inventory_inventoryrecord_change", args=[records[0].pk]),
    )
    if not levels:
        return format_html("nothing in stock · {}", link)
    lines = format_html_join(
        # A narrow column wraps a long name, never a figure away from it.
        mark_safe("<br>"),
        "{}:&nbsp;<b>{}</b>",
        ((lv.location.name, lv.on_hand) for lv in levels),
    )
    return format_html("{}<br>{}", lines, link)


def _with_stock(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "inventory_records",
            queryset=InventoryRecord.objects.live().prefetch_related(
                Prefetch("levels", queryset=StockLevel.objects.select_related("location"))
            ),
        )
    )


class VariantFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = {"sku": {}, "upc": {}}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            for field, value in (("sku", data.get("sku")), ("upc", gtin14(data.get("upc")))):
                if not value:
                    continue
                if value in seen[field]:
                    form.add_error(field, f"Two variants here have the same {field.upper()}.")
                seen[field][value] = form


class VariantInline(ScopedInlineMixin, admin.TabularInline):
    model = Variant
    form = VariantForm
    formset = VariantFormSet
    fields = ["name", "sku", "upc", *ATTRIBUTE_COLUMNS, "price", "stock"]
    readonly_fields = ["stock"]
    extra = 0

    def get_queryset(self, request):
        return _with_stock(super().get_queryset(request).live())

    @admin.display(description="stock per location")
    def stock(self, obj):
        return stock_table(obj) if obj.pk else "-"


class CheckDigitWarning:
    """After a save, warn (not refuse: clients' data carry such codes) about UPCs whose GS1
    check digit is wrong."""

    def _warn_check_digits(self, request, obj):
        variants = [obj] if isinstance(obj, Variant) else obj.variants.live()
        for variant in variants:
            if variant.upc and not upc_check_digit_ok(variant.upc):
                messages.warning(
                    request,
                    f"UPC {variant.upc} of {variant.sku or variant} has a wrong check digit: "
                    "saved as given; check it against the label.",
                )

    def response_add(self, request, obj, *args, **kwargs):
        self._warn_check_digits(request, obj)
        return super().response_add(request, obj, *args, **kwargs)

    def response_change(self, request, obj):
        self._warn_check_digits(request, obj)
        return super().response_change(request, obj)


@admin.register(Item)
class ItemAdmin(CheckDigitWarning, CompanyScopedAdmin):
    form = ItemForm
    list_display = ["name", "sku", "type", "status", "price", "variant_count", "company"]
    list_filter = ["type", "status"]
    search_fields = ["name", "sku", "platform_id"]
    list_select_related = ["company"]
    fields = ["company", "name", "sku", "description", "price", "currency_id", "type", "status"]
    inlines = [VariantInline]
    actions = ["start_tracking", "stop_tracking"]

    def get_queryset(self, request):
        return super().get_queryset(request).live().prefetch_related("variants")

    def get_readonly_fields(self, request, obj=None):
        return ["company"] if obj is not None else []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        companies = list(visible_companies(request)[:2])
        if len(companies) == 1:
            initial.setdefault("company", companies[0].pk)
        return initial

    @admin.display(description="variants")
    def variant_count(self, obj):
        return len([v for v in obj.variants.all() if v.rootfi_deleted_at is None])

    def save_formset(self, request, form, formset, change):
        if formset.model is not Variant:
            return super().save_formset(request, form, formset, change)
        # Through the catalog service: a renamed variant's records follow in this
        # transaction, a new one is tracked at once.
        variants = formset.save(commit=False)
        for variant in formset.deleted_objects:
            variant.delete()
        for variant in variants:
            catalog.save_variant(company=form.instance.company, variant=variant, **STOCK_HOOKS)
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        item = form.instance
        # Every item has at least one variant (as Shopify and Zettle do).
        if not item.variants.live().exists():
            catalog.save_variant(
                company=item.company,
                variant=Variant(item=item, sku=item.sku, price=item.price, name="Default"),
                **STOCK_HOOKS,
            )

    @admin.action(description="Start tracking stock of the selected items", permissions=["change"])
    def start_tracking(self, request, queryset):
        for company, items in _by_company(queryset):
            services.start_tracking(company=company, items=items)
        self.message_user(request, f"Tracking {_items(queryset.count())}.", messages.SUCCESS)

    @admin.action(description="Stop tracking stock of the selected items", permissions=["change"])
    def stop_tracking(self, request, queryset):
        for company, items in _by_company(queryset):
            services.stop_tracking(company=company, items=items)
        self.message_user(
            request, f"Stopped tracking {_items(queryset.count())}.", messages.SUCCESS
        )


def _items(n: int) -> str:
    return f"{n} item" if n == 1 else f"{n} items"


def _by_company(queryset):
    groups = {}
    for item in queryset.select_related("company"):
        groups.setdefault(item.company_id, (item.company, []))[1].append(item)
    return groups.values()


@admin.register(Variant)
class VariantAdmin(CheckDigitWarning, CompanyScopedAdmin):
    form = VariantForm
    list_display = ["sku", "item", "name", "upc", "size", "width", "color", "price"]
    search_fields = ["sku", "upc", "name", "item__name"]
    list_select_related = ["item"]
    fields = ["item", "name", "sku", "upc", *ATTRIBUTE_COLUMNS, "price", "stock"]
    readonly_fields = ["stock"]
    autocomplete_fields = ["item"]

    def get_queryset(self, request):
        return super().get_queryset(request).live()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj = _with_stock(Variant.objects.filter(pk=obj.pk)).get()
        return obj

    @admin.display(description="stock per location")
    def stock(self, obj):
        return stock_table(obj) if obj and obj.pk else "-"

    @admin.display(description="color")
    def color(self, obj):
        return obj.attributes.get("color", "") if isinstance(obj.attributes, dict) else ""

    def save_model(self, request, obj, form, change):
        catalog.save_variant(company=obj.item.company, variant=obj, **STOCK_HOOKS)
