"""Zettle Pusher's envelope and signature (iZettle/api-documentation, pusher-api).

Zettle posts `{organizationUuid, messageUuid, eventName, messageId, payload, timestamp}`
where `payload` is the event as a JSON *string*, and signs it with `X-iZettle-Signature`:
the hex HMAC-SHA256, keyed with the subscription's signing key, of
`timestamp + "." + payload`. A consumer written for Zettle verifies ours unchanged. The
signing key is the subscription's `signingKey`, or `Company.webhook_secret` for the company's
operator-set webhook."""

import hashlib
import hmac
import json
import uuid
from datetime import UTC

SIGNATURE_HEADER = "X-iZettle-Signature"
# UUID v1 counts 100 ns ticks from the Gregorian calendar's start (RFC 9562, 5.1).
_GREGORIAN_OFFSET = 0x01B21DD213814000


def iso(moment) -> str:
    """The envelope's timestamp as event-payloads.md writes it: `2021-04-19T13:17:56.585Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


def message_uuid(moment, message_id: uuid.UUID) -> uuid.UUID:
    """Zettle's `messageUuid`: a UUID v1 of the event's time, carrying the clock sequence and
    node of `messageId` (as the docs' examples do), so it is stable across retries."""
    ticks = int(moment.timestamp() * 10_000_000) + _GREGORIAN_OFFSET
    return uuid.UUID(
        fields=(
            ticks & 0xFFFFFFFF,
            (ticks >> 32) & 0xFFFF,
            ((ticks >> 48) & 0x0FFF) | 0x1000,
            message_id.clock_seq_hi_variant,
            message_id.clock_seq_low,
            message_id.node,
        )
    )


def sign(secret: str, timestamp: str, payload: str) -> str:
    message = f"{timestamp}.{payload}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, payload: str, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, payload), signature or "")


def envelope(event, company, signing_key: str | None = None) -> tuple[bytes, dict]:
    """The body to post and its headers. The same event always gives the same body, so a
    retried message carries the same messageUuid and messageId for the consumer to
    deduplicate. `messageId` is the outbox event's unique id."""
    payload = json.dumps(event.payload, separators=(",", ":"), ensure_ascii=False)
    timestamp = iso(event.created_at)
    body = {
        "organizationUuid": str(company.uuid),
        "messageUuid": str(message_uuid(event.created_at, event.message_uuid)),
        "eventName": event.event_name,
        "messageId": str(event.message_uuid),
        "payload": payload,
        "timestamp": timestamp,
    }
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(signing_key or company.webhook_secret, timestamp, payload),
        "User-Agent": "inventory-service-webhooks/1",
    }
    return json.dumps(body, ensure_ascii=False).encode(), headers
