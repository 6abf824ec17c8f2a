"""RootFi V4 objects: inventories, items, variants and warehouse addresses, rendered in the
seed pages' field names (their descriptions are the schema's), and the write shapes."""

import hashlib
import json
import operator
from functools import cached_property

from django.core.validators import RegexValidator
from rest_framework import serializers

from apps.catalog.models import NO_BIDI_CONTROLS, UPC_FORMAT, Item
from apps.inventory.models import Status

from .fields import (
    CountField,
    CountryField,
    EnumField,
    IdField,
    ObjectField,
    PriceField,
    StrictBooleanField,
    StrictCharField,
    TimeField,
)

# Fields every object carries that the service owns, and the data_hash leaves out.
META_FIELDS = (
    "rootfi_id",
    "rootfi_created_at",
    "rootfi_updated_at",
    "rootfi_company_id",
    "rootfi_deleted_at",
    "data_hash",
)
SERVICE_OWNED = frozenset(META_FIELDS) | {"created_at", "updated_at"}


def data_hash(representation: dict) -> str:
    """A stable hash of an object's data fields: changes exactly when one of them does."""
    data = {k: v for k, v in representation.items() if k not in META_FIELDS and k not in EXPANSIONS}
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


EXPANSIONS = ("item", "variant")

# Field types whose to_representation returns a database value unchanged.
AS_STORED = (
    serializers.CharField,
    serializers.IntegerField,
    serializers.BooleanField,
    serializers.ChoiceField,
    serializers.JSONField,
)


class ReadPlan(serializers.Serializer):
    """Renders a row by a plan compiled once per serializer class: (name, getter, converter)
    per field. DRF deep-copies a serializer's fields for every instance and asks every field
    of every row how to read its source (a callable check at each step of
    `item.platform_id`): most of a 100-row page's cost. These read-only objects read plain
    attributes, so the plan reads them directly; method fields are called on the instance
    rendering, and a field the plan cannot read falls back to DRF."""

    @classmethod
    def read_plan(cls) -> list:
        plan = cls.__dict__.get("_read_plan")  # each class its own, not its parent's
        if plan is None:
            plan = []
            for field in cls()._readable_fields:
                if isinstance(field, serializers.SerializerMethodField):
                    plan.append((field.field_name, field.method_name, None, field))
                elif field.source == "*" or isinstance(field, serializers.BaseSerializer):
                    plan.append((field.field_name, None, None, field))
                else:
                    getter = operator.attrgetter(".".join(field.source_attrs))
                    convert = None if type(field) in AS_STORED else field.to_representation
                    plan.append((field.field_name, getter, convert, field))
            cls._read_plan = plan
        return plan

    def to_representation(self, instance):
        rendered = {}
        for name, getter, convert, field in self.read_plan():
            if isinstance(getter, str):
                rendered[name] = getattr(self, getter)(instance)
                continue
            try:
                value = getter(instance)
            except (AttributeError, TypeError):  # no getter, or a missing relation
                try:
                    value = field.get_attribute(instance)
                except serializers.SkipField:
                    continue
                convert = field.to_representation
            rendered[name] = value if value is None or convert is None else convert(value)
        return rendered


class RootFiObject(ReadPlan):
    """The fields every V4 object carries."""

    rootfi_id = serializers.IntegerField(
        source="pk", read_only=True, help_text="The unique ID we assign for that data's information"
    )
    rootfi_created_at = TimeField(
        read_only=True, help_text="The date at which RootFi first synced this data"
    )
    rootfi_updated_at = TimeField(
        read_only=True, help_text="The latest date at which RootFi updated this data"
    )
    rootfi_company_id = serializers.IntegerField(
        source="company_id",
        read_only=True,
        help_text="The ID of the company in the accounting platform",
    )
    platform_id = serializers.CharField(
        read_only=True, help_text="An unique custom RootFi ID made from platform's unique_id."
    )
    rootfi_deleted_at = TimeField(
        read_only=True,
        allow_null=True,
        help_text="The date at which the data was deleted in the accounting platform",
    )
    platform_unique_id = serializers.CharField(
        read_only=True, allow_null=True, help_text="The ID of the data in the accounting platform."
    )
    raw_data = serializers.JSONField(
        read_only=True,
        help_text="A JSON containing fields that you can directly get from the accounting "
        "platform.",
    )
    data_hash = serializers.SerializerMethodField(help_text="The hash of the data")

    def get_data_hash(self, obj) -> str:
        return ""  # filled in by to_representation, over the rendered data fields

    def to_representation(self, instance):
        rendered = super().to_representation(instance)
        rendered["data_hash"] = data_hash(rendered)
        return rendered


