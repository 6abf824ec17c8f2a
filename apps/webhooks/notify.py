"""Optional email to a company's staff when an alert opens or closes (Django's email
backend: the console unless DJANGO_EMAIL_BACKEND says otherwise)."""

from django.core.mail import send_mail

from apps.inventory.services.events import ALERT_CLOSED, ALERT_OPENED

ALERT_EVENTS = frozenset(ALERT_OPENED.values()) | frozenset(ALERT_CLOSED.values())
TITLES = {
    "InventoryLowStock": "Low stock",
    "InventoryOutOfStock": "Out of stock",
    "InventoryLowStockResolved": "Back above the reorder level",
    "InventoryOutOfStockResolved": "Back in stock",
}


def wants_email(event) -> bool:
    return event.event_name in ALERT_EVENTS


def recipients(company) -> list[str]:
    return sorted(
        set(company.staff.filter(is_active=True).exclude(email="").values_list("email", flat=True))
    )


def email_staff(event, company) -> int:
    """Send one email about an alert event; returns how many emails went out (0 or 1)."""
    to = recipients(company)
    if not to:
        return 0
    payload = event.payload or {}
    sku = payload.get("sku") or payload.get("variantUuid", "")
    title = TITLES.get(event.event_name, event.event_name)
    lines = [
        f"{title}: {sku}",
        "",
        f"Quantity: {payload.get('quantity')}",
        f"Reserved: {payload.get('reservedQuantity')}",
        f"Available: {payload.get('availableQuantity')}",
        f"Reorder level: {payload.get('reorderLevel')}",
        f"Reorder quantity: {payload.get('reorderQuantity')}",
        f"Status: {payload.get('status')}",
        f"At: {payload.get('timestamp')}",
    ]
    return send_mail(
        subject=f"[{company.name}] {title}: {sku}",
        message="\n".join(lines),
        from_email=None,
        recipient_list=to,
    )
