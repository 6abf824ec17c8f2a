"""Alerts and outbox events, written by the services in the transaction of the change.

Event payloads follow Zettle's Pusher API (InventoryBalanceChanged and friends) so a
webhook consumer written for Zettle reads them unchanged."""

import uuid
from datetime import UTC

from django.contrib.auth.base_user import AbstractBaseUser

from apps.bulk import insert_rows
from apps.tenancy.models import ApiKey

from ..models import NEEDS_REORDER, InventoryRecord, OutboxEvent, StockAlert

ALERT_OPENED = {"low_stock": "InventoryLowStock", "out_of_stock": "InventoryOutOfStock"}
ALERT_CLOSED = {
    "low_stock": "InventoryLowStockResolved",
    "out_of_stock": "InventoryOutOfStockResolved",
}
BALANCE_CHANGED = "InventoryBalanceChanged"
TRACKING_STARTED = "InventoryTrackingStarted"
TRACKING_STOPPED = "InventoryTrackingStopped"
BALANCES_PER_EVENT = 500


# Who changed something, in Zettle's `updated`/`created`/`changeInformation` objects: `uuid`
# names the user, `clientUuid` the client that acted. Ours are stable UUIDs derived from the
# actor (a staff user or an API key) and from this service.
CLIENT_UUID = str(uuid.uuid5(uuid.NAMESPACE_URL, "inventory-service"))


def _iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def zettle_time(moment) -> str:
    """Zettle's payload timestamps: `2021-04-19T13:18:11.966+0000` (UTC, milliseconds)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}+0000"
    )


def change_information(company, now, actor=None) -> dict:
    if isinstance(actor, ApiKey):
        who, user_type = uuid.uuid5(company.uuid, f"api-key:{actor.pk}"), "API_KEY"
    elif isinstance(actor, AbstractBaseUser) and actor.pk:
        who, user_type = uuid.uuid5(company.uuid, f"user:{actor.pk}"), "USER"
    else:
        who, user_type = company.uuid, "SYSTEM"
    return {
        "uuid": str(who),
        "timestamp": zettle_time(now),
        "userType": user_type,
        "clientUuid": CLIENT_UUID,
    }


def _record_payload(company, record: InventoryRecord, now) -> dict:
    return {
        "organizationUuid": str(company.uuid),
        "productUuid": str(record.item.uuid),
        "variantUuid": str(record.variant.uuid),
        "sku": record.sku,
        "quantity": record.quantity,
        "reservedQuantity": record.reserved_quantity,
        "availableQuantity": record.available_quantity,
        "reorderLevel": record.reorder_level,
        "reorderQuantity": record.reorder_quantity,
        "status": record.status,
        "timestamp": _iso(now),
    }


def sync_alerts(*, company, records: dict[int, InventoryRecord], status_before: dict, now):
    """Open an alert when a record enters low or out of stock, close it when it leaves;
    one open alert per record and kind (the database holds that too)."""
    entering, leaving = [], []
    for rid, record in records.items():
        before, after = status_before.get(rid), record.status
        if before == after:
            continue
        if before in NEEDS_REORDER:
            leaving.append((record, before))
        if after in NEEDS_REORDER:
            entering.append((record, after))
    events = []
    if leaving:
        # Only alerts that are open are closed and reported: a record born empty left
        # out-of-stock without ever having had an alert.
        open_alerts = []
        ids = sorted({record.pk for record, _ in leaving})
        for start in range(0, len(ids), 2000):
            open_alerts += StockAlert.objects.filter(
                company=company, record_id__in=ids[start : start + 2000], closed_at__isnull=True
            ).values_list("id", "record_id", "kind")
        leaving_keys = {(record.pk, kind) for record, kind in leaving}
        closing = [
            (aid, rid, kind) for aid, rid, kind in open_alerts if (rid, kind) in leaving_keys
        ]
        closing_ids = [aid for aid, _, _ in closing]
        for start in range(0, len(closing_ids), 2000):
            StockAlert.objects.filter(id__in=closing_ids[start : start + 2000]).update(
                closed_at=now
            )
        events += [
            OutboxEvent(
                company=company,
                event_name=ALERT_CLOSED[kind],
                payload=_record_payload(company, records[rid], now),
                created_at=now,
            )
            for _, rid, kind in closing
        ]
    if entering:
        StockAlert.objects.bulk_create(
            [
                StockAlert(
                    company=company,
                    record=record,
                    kind=kind,
                    quantity_at_open=record.quantity,
                    reorder_level_at_open=record.reorder_level,
                    opened_at=now,
                )
                for record, kind in entering
            ],
            batch_size=1000,
        )
        events += [
            OutboxEvent(
                company=company,
                event_name=ALERT_OPENED[kind],
                payload=_record_payload(company, record, now),
                created_at=now,
            )
            for record, kind in entering
        ]
    if events:
        insert_rows(OutboxEvent, events)


def record_balance_changes(
    *, company, records, locations, balances: dict, external_id, now, actor=None
):
    """One InventoryBalanceChanged event per request, as Zettle sends one per update, shaped
    as iZettle/api-documentation's pusher-api/concept/event-payloads.md shows it."""
    if not balances:
        return

    organization = str(company.uuid)
    location_uuids = {lid: str(loc.uuid) for lid, loc in locations.items()}
    keys = sorted(balances)
    identity = {}
    for rid, lid in keys:
        record = records[rid]
        identity[(rid, lid)] = {
            "organizationUuid": organization,
            "locationUuid": location_uuids[lid],
            "productUuid": str(record.item.uuid),
            "variantUuid": str(record.variant.uuid),
        }

    created = zettle_time(now)

    def balance(rid, lid, units, **when):
        # Zettle's InventoryBalanceChanged payload writes balances as strings; each entry
        # of balanceAfter says when it was created.
        return {**identity[(rid, lid)], **when, "balance": str(units)}

    events = []
    # A batch (an import) is split so no single webhook body grows without bound.
    for start in range(0, len(keys), BALANCES_PER_EVENT):
        chunk = keys[start : start + BALANCES_PER_EVENT]
        payload = {
            "organizationUuid": str(company.uuid),
            "updated": change_information(company, now, actor),
            "balanceBefore": [balance(rid, lid, balances[(rid, lid)][0]) for rid, lid in chunk],
            "balanceAfter": [
                balance(rid, lid, balances[(rid, lid)][1], created=created) for rid, lid in chunk
            ],
            "externalUuid": str(external_id) if external_id else None,
        }
        events.append(
            OutboxEvent(
                company=company, event_name=BALANCE_CHANGED, payload=payload, created_at=now
            )
        )
    insert_rows(OutboxEvent, events)


def record_tracking_changes(*, company, items, started: bool, now, actor=None):
    # Zettle's InventoryTrackingStarted says who and when under `created`, ...Stopped under
    # `changeInformation` (event-payloads.md).
    when = {
        ("created" if started else "changeInformation"): change_information(company, now, actor)
    }
    OutboxEvent.objects.bulk_create(
        [
            OutboxEvent(
                company=company,
                event_name=TRACKING_STARTED if started else TRACKING_STOPPED,
                payload={
                    "organizationUuid": str(company.uuid),
                    "productUuid": str(item.uuid),
                    **when,
                },
                created_at=now,
            )
            for item in items
        ],
        batch_size=1000,
    )