class AddressSerializer(ReadPlan):
    """A warehouse location the inventory is stored at (a StockLevel and its Location)."""

    rootfi_id = serializers.IntegerField(
        source="location.pk", read_only=True, help_text="Unique identifier for this address"
    )
    platform_id = serializers.CharField(
        source="location.platform_id",
        read_only=True,
        help_text="Platform-specific address identifier",
    )
    type = serializers.CharField(
        source="location.address_type",
        read_only=True,
        help_text="Address type (always warehouse for inventory locations)",
    )
    street = serializers.CharField(
        source="location.street", read_only=True, help_text="Street address of the warehouse"
    )
    city = serializers.CharField(
        source="location.city", read_only=True, help_text="City where the warehouse is located"
    )
    state = serializers.CharField(
        source="location.state", read_only=True, help_text="State or province"
    )
    postal_code = serializers.CharField(
        source="location.postal_code", read_only=True, help_text="ZIP or postal code"
    )
    country = serializers.CharField(
        source="location.country", read_only=True, help_text="ISO 3166-1 alpha-2 country code"
    )
    store_code = serializers.CharField(
        source="location.store_code",
        read_only=True,
        help_text="The location's store code (the store feed's `store`); may name it in "
        "`warehouse_location`.",
    )
    name = serializers.CharField(source="location.name", read_only=True, help_text="Display name")
    quantity = serializers.IntegerField(
        source="on_hand", read_only=True, help_text="Units of this inventory on hand here"
    )


class VariantSerializer(ReadPlan):
    rootfi_id = serializers.IntegerField(
        source="pk", read_only=True, help_text="The unique ID we assign to the variant"
    )
    platform_id = serializers.CharField(read_only=True, help_text="Platform's variant id")
    name = serializers.CharField(read_only=True, help_text="Variant name")
    sku = serializers.CharField(read_only=True, help_text="Variant Stock Keeping Unit code")
    price = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Variant price",
    )
    upc = serializers.CharField(read_only=True, help_text="Universal Product Code (or EAN)")
    uuid = serializers.UUIDField(
        read_only=True, help_text="The variant's UUID (Zettle's `variantUuid`)"
    )
    attributes = serializers.JSONField(
        read_only=True, help_text='Variant attributes, e.g. {"size": "34", "color": "black"}'
    )


class FullVariantSerializer(RootFiObject, VariantSerializer):
    """A variant with every field of a V4 object (`expand=variant`, `expand=variants`)."""

    item_id = serializers.CharField(
        source="item.platform_id", read_only=True, help_text="The variant's item"
    )
    created_at = TimeField(read_only=True, help_text="Original creation timestamp (ISO 8601).")
    updated_at = TimeField(read_only=True, help_text="Last update timestamp (ISO 8601).")


class ItemSerializer(RootFiObject):
    """V4 Item model representing products or services with variant support."""

    uuid = serializers.UUIDField(
        read_only=True, help_text="The item's UUID (Zettle's `productUuid`)"
    )
    name = serializers.CharField(read_only=True, help_text="Display name of the item.")
    description = serializers.CharField(
        read_only=True, help_text="Detailed description of the item."
    )
    sku = serializers.CharField(read_only=True, help_text="Stock Keeping Unit code.")
    price = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Base price for this item.",
    )
    currency_id = serializers.CharField(read_only=True, help_text="ISO 4217 currency code.")
    type = serializers.ChoiceField(
        choices=Item.Type.choices,
        read_only=True,
        help_text="Type of item (INVENTORY, NON_INVENTORY, SERVICE, DIGITAL, UNKNOWN).",
    )
    status = serializers.ChoiceField(
        choices=Item.Status.choices,
        read_only=True,
        help_text="Item availability status (DRAFT, ACTIVE, ARCHIVED, UNKNOWN).",
    )
    created_at = TimeField(read_only=True, help_text="Original creation timestamp (ISO 8601).")
    updated_at = TimeField(read_only=True, help_text="Last update timestamp (ISO 8601).")
    variants = serializers.SerializerMethodField(
        help_text="Product variants with different pricing/attributes."
    )

    # Nested serializers are built once per (list) serializer and reused for every row:
    # DRF deep-copies a serializer's fields each time one is built, which dominated the
    # cost of a 1,000-row page.
    @cached_property
    def variant_serializer(self):
        return VariantSerializer()

    @cached_property
    def full_variant_serializer(self):
        return FullVariantSerializer()

    def _variants(self, item):
        variants = getattr(item, "live_variants", None)
        if variants is None:
            variants = list(item.variants.live().order_by("id"))
        return variants

    def get_variants(self, item) -> list[dict]:
        return [self.variant_serializer.to_representation(v) for v in self._variants(item)]

    def to_representation(self, instance):
        rendered = super().to_representation(instance)
        if "variants" in self.context.get("expand", ()):
            full = self.full_variant_serializer
            rendered["variants"] = [full.to_representation(v) for v in self._variants(instance)]
        return rendered


