from django.db import models

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
    """One try at posting one event to a company's webhook URL."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered"
        FAILED = "failed"
        SKIPPED = "skipped", "Skipped (no webhook URL)"

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="attempts_made")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
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
