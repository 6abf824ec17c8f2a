import secrets
import string

from django.db import models
from django.utils import timezone

from apps.inventory.models import OutboxEvent
from apps.tenancy.models import Company


class Delivery(OutboxEvent):
    """An outbox event seen as a webhook delivery (the admin's view of the outbox)."""

    class Meta:
        proxy = True
        verbose_name = "delivery"
        verbose_name_plural = "deliveries"
        ordering = ["-id"]

    @property
    def state(self) -> str:
        if self.delivered_at is not None:
            return "skipped" if self.last_error else "delivered"
        if self.attempts == 0:
            return "pending"
        return "retrying"


class DeliveryAttempt(models.Model):
    """One try at posting one event to a company's webhook URL or to a subscription."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered"
        FAILED = "failed"
        SKIPPED = "skipped", "Skipped (no webhook URL)"

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="attempts_made")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(
        "Subscription",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: the company's webhook URL.",
    )
    number = models.PositiveIntegerField(help_text="1 for the first try of this event.")
    url = models.CharField(max_length=500, blank=True, default="")
    outcome = models.CharField(max_length=9, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["event", "number"], name="attempt_event")]

    def __str__(self):
        return f"{self.event_id} #{self.number}: {self.outcome}"


def new_signing_key() -> str:
    # 64 letters and digits, as the signing keys in Zettle's Pusher examples.
    return "".join(secrets.choice(SIGNING_KEY_ALPHABET) for _ in range(64))


SIGNING_KEY_ALPHABET = string.ascii_letters + string.digits

# Zettle Pusher's documented events (pusher-api/api-reference.md, "Supported events") and
# this service's alert events: what `eventNames` may name.
ZETTLE_EVENTS = (
    "PurchaseCreated",
    "OrganizationUpdated",
    "ProductCreated",
    "ProductUpdated",
    "ProductDeleted",
    "InventoryBalanceChanged",
    "InventoryTrackingStarted",
    "InventoryTrackingStopped",
    "ApplicationConnectionRemoved",
    "PersonalAssertionDeleted",
)
ALERT_EVENTS = (
    "InventoryLowStock",
    "InventoryOutOfStock",
    "InventoryLowStockResolved",
    "InventoryOutOfStockResolved",
)
SUPPORTED_EVENTS = frozenset(ZETTLE_EVENTS + ALERT_EVENTS)


class Subscription(models.Model):
    """A client's Pusher subscription: events posted to its `destination`, signed with its
    own `signing_key`. It receives the events recorded after it was created."""

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE"
        FAILING = "FAILING"  # its destination's last answer was not a 2xx; still retried

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(help_text="The client's id for the subscription.")
    transport_name = models.CharField(max_length=16, default="WEBHOOK")
    event_names = models.JSONField(default=list, blank=True, help_text="Empty: every event.")
    destination = models.CharField(max_length=2048)
    contact_email = models.EmailField(max_length=512)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    signing_key = models.CharField(max_length=64, default=new_signing_key, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "uuid"], name="subscription_uuid")
        ]

    def __str__(self):
        return f"{self.uuid} → {self.destination}"

    def wants(self, event) -> bool:
        return event.created_at >= self.created_at and (
            not self.event_names or event.event_name in self.event_names
        )


class SubscriptionDelivery(models.Model):
    """One event for one subscription: the delivery state of that pair, so a failing
    destination holds back only its own subscription's deliveries."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="+")
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        verbose_name_plural = "subscription deliveries"
        ordering = ["event_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event"], name="subscription_delivery_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "event", "id"],
                condition=models.Q(delivered_at__isnull=True),
                name="subscription_delivery_pending",
            )
        ]

    def __str__(self):
        return f"{self.event_id} → {self.subscription_id}"