class InventorySerializer(RootFiObject):
    """V4 Inventory object with comprehensive stock tracking."""

    item_id = serializers.CharField(
        source="item.platform_id", read_only=True, help_text="Reference to the Item being tracked"
    )
    product_id = serializers.CharField(
        source="item.platform_id",
        read_only=True,
        help_text="Reference to the Item being tracked (the same as item_id)",
    )
    variant_id = serializers.CharField(
        source="variant.platform_id",
        read_only=True,
        help_text="Reference to the specific Variant being tracked",
    )
    sku = serializers.CharField(
        read_only=True, help_text="Stock Keeping Unit for this inventory item"
    )
    quantity = serializers.IntegerField(
        read_only=True, help_text="Total physical quantity in stock"
    )
    reserved_quantity = serializers.IntegerField(
        read_only=True, help_text="Quantity allocated to pending orders but not yet shipped"
    )
    available_quantity = serializers.IntegerField(
        read_only=True,
        help_text="Quantity available for new orders (quantity - reserved_quantity)",
    )
    status = serializers.ChoiceField(
        choices=Status.choices, read_only=True, help_text="Current inventory status"
    )
    is_trackable = serializers.BooleanField(
        read_only=True, help_text="Whether inventory levels are actively monitored for this item"
    )
    reorder_level = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Quantity threshold that triggers reorder alerts"
    )
    reorder_quantity = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Suggested quantity to reorder when stock is low",
    )
    addresses = serializers.SerializerMethodField(
        help_text="Warehouse locations where this inventory is stored"
    )
    created_at = TimeField(read_only=True, help_text="When this inventory record was created")
    updated_at = TimeField(read_only=True, help_text="When this inventory record was last updated")

    # Built once per (list) serializer and reused for every row; see ItemSerializer.
    @cached_property
    def address_serializer(self):
        return AddressSerializer()

    @cached_property
    def item_serializer(self):
        return ItemSerializer(context={})

    @cached_property
    def variant_serializer(self):
        return FullVariantSerializer(context={})

    @cached_property
    def rendered_items(self) -> dict:
        """Items rendered in this response by id: a page's rows often share an item."""
        return {}

    def get_addresses(self, record) -> list[dict]:
        levels = getattr(record, "live_levels", None)
        if levels is None:
            levels = list(
                record.levels.filter(location__rootfi_deleted_at__isnull=True)
                .select_related("location")
                .order_by("location_id")
            )
        return [self.address_serializer.to_representation(level) for level in levels]

    def to_representation(self, instance):
        rendered = super().to_representation(instance)
        expand = self.context.get("expand", ())
        if "item" in expand:
            item = self.rendered_items.get(instance.item_id)
            if item is None:
                item = self.item_serializer.to_representation(instance.item)
                self.rendered_items[instance.item_id] = item
            rendered["item"] = item
        if "variant" in expand:
            variant = instance.variant
            variant.item = instance.item  # already joined: no query per row
            rendered["variant"] = self.variant_serializer.to_representation(variant)
        return rendered


# --- writes -----------------------------------------------------------------------------


# Blank, or three letters (in either case): what validate_currency_id accepts, as a pattern
# /openapi.json states.
CURRENCY = RegexValidator(r"^([A-Za-z]{3}|\s*)$", "Must be an ISO 4217 currency code.")


class StrictSerializer(serializers.Serializer):
    """Refuses unknown fields (naming them) and drops the service-owned ones, so a client
    may send back what it read."""

    IGNORED: frozenset = SERVICE_OWNED

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": ["Expected a JSON object."]}, code="invalid"
            )
        unknown = set(data) - set(self.fields) - self.IGNORED
        if unknown:
            raise serializers.ValidationError(
                {name: ["Unknown field."] for name in sorted(unknown)}
            )
        kept = {k: v for k, v in data.items() if k in self.fields}
        return super().to_internal_value(kept)


class AddressWriteSerializer(StrictSerializer):
    IGNORED = frozenset({"quantity"})

    rootfi_id = CountField(required=False, help_text="Names an existing location of the company")
    platform_id = StrictCharField(
        required=False, max_length=255, help_text="Matches or creates the location with this id"
    )
    type = StrictCharField(required=False, max_length=20, help_text="Address type, stored as given")
    street = StrictCharField(required=False, allow_blank=True, max_length=255)
    city = StrictCharField(required=False, allow_blank=True, max_length=100)
    state = StrictCharField(required=False, allow_blank=True, allow_null=True, max_length=100)
    postal_code = StrictCharField(required=False, allow_blank=True, max_length=20)
    country = CountryField(
        required=False, allow_blank=True, help_text="ISO 3166-1 alpha-2 country code"
    )
    store_code = StrictCharField(required=False, max_length=100)
    name = StrictCharField(required=False, max_length=200)


