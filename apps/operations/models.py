"""Suppliers, purchase orders and transfers. Every table carries `company`, and every
unique constraint includes it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from apps.catalog.models import Variant
from apps.inventory.models import InventoryRecord
from apps.locations.models import Location
from apps.tenancy.models import ApiKey, Company


class NumberSequence(models.Model):
    """The last number given per company and prefix (PO, TR, CC): a row locked while the
    next number is taken, so concurrent creations never share one."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField(max_length=4)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "prefix"], name="sequence_one_per_prefix")
        ]

    def __str__(self):
        return f"{self.prefix} #{self.last}"


class Supplier(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=50, blank=True, default="")
    contact = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "company", name="supplier_name_per_company"),
            models.UniqueConstraint(
                fields=["company", "code"], condition=~Q(code=""), name="supplier_code_per_company"
            ),
        ]

    def __str__(self):
        return self.name


class Operation(models.Model):
    """What purchase orders and transfers share: a company, a UUID, a human number, a
    status, the client's reference and who created it."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(max_length=20, editable=False)
    reference = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_by_api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.number


class PurchaseOrder(Operation):
    class Status(models.TextChoices):
        DRAFT = "draft"
        OPEN = "open"
        PARTIALLY_RECEIVED = "partially_received"
        RECEIVED = "received"
        CLOSED = "closed"
        CANCELLED = "cancelled"

    # Orders whose outstanding units are expected: "incoming".
    EXPECTING = (Status.OPEN, Status.PARTIALLY_RECEIVED)
    RECEIVABLE = (Status.DRAFT, Status.OPEN, Status.PARTIALLY_RECEIVED)
    PREFIX = "PO"

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="orders")
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where the order will be received.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    expected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "purchase order"
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="po_number_per_company")
        ]
        indexes = [models.Index(fields=["company", "status", "-id"], name="po_company_status")]
        permissions = [
            ("receive_purchaseorder", "Can receive purchase orders"),
            ("cancel_purchaseorder", "Can cancel or close purchase orders"),
        ]


class PurchaseOrderLine(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    record = models.ForeignKey(InventoryRecord, on_delete=models.PROTECT, related_name="+")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=100, blank=True, default="")
    ordered = models.PositiveIntegerField()
    received = models.PositiveIntegerField(default=0)
    unit_cost = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "order", "record"], name="po_line_one_per_record"
            ),
            models.CheckConstraint(condition=Q(ordered__gte=1), name="po_line_ordered_gte_1"),
        ]
        indexes = [models.Index(fields=["company", "record"], name="po_line_record")]

    def __str__(self):
        return f"{self.sku} x {self.ordered}"

    @property
    def outstanding(self) -> int:
        return max(self.ordered - self.received, 0)


class Transfer(Operation):
    class Status(models.TextChoices):
        DRAFT = "draft"
        IN_TRANSIT = "in_transit"
        RECEIVED = "received"
        CLOSED = "closed"
        CANCELLED = "cancelled"

    PREFIX = "TR"

    from_location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    to_location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    shipped_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="tr_number_per_company"),
            models.CheckConstraint(
                condition=~Q(from_location=F("to_location")), name="tr_two_locations"
            ),
        ]
        indexes = [models.Index(fields=["company", "status", "-id"], name="tr_company_status")]
        permissions = [
            ("ship_transfer", "Can ship transfers"),
            ("receive_transfer", "Can receive transfers"),
            ("close_transfer", "Can close transfers (write off what is in transit)"),
            ("cancel_transfer", "Can cancel transfers"),
        ]


class TransferLine(models.Model):
    """`in_transit` = shipped - received - lost - returned (units sent back to the origin
    when an unreceived transfer is cancelled)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="lines")
    record = models.ForeignKey(InventoryRecord, on_delete=models.PROTECT, related_name="+")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=100, blank=True, default="")
    quantity = models.PositiveIntegerField()
    shipped = models.PositiveIntegerField(default=0)
    received = models.PositiveIntegerField(default=0)
    lost = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "transfer", "record"], name="tr_line_one_per_record"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="tr_line_quantity_gte_1"),
            models.CheckConstraint(
                condition=Q(shipped__gte=F("received") + F("lost") + F("returned")),
                name="tr_line_in_transit_gte_0",
            ),
        ]
        indexes = [models.Index(fields=["company", "record"], name="tr_line_record")]

    def __str__(self):
        return f"{self.sku} x {self.quantity}"

    @property
    def in_transit(self) -> int:
        return self.shipped - self.received - self.lost - self.returned
