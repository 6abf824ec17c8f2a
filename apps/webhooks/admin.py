from django.contrib import admin, messages
from django.utils import timezone

from apps.inventory.models import OutboxEvent
from apps.tenancy.admin_base import CompanyScopedAdmin

from .models import Delivery, DeliveryAttempt, Subscription, SubscriptionDelivery


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fk_name = "event"
    extra = 0
    can_delete = False
    ordering = ["started_at", "id"]
    fields = (
        "number",
        "subscription",
        "started_at",
        "outcome",
        "status_code",
        "duration_ms",
        "url",
        "error",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(CompanyScopedAdmin):
    """Each outbox event as a webhook delivery, with every attempt made to send it."""

    list_display = (
        "id",
        "company",
        "event_name",
        "state",
        "attempts",
        "created_at",
        "next_attempt_at",
        "delivered_at",
        "short_error",
    )
    list_filter = ("event_name",)
    list_select_related = ("company",)
    search_fields = ("=message_uuid", "event_name")
    date_hierarchy = None
    readonly_fields = (
        "company",
        "message_uuid",
        "event_name",
        "payload",
        "created_at",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "last_error",
    )
    fields = readonly_fields
    inlines = [AttemptInline]
    actions = ["retry_now"]

    @admin.display(description="state")
    def state(self, obj):
        return obj.state

    @admin.display(description="last error")
    def short_error(self, obj):
        return (obj.last_error or "")[:80]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The page is read-only; "change" is kept for the retry action's permission.
        return obj is None and super().has_change_permission(request, obj)

    @admin.action(description="Retry now (also events that gave up or were skipped)")
    def retry_now(self, request, queryset):
        now = timezone.now()
        count = OutboxEvent.objects.filter(pk__in=queryset.values("pk")).update(
            attempts=0, next_attempt_at=now, delivered_at=None, last_error=""
        )
        # Subscriptions that have not received these events yet try again at once too.
        SubscriptionDelivery.objects.filter(
            event__in=queryset.values("pk"), delivered_at__isnull=True
        ).update(attempts=0, next_attempt_at=now, last_error="")
        self.message_user(
            request,
            f"{count} event(s) will be sent by the next deliver_alerts pass.",
            messages.SUCCESS,
        )


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(CompanyScopedAdmin):
    list_display = (
        "started_at",
        "company",
        "event",
        "number",
        "outcome",
        "status_code",
        "duration_ms",
        "error",
    )
    list_filter = ("outcome",)
    list_select_related = ("company", "event")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SubscriptionDeliveryInline(admin.TabularInline):
    model = SubscriptionDelivery
    extra = 0
    can_delete = False
    ordering = ["-event_id"]
    fields = ("event", "attempts", "next_attempt_at", "delivered_at", "last_error")
    readonly_fields = fields
    max_num = 0

    def get_queryset(self, request):
        # The latest undelivered first; a busy subscription's whole history would not fit.
        return super().get_queryset(request).filter(delivered_at__isnull=True)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(CompanyScopedAdmin):
    """Pusher subscriptions the clients made (POST /organizations/self/subscriptions)."""

    list_display = ("uuid", "company", "destination", "event_list", "status", "updated_at")
    list_filter = ("status",)
    list_select_related = ("company",)
    search_fields = ("=uuid", "destination", "contact_email")
    fields = (
        "company",
        "uuid",
        "transport_name",
        "event_names",
        "destination",
        "contact_email",
        "status",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [SubscriptionDeliveryInline]

    @admin.display(description="events")
    def event_list(self, obj):
        return ", ".join(obj.event_names) or "every event"

    def has_add_permission(self, request):
        return False  # clients subscribe themselves through the Zettle door

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)
