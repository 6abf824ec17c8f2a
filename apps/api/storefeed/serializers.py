"""The feed's request and answer shapes, for /openapi.json. Bodies are read by `parsing`
(the feed's quirks: numbers as text, digits-only strings as counts, per-index errors)."""

from drf_spectacular.utils import OpenApiExample, PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from .parsing import MAX_QUANTITY

TEXT = {"oneOf": [{"type": "string"}, {"type": "number"}]}


@extend_schema_field(TEXT)
class TextField(serializers.CharField):
    """Text, or a number read as its text; blank is the same as absent."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)


@extend_schema_field({**TEXT, "nullable": True})
class OptionalTextField(TextField):
    """A field that may be left out: null, like blank, is the same as absent (the feed reads
    `"width": null` as no width, as `"width": ""`)."""


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 0, "maximum": MAX_QUANTITY},
            # Digits only, at most 9 of them: always within MAX_QUANTITY.
            {"type": "string", "pattern": r"^[0-9]{1,9}$"},
        ]
    }
)
class QuantityField(serializers.IntegerField):
    pass


class StoreFeedUpdateSerializer(serializers.Serializer):
    upc = OptionalTextField(
        required=False,
        help_text="UPC-A, EAN-13 or GTIN-14, compared as a GTIN. When given, sku, size and "
        "width are not needed.",
    )
    sku = OptionalTextField(
        required=False, help_text="The item's or the variant's SKU (when no upc is given)."
    )
    size = OptionalTextField(required=False, help_text="Required with sku.")
    width = OptionalTextField(
        required=False,
        help_text="With sku; may be absent or empty when it does not tell variants apart.",
    )
    store = TextField(help_text='The store\'s code (a number is read as its text, e.g. 3 is "3").')
    quantity = QuantityField(
        help_text="The absolute count now on the shelf at that store; an integer or a string "
        "of digits.",
    )


class StoreFeedAnswerSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    sku = serializers.CharField(allow_null=True, help_text="The variant's SKU.")
    upc = serializers.CharField(allow_null=True, help_text="The variant's UPC.")
    store = serializers.CharField()
    previous_quantity = serializers.IntegerField(help_text="On hand at that store before.")
    quantity = serializers.IntegerField(help_text="On hand at that store now.")


class StoreFeedBatchAnswerSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    results = StoreFeedAnswerSerializer(many=True)


class StoreFeedErrorSerializer(serializers.Serializer):
    error = serializers.CharField()


REQUEST = PolymorphicProxySerializer(
    component_name="StoreFeedInventoryUpdateBody",
    serializers=[StoreFeedUpdateSerializer, StoreFeedUpdateSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)

ANSWER = PolymorphicProxySerializer(
    component_name="StoreFeedInventoryUpdateAnswer",
    serializers=[StoreFeedAnswerSerializer, StoreFeedBatchAnswerSerializer],
    resource_type_field_name=None,
    many=False,
)

EXAMPLES = [
    OpenApiExample(
        "By UPC", value={"upc": "849632048260", "store": "3", "quantity": 12}, request_only=True
    ),
    OpenApiExample(
        "By SKU, size and width",
        value={"sku": "ZOOT-SUIT", "size": "34", "width": "D", "store": "3", "quantity": 44},
        request_only=True,
    ),
    OpenApiExample(
        "Missing field",
        value={"error": "Missing required field: sku"},
        response_only=True,
        status_codes=["400"],
    ),
]
