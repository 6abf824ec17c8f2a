import uuid

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Greatest

from apps.catalog.models import Item, Variant
from apps.locations.models import Location
from apps.tenancy.models import ApiKey, Company, CompanyOwned, LiveQuerySet

LIVE = Q(rootfi_deleted_at__isnull=True)

# Every stock figure (on hand, quantity, reserved, reorder level and quantity) is a 32-bit
# integer column on PostgreSQL: the one bound every door, the import and the admin check.
MAX_UNITS = 2**31 - 1


class Status(models.TextChoices):
    IN_STOCK = "in_stock"
    LOW_STOCK = "low_stock"
    OUT_OF_STOCK = "out_of_stock"
    DISCONTINUED = "discontinued"
    UNKNOWN = "unknown"


# "Needs reorder" has one meaning everywhere: admin filter, reports, alerts.
NEEDS_REORDER = (Status.LOW_STOCK, Status.OUT_OF_STOCK)


class Door(models.TextChoices):
    ADMIN = "admin", "Admin"
    ROOTFI = "rootfi", "RootFi"
    ZETTLE = "zettle", "Zettle"
    STOREFEED = "storefeed", "Store feed"
    NATIVE = "native", "Native API"
    COMMAND = "command", "Command"


class Reason(models.TextChoices):
    RECEIPT = "receipt"
    SALE = "sale"
    REFUND = "refund"
    TRANSFER = "transfer"
    TRANSFER_OUT = "transfer_out", "Transfer out"
    TRANSFER_IN = "transfer_in", "Transfer in"
    LOST_IN_TRANSIT = "lost_in_transit", "Lost in transit"
    COUNT = "count"
    WRITEOFF = "writeoff", "Write-off"
    SUPPLIER_RETURN = "supplier_return", "Supplier return"
    RESERVE = "reserve"
    RELEASE = "release"
    FULFIL = "fulfil"
    IMPORT = "import"


class InventoryRecordQuerySet(LiveQuerySet):
    def needing_reorder(self):
        """Records that need reorder: the one rule of the admin filter, the reorder report,
        `low_stock_report` and the dashboard. Low or out of stock, less what is on order: a
        record whose available plus incoming (open purchase orders, annotated `incoming`)
        reaches its reorder level (at least 1) drops off."""
        from apps.operations.selectors import incoming_subquery  # what is on order

        return (
            self.filter(status__in=NEEDS_REORDER)
            .annotate(incoming=incoming_subquery())
            .alias(
                covered=F("available_quantity") + F("incoming"),
                needed=Greatest(Coalesce("reorder_level", 0), 1),
            )
            .exclude(covered__gte=F("needed"))
        )


class InventoryRecord(CompanyOwned):
    """The stock of one variant across the company's locations; the row every stock
    change locks. `quantity` is the sum of the record's StockLevels, kept by the service."""

    PLATFORM_ID_PREFIX = "inv"

    objects = InventoryRecordQuerySet.as_manager()

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="inventory_records")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="inventory_records")
    sku = models.CharField(max_length=100, blank=True, default="")
    quantity = models.IntegerField(default=0, editable=False)
    reserved_quantity = models.IntegerField(default=0, editable=False)
    available_quantity = models.GeneratedField(
        expression=F("quantity") - F("reserved_quantity"),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    is_trackable = models.BooleanField(default=True, editable=False)
    is_discontinued = models.BooleanField(default=False, editable=False)
    reorder_level = models.IntegerField(null=True, blank=True, editable=False)
    reorder_quantity = models.IntegerField(null=True, blank=True, editable=False)
    # Zettle's custom low-stock "lowStockAlert" flag.
    low_stock_alert = models.BooleanField(default=False, editable=False)
    status = models.GeneratedField(
        expression=Case(
            When(is_discontinued=True, then=Value(Status.DISCONTINUED.value)),
            When(is_trackable=False, then=Value(Status.UNKNOWN.value)),
            When(quantity=0, then=Value(Status.OUT_OF_STOCK.value)),
            When(
                reorder_level__isnull=False,
                quantity__lt=F("reorder_level"),
                then=Value(Status.LOW_STOCK.value),
            ),
            default=Value(Status.IN_STOCK.value),
            output_field=models.CharField(max_length=12),
        ),
        output_field=models.CharField(max_length=12, choices=Status.choices),
        db_persist=True,
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "variant"], condition=LIVE, name="record_one_per_variant_live"
            ),
            models.UniqueConstraint(
                fields=["company", "platform_id"], condition=LIVE, name="record_platform_id_live"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="record_quantity_gte_0"),
            models.CheckConstraint(
                condition=Q(reserved_quantity__gte=0) & Q(reserved_quantity__lte=F("quantity")),
                name="record_reserved_between_0_and_quantity",
            ),
            models.CheckConstraint(
                condition=Q(reorder_level__isnull=True) | Q(reorder_level__gte=0),
                name="record_reorder_level_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(reorder_quantity__isnull=True) | Q(reorder_quantity__gte=0),
                name="record_reorder_quantity_gte_0",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "status"], name="record_company_status"),
            models.Index(fields=["company", "available_quantity"], name="record_company_available"),
            models.Index(fields=["company", "rootfi_updated_at", "id"], name="record_updated"),
            models.Index(fields=["company", "rootfi_created_at", "id"], name="record_created"),
            models.Index(fields=["company", "sku"], name="record_company_sku"),
        ]

    def __str__(self):
        return self.sku or str(self.variant)

    @property
    def suggested_reorder_quantity(self) -> int:
        """`reorder_quantity`, or enough to reach twice the reorder level; less what is
        already incoming (open purchase orders), at least 0."""
        wanted = self.reorder_quantity or 2 * (self.reorder_level or 0) - self.quantity
        incoming = getattr(self, "incoming", None)
        if incoming is None:
            from apps.operations.selectors import incoming_of

            incoming = incoming_of(self)
        return max(wanted - incoming, 0)


