"""Zettle's request bodies, parsed into plain data. Shapes only: which product, variant
and location a UUID names, and whether a movement is allowed, is for the lookups and the
service."""

import re

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.inventory.models import MAX_UNITS
from apps.locations.models import Location

# ASCII digits only: int() also reads Arabic-Indic or full-width digits, which no client means.
WHOLE = re.compile(r"^[+-]?[0-9]+$")
# Stock figures are 32-bit integers in the database.
LARGEST = MAX_UNITS  # the one bound of a stock figure


@extend_schema_field(OpenApiTypes.INT)
class PositiveWholeField(serializers.Field):
    """A positive whole number given as a JSON number or a numeric string ("1", 42, 3.0).
    Zettle's own example sends `"change": "1"`."""

    default_error_messages = {
        "invalid": "Must be a whole number, given as a number or a numeric string.",
        "min_value": "Must be a positive whole number.",
        "max_value": f"Must be at most {LARGEST}.",
    }

    def __init__(self, *, minimum=1, **kwargs):
        self.minimum = minimum
        super().__init__(**kwargs)
        if minimum != 1:
            self.error_messages["min_value"] = f"Must be a whole number of at least {minimum}."

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            value = data
        elif isinstance(data, float):
            if not data.is_integer():
                self.fail("invalid")
            value = int(data)
        elif isinstance(data, str):
            text = data.strip()
            if WHOLE.match(text):
                value = int(text)
            else:
                self.fail("invalid")
        else:
            self.fail("invalid")
        if value < self.minimum:
            self.fail("min_value")
        if value > LARGEST:
            self.fail("max_value")
        return value

    def to_representation(self, value):
        return value


class UuidField(serializers.UUIDField):
    """A UUID written as a JSON string. DRF's own field reads a number n as UUID(int=n), so
    `"productUuid": 5` would name 00000000-0000-0000-0000-000000000005 instead of being a
    wrong type."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class ChangeSerializer(serializers.Serializer):
    productUuid = UuidField()
    variantUuid = UuidField()
    fromLocationUuid = UuidField()
    toLocationUuid = UuidField()
    change = PositiveWholeField()


class LimitedListField(serializers.ListField):
    """A list of at most MAX_OBJECTS_PER_REQUEST entries."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", settings.MAX_OBJECTS_PER_REQUEST)
        super().__init__(**kwargs)


class MovementsSerializer(serializers.Serializer):
    """PUT /organizations/self/inventory."""

    changes = LimitedListField(child=ChangeSerializer(), allow_empty=False)
    returnBalanceForLocationUuid = UuidField(required=False, allow_null=True)
    externalUuid = UuidField(required=False, allow_null=True)


class VariantChangeSerializer(serializers.Serializer):
    variantUuid = UuidField()
    fromLocationUuid = UuidField()
    toLocationUuid = UuidField()
    change = PositiveWholeField()


TRACKING_CHANGES = ("START_TRACKING", "STOP_TRACKING", "NO_CHANGE")


class ProductChangeSerializer(serializers.Serializer):
    productUuid = UuidField()
    trackingStatusChange = serializers.ChoiceField(
        choices=TRACKING_CHANGES, required=False, default="NO_CHANGE"
    )
    variantChanges = LimitedListField(child=VariantChangeSerializer(), required=False, default=list)


class BulkSerializer(serializers.Serializer):
    """POST /organizations/self/v2/inventory/bulk."""

    returnBalanceForLocationUuid = UuidField(required=False, allow_null=True)
    externalUuid = UuidField(required=False, allow_null=True)
    productChanges = LimitedListField(child=ProductChangeSerializer())


class StartTrackingSerializer(serializers.Serializer):
    """POST /organizations/self/inventory."""

    productUuid = UuidField()


class ProductBalancesSerializer(serializers.Serializer):
    """POST /organizations/self/inventory/products."""

    locationType = serializers.ChoiceField(choices=Location.Kind.values)
    productUuids = LimitedListField(child=UuidField())


class LowStockSerializer(serializers.Serializer):
    """One variant's custom low-stock configuration. An absent or null `lowStockLevel` means
    none (alerts may be on without a level); an absent `lowStockAlert` means false."""

    productUuid = UuidField()
    variantUuid = UuidField()
    lowStockLevel = PositiveWholeField(minimum=0, required=False, allow_null=True, default=None)
    lowStockAlert = serializers.BooleanField(required=False, default=False)


class LowStockBatchSerializer(serializers.Serializer):
    requests = LimitedListField(child=LowStockSerializer())


class VariantRefSerializer(serializers.Serializer):
    productUuid = UuidField()
    variantUuid = UuidField()


class LowStockDeleteSerializer(serializers.Serializer):
    requests = LimitedListField(child=VariantRefSerializer())


def count_objects(data) -> int:
    """Objects or movement lines in a raw body, before validation, so the 1,000 limit is
    judged before any entry is parsed."""
    if not isinstance(data, dict):
        return 0
    counts = [len(v) for v in data.values() if isinstance(v, list)]
    products = data.get("productChanges")
    if isinstance(products, list):
        counts.append(
            sum(
                len(p["variantChanges"])
                for p in products
                if isinstance(p, dict) and isinstance(p.get("variantChanges"), list)
            )
        )
    return max(counts, default=0)
