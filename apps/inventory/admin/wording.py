"""How the admin words a ledger row and a settings change, in a shop's words.

A count is stored as a movement of the difference from SUPPLIER or to BIN (the ledger only
moves units between locations), but a stock manager counted a shelf: it reads "Count:
counted 44" at that location, with the difference signed, never "from Supplier". An
import's counts read the same way, as an import."""

from django.utils import timezone
from django.utils.formats import date_format

from ..models import Door, Reason, SettingChange

COUNTED_REASONS = (Reason.COUNT, Reason.IMPORT)
SETTING_LABELS = {
    "reorder_level": "Reorder level",
    "reorder_quantity": "Reorder quantity",
    "is_trackable": "Tracked",
    "is_discontinued": "Discontinued",
    "low_stock_alert": "Low-stock alert",
}


def when(moment) -> str:
    """A moment in the admin's one date format (inventory_site/formats), as lists show it."""
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def door_label(door: str) -> str:
    return Door(door).label if door in Door.values else door


def is_counted(movement) -> bool:
    return movement.reason in COUNTED_REASONS and movement.quantity > 0


def _into_store(movement) -> bool:
    return movement.to_location is not None and movement.to_location.is_physical


def counted_location(movement):
    """The physical location a count row counted."""
    return movement.to_location if _into_store(movement) else movement.from_location


def counted_figure(movement) -> int | None:
    """What was counted: the on-hand at the counted location after the row."""
    return movement.to_on_hand_after if _into_store(movement) else movement.from_on_hand_after


def reason_label(movement) -> str:
    label = movement.get_reason_display()
    if is_counted(movement):
        return f"{label}: counted {counted_figure(movement)}"
    return label


def signed_units(movement) -> str:
    """Units in (+) or out (-) of the company's stores; a store-to-store move is unsigned."""
    if not movement.quantity:
        return ""
    into = _into_store(movement)
    out = movement.from_location is not None and movement.from_location.is_physical
    if into and not out:
        return f"+{movement.quantity}"
    if out and not into:
        return f"-{movement.quantity}"
    return str(movement.quantity)


def source(movement) -> str:
    if is_counted(movement) or movement.from_location is None:
        return ""
    return movement.from_location.name


def destination(movement) -> str:
    if is_counted(movement):
        return counted_location(movement).name
    return movement.to_location.name if movement.to_location else ""


def actor_label(row) -> str:
    actor = row.actor_user or row.actor_api_key
    return str(actor) if actor else door_label(row.door)


def setting_value(field: str, value: str | None) -> str:
    if value in (None, "", "None"):
        return "-"
    if field.startswith("is_") or field == "low_stock_alert":
        return "yes" if value in ("True", "true", "1") else "no"
    return value


def setting_changes(record, limit: int = 50) -> list[dict]:
    """The record's settings history (who, when, before, after), newest first, from the
    `SettingChange` rows the engine writes."""
    rows = (
        SettingChange.objects.filter(record=record)
        .select_related("actor_user", "actor_api_key")
        .order_by("-id")[:limit]
    )
    return [
        {
            "when": when(row.created_at),
            "field": SETTING_LABELS.get(row.field, row.field),
            "before": setting_value(row.field, row.before),
            "after": setting_value(row.field, row.after),
            "by": actor_label(row),
            "door": door_label(row.door),
        }
        for row in rows
    ]
