"""The bodies of the purchase-order and transfer endpoints (input only; representations
are in representations.py)."""

from django.conf import settings
from rest_framework import serializers

from .fields import MomentField, StrictSerializer, quantity_field
from .lines import ItemLineSerializer


class StrictItemLine(StrictSerializer, ItemLineSerializer):
    quantity = quantity_field()


class OrderLineSerializer(StrictItemLine):
    unit_cost = serializers.DecimalField(
        max_digits=14, decimal_places=4, min_value=0, required=False, allow_null=True
    )


def lines_field(child, **kwargs) -> serializers.ListField:
    return serializers.ListField(child=child, max_length=settings.MAX_OBJECTS_PER_REQUEST, **kwargs)


class PurchaseOrderCreateSerializer(StrictSerializer):
    supplier = serializers.CharField(max_length=200)
    location = serializers.CharField(required=False, max_length=100)
    store_code = serializers.CharField(required=False, max_length=100)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    expected_at = MomentField(required=False, allow_null=True)
    lines = lines_field(OrderLineSerializer(), allow_empty=False)


class PurchaseOrderUpdateSerializer(StrictSerializer):
    supplier = serializers.CharField(required=False, max_length=200)
    location = serializers.CharField(required=False, max_length=100)
    store_code = serializers.CharField(required=False, max_length=100)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    expected_at = MomentField(required=False, allow_null=True)
    lines = lines_field(OrderLineSerializer(), required=False, allow_empty=False)


class NoteSerializer(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ReceiveOrderSerializer(NoteSerializer):
    lines = lines_field(StrictItemLine(), required=False, allow_empty=False)
    allow_over_receipt = serializers.BooleanField(required=False, default=False)


class TransferCreateSerializer(StrictSerializer):
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    lines = lines_field(StrictItemLine(), allow_empty=False)

    def get_fields(self):
        fields = super().get_fields()
        # `from` is a Python keyword: declared here rather than as an attribute.
        fields["from"] = serializers.CharField(max_length=100)
        fields["to"] = serializers.CharField(max_length=100)
        return fields


class TransferUpdateSerializer(StrictSerializer):
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    lines = lines_field(StrictItemLine(), required=False, allow_empty=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.CharField(required=False, max_length=100)
        fields["to"] = serializers.CharField(required=False, max_length=100)
        return fields


class ReceiveTransferSerializer(NoteSerializer):
    lines = lines_field(StrictItemLine(), required=False, allow_empty=False)