class StockLevel(models.Model):
    """On-hand units of one record at one physical location."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(InventoryRecord, on_delete=models.CASCADE, related_name="levels")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="levels")
    on_hand = models.IntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["location_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "record", "location"], name="level_one_per_record_location"
            ),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="level_on_hand_gte_0"),
        ]
        indexes = [
            models.Index(fields=["company", "location", "record"], name="level_location"),
            # Zettle's `GET /inventory?since=` and `latest`: what changed at a store lately.
            models.Index(fields=["company", "location", "updated_at"], name="level_changed"),
        ]

    def __str__(self):
        return f"{self.record} @ {self.location}: {self.on_hand}"


class StockMovement(models.Model):
    """One row of the append-only ledger: every change of on-hand or reserved.

    The database refuses UPDATE (and, on PostgreSQL, DELETE) of these rows."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(InventoryRecord, on_delete=models.PROTECT, related_name="movements")
    from_location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quantity = models.IntegerField(help_text="Units moved from `from_location` to `to_location`.")
    reserved_change = models.IntegerField(default=0)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    door = models.CharField(max_length=10, choices=Door.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    external_id = models.CharField(max_length=100, blank=True, default="")
    # The operation the row belongs to: a purchase order, transfer or count number
    # (PO-00001, TR-00001, CC-00001); empty for a lone movement.
    reference = models.CharField(max_length=40, blank=True, default="")
    note = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(db_index=True)
    # Balances after this movement.
    from_on_hand_after = models.IntegerField(null=True, blank=True)
    to_on_hand_after = models.IntegerField(null=True, blank=True)
    quantity_after = models.IntegerField()
    reserved_after = models.IntegerField()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="movement_quantity_gte_0"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0) | ~Q(reserved_change=0),
                name="movement_changes_something",
            ),
        ]
        indexes = [
            models.Index(fields=["record", "-id"], name="movement_record"),
            models.Index(fields=["company", "-id"], name="movement_company"),
            models.Index(fields=["company", "reason", "-id"], name="movement_reason"),
            models.Index(fields=["company", "external_id"], name="movement_external_id"),
            models.Index(
                fields=["company", "reference"],
                condition=~Q(reference=""),
                name="movement_reference",
            ),
        ]

    def __str__(self):
        return f"{self.reason} {self.quantity} of {self.record_id}"

    @property
    def actor(self):
        return self.actor_user or self.actor_api_key


class SettingChange(models.Model):
    """The history of a record's settings (reorder level and quantity, tracking,
    discontinued, low-stock alert): who changed which, when, from what to what. Written by
    the engine in the transaction of the change; never updated."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(
        InventoryRecord, on_delete=models.CASCADE, related_name="setting_changes"
    )
    field = models.CharField(max_length=20)
    before = models.CharField(max_length=20, blank=True, default="")
    after = models.CharField(max_length=20, blank=True, default="")
    door = models.CharField(max_length=10, choices=Door.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["record", "-id"], name="setting_change_record")]

    def __str__(self):
        return f"{self.field}: {self.before} -> {self.after}"

    @property
    def actor(self):
        return self.actor_user or self.actor_api_key


class StockAlert(models.Model):
    class Kind(models.TextChoices):
        LOW_STOCK = Status.LOW_STOCK.value, "Low stock"
        OUT_OF_STOCK = Status.OUT_OF_STOCK.value, "Out of stock"

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(InventoryRecord, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    quantity_at_open = models.IntegerField()
    reorder_level_at_open = models.IntegerField(null=True, blank=True)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "record", "kind"],
                condition=Q(closed_at__isnull=True),
                name="alert_one_open_per_record_kind",
            )
        ]
        indexes = [
            models.Index(
                fields=["company", "record"],
                condition=Q(closed_at__isnull=True),
                name="alert_open",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.record}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key, stored in the same transaction as the change it made."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    door = models.CharField(max_length=10, choices=Door.choices)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.BinaryField(null=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "door", "key"], name="idempotency_key_unique"
            )
        ]

    def __str__(self):
        return f"{self.door}:{self.key}"


class OutboxEvent(models.Model):
    """An event to deliver (webhooks), written in the transaction of the change it reports."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    message_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_name = models.CharField(max_length=64, db_index=True)
    payload = models.JSONField()
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(delivered_at__isnull=True),
                name="outbox_pending",
            )
        ]

    def __str__(self):
        return f"{self.event_name} #{self.pk}"
