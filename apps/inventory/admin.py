from django.contrib import admin

from .models import (
    IdempotencyKey,
    InventoryRecord,
    OutboxEvent,
    StockAlert,
    StockLevel,
    StockMovement,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InventoryRecord)
class InventoryRecordAdmin(ReadOnlyAdmin):
    list_display = ["sku", "item", "quantity", "reserved_quantity", "available_quantity", "status"]
    list_filter = ["status", "is_trackable", "company"]
    search_fields = ["sku", "item__name", "variant__upc"]
    list_select_related = ["item"]


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyAdmin):
    list_display = ["record", "location", "on_hand"]
    list_select_related = ["record", "location"]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "record",
        "reason",
        "door",
        "quantity",
        "reserved_change",
        "from_location",
        "to_location",
        "quantity_after",
    ]
    list_filter = ["reason", "door"]
    search_fields = ["record__sku", "external_id"]
    list_select_related = ["record", "from_location", "to_location"]
    show_full_result_count = False


@admin.register(StockAlert)
class StockAlertAdmin(ReadOnlyAdmin):
    list_display = ["record", "kind", "opened_at", "closed_at"]
    list_filter = ["kind"]


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdmin):
    list_display = ["event_name", "created_at", "delivered_at", "attempts"]
    list_filter = ["event_name"]


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    list_display = ["key", "door", "company", "status_code", "created_at"]