class InventoryWriteSerializer(StrictSerializer):
    """An inventory write (create or update). Only the fields sent change."""

    IGNORED = SERVICE_OWNED | {"available_quantity", "product_id", "item", "variant"}

    item_id = IdField(required=False, help_text="The item (rootfi_id or platform_id) on create")
    variant_id = IdField(
        required=False, help_text="The variant (rootfi_id or platform_id) on create"
    )
    sku = StrictCharField(required=False, max_length=100, help_text="The variant's SKU")
    quantity = CountField(
        required=False,
        help_text="Total physical quantity in stock: an absolute count; the difference is "
        "counted at `warehouse_location`",
    )
    reserved_quantity = CountField(required=False, help_text="Quantity reserved for pending orders")
    warehouse_location = IdField(
        required=False,
        help_text="Warehouse or location identifier: its rootfi_id, platform_id or store_code",
    )
    status = EnumField(
        Status.choices,
        upper=False,
        required=False,
        help_text="`discontinued` marks the record discontinued; any other value clears the "
        "mark (the figures decide the rest)",
    )
    is_trackable = StrictBooleanField(
        required=False, help_text="Whether inventory levels are actively monitored"
    )
    reorder_level = CountField(
        required=False, allow_null=True, help_text="Quantity threshold that triggers reorder alerts"
    )
    reorder_quantity = CountField(
        required=False, allow_null=True, help_text="Suggested quantity to reorder when stock is low"
    )
    addresses = AddressWriteSerializer(
        many=True, required=False, help_text="Warehouse locations where this inventory is stored"
    )
    platform_id = StrictCharField(required=False, max_length=255)
    platform_unique_id = StrictCharField(required=False, allow_null=True, max_length=255)
    raw_data = ObjectField(required=False)


class VariantWriteSerializer(StrictSerializer):
    IGNORED = SERVICE_OWNED - {"rootfi_id"} | {"uuid", "item_id"}

    rootfi_id = CountField(required=False, help_text="Names an existing variant of the item")
    platform_id = StrictCharField(required=False, max_length=255)
    name = StrictCharField(
        required=False, allow_blank=True, max_length=255, validators=[NO_BIDI_CONTROLS]
    )
    sku = StrictCharField(
        required=False, allow_blank=True, max_length=100, validators=[NO_BIDI_CONTROLS]
    )
    price = PriceField(required=False, allow_null=True)
    upc = StrictCharField(required=False, allow_blank=True, max_length=20, validators=[UPC_FORMAT])
    attributes = ObjectField(required=False)
    platform_unique_id = StrictCharField(required=False, allow_null=True, max_length=255)
    raw_data = ObjectField(required=False)


class ItemWriteSerializer(StrictSerializer):
    """An item write. On update only the fields sent change; `variants` replaces the set."""

    IGNORED = SERVICE_OWNED | {"uuid"}

    name = StrictCharField(
        required=False, max_length=255, validators=[NO_BIDI_CONTROLS], help_text="Display name"
    )
    description = StrictCharField(
        required=False, allow_blank=True, help_text="Detailed description"
    )
    sku = StrictCharField(
        required=False,
        max_length=100,
        validators=[NO_BIDI_CONTROLS],
        help_text="Stock Keeping Unit code (not blank)",
    )
    price = PriceField(required=False, allow_null=True, help_text="Base price")
    currency_id = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=3,
        trim_whitespace=False,  # "    " is too long, as the schema's maxLength says
        validators=[CURRENCY],
        help_text="ISO 4217 currency code",
    )
    type = EnumField(Item.Type.choices, upper=True, required=False, help_text="Type of item")
    status = EnumField(Item.Status.choices, upper=True, required=False, help_text="Item status")
    variants = VariantWriteSerializer(
        many=True, required=False, help_text="Product variants (replaces existing)"
    )
    platform_id = StrictCharField(required=False, max_length=255)
    platform_unique_id = StrictCharField(required=False, allow_null=True, max_length=255)
    raw_data = ObjectField(required=False)

    def validate_currency_id(self, value):
        value = value.strip().upper()
        if value and (len(value) != 3 or not (value.isascii() and value.isalpha())):
            raise serializers.ValidationError("Must be an ISO 4217 currency code.")
        return value


class ItemCreateSerializer(ItemWriteSerializer):
    """An item create as /openapi.json documents it: a new item needs a `name` (the write,
    validated by ItemWriteSerializer, refuses one without, naming the field)."""

    name = StrictCharField(max_length=255, validators=[NO_BIDI_CONTROLS], help_text="Display name")
