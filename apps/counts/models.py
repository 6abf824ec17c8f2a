import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.inventory.models import InventoryRecord
from apps.locations.models import Location
from apps.tenancy.models import ApiKey, Company


class Count(models.Model):
    class Status(models.TextChoices):
        OPEN = "open"
        APPLIED = "applied"
        CANCELLED = "cancelled"

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(max_length=20, editable=False)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # While a blind count is open nobody sees the book figures, so counters count what
    # is on the shelf rather than confirm what the screen says.
    blind = models.BooleanField(default=True)
    # True when the scope was named (SKUs); False: every record with a level at the location.
    scoped = models.BooleanField(default=False)
    zero_uncounted = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField()
    applied_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()
    created_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Filled when applied: the sum of |variance| over the lines, for "large variance" lists.
    variance_units = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-id"]
        permissions = [
            ("apply_count", "Can apply a count to the stock figures"),
            ("cancel_count", "Can cancel a count"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="count_number_per_company"),
        ]
        indexes = [
            models.Index(fields=["company", "status", "-id"], name="count_company_status"),
            models.Index(fields=["company", "-id"], name="count_company_newest"),
            models.Index(
                fields=["company", "location", "-applied_at"],
                condition=Q(status="applied"),
                name="count_last_applied",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def hides_expected(self) -> bool:
        return self.blind and self.is_open


class CountLine(models.Model):
    """One record counted (or to be counted) at the count's location."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    count = models.ForeignKey(Count, on_delete=models.CASCADE, related_name="lines")
    record = models.ForeignKey(InventoryRecord, on_delete=models.PROTECT, related_name="+")
    # The book on-hand when the line joined the count (hidden while a blind count is open).
    expected = models.IntegerField(default=0)
    counted = models.IntegerField(null=True, blank=True)
    counted_at = models.DateTimeField(null=True, blank=True)
    # The id of the record's last ledger row when the count arrived, read under the record's
    # lock: the line is applied as of that row, keeping every later movement.
    position = models.BigIntegerField(null=True, blank=True)
    # Found outside the count's scope (stock where the books had none).
    added = models.BooleanField(default=False)
    # Filled when the count is applied.
    expected_at_count = models.IntegerField(null=True, blank=True)
    variance = models.IntegerField(null=True, blank=True)
    applied_on_hand = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "count", "record"], name="count_line_one_per_record"
            ),
            models.CheckConstraint(
                condition=Q(counted__isnull=True) | Q(counted__gte=0),
                name="count_line_counted_gte_0",
            ),
        ]
        indexes = [models.Index(fields=["company", "record"], name="count_line_record")]

    def __str__(self):
        return f"{self.count} {self.record}: {self.counted}"
