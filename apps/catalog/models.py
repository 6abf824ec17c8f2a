import re
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from apps.tenancy.models import CompanyOwned

LIVE = Q(rootfi_deleted_at__isnull=True)


def gtin14(code: str | None) -> str:
    """A UPC-A, EAN-13 or GTIN-14 as 14 digits, so one product's codes compare equal."""
    digits = re.sub(r"\D", "", code or "")
    return digits.zfill(14) if digits else ""


# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): in a name
# or SKU they make the admin display other text than is stored ("Trojan Source").
NO_BIDI_CONTROLS = RegexValidator(
    "^[^\u202a-\u202e\u2066-\u2069]*$",
    "Must not contain bidirectional control characters (U+202A to U+202E, U+2066 to U+2069).",
)
# A UPC is empty, or a GTIN-8, UPC-A (12), EAN-13 or GTIN-14. The check digit is not
# enforced: clients' data carry invalid ones (the admin warns, see upc_check_digit_ok).
UPC_FORMAT = RegexValidator(
    r"^([0-9]{8}|[0-9]{12,14})?$", "A UPC is empty or 8, 12, 13 or 14 digits."
)


def upc_check_digit_ok(upc: str) -> bool:
    """The GS1 check digit of a well-formed UPC (its last digit) is right."""
    if not UPC_FORMAT.regex.match(upc or "") or not upc:
        return False
    digits = [int(d) for d in upc.zfill(14)]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits[:13]))
    return (10 - total % 10) % 10 == digits[13]


def catalog_text_errors(obj, fields=("name", "sku", "upc")) -> dict[str, str]:
    """What is wrong with an item's or variant's text fields, by field name (first only)."""
    errors = {}
    for name in fields:
        value = getattr(obj, name, None)
        if not isinstance(value, str):
            continue
        validators = [NO_BIDI_CONTROLS] + ([UPC_FORMAT] if name == "upc" else [])
        for validator in validators:
            try:
                validator(value)
            except ValidationError as error:
                errors[name] = error.messages[0]
                break
    return errors


class Item(CompanyOwned):
    class Type(models.TextChoices):
        INVENTORY = "INVENTORY"
        NON_INVENTORY = "NON_INVENTORY"
        SERVICE = "SERVICE"
        DIGITAL = "DIGITAL"
        UNKNOWN = "UNKNOWN"

    class Status(models.TextChoices):
        DRAFT = "DRAFT"
        ACTIVE = "ACTIVE"
        ARCHIVED = "ARCHIVED"
        UNKNOWN = "UNKNOWN"

    PLATFORM_ID_PREFIX = "item"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")
    sku = models.CharField(max_length=100, blank=True, default="")
    price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency_id = models.CharField(max_length=3, blank=True, default="")
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.INVENTORY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "platform_id"], condition=LIVE, name="item_platform_id_live"
            ),
            models.UniqueConstraint(
                fields=["company", "sku"], condition=LIVE & ~Q(sku=""), name="item_sku_live"
            ),
        ]
        indexes = [models.Index(fields=["company", "rootfi_updated_at", "id"])]

    def __str__(self):
        return self.name

    def clean(self):
        errors = catalog_text_errors(self)
        if not self.sku.strip():
            errors.setdefault("sku", "An item needs a SKU (not blank).")
        if errors:
            raise ValidationError(errors)


class Variant(CompanyOwned):
    PLATFORM_ID_PREFIX = "var"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="variants")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=255, blank=True, default="")
    sku = models.CharField(max_length=100, blank=True, default="")
    price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    upc = models.CharField(max_length=20, blank=True, default="")
    # upc as 14 digits (see gtin14); kept by save() and by bulk writers.
    gtin = models.CharField(max_length=14, blank=True, default="", editable=False, db_index=True)
    attributes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "platform_id"], condition=LIVE, name="variant_platform_id_live"
            ),
            models.UniqueConstraint(
                fields=["company", "sku"], condition=LIVE & ~Q(sku=""), name="variant_sku_live"
            ),
            models.UniqueConstraint(
                fields=["company", "gtin"], condition=LIVE & ~Q(gtin=""), name="variant_gtin_live"
            ),
        ]

    def __str__(self):
        return f"{self.item.name} / {self.name}" if self.name else self.item.name

    def clean(self):
        errors = catalog_text_errors(self)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.gtin = gtin14(self.upc)
        super().save(*args, **kwargs)

    @property
    def size(self) -> str:
        return str(self.attributes.get("size", "")) if isinstance(self.attributes, dict) else ""

    @property
    def width(self) -> str:
        return str(self.attributes.get("width", "")) if isinstance(self.attributes, dict) else ""
