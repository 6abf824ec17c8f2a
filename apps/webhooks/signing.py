"""Zettle Pusher's envelope and signature.

Zettle posts `{organizationUuid, messageUuid, eventName, messageId, payload, timestamp}`
where `payload` is the event as a JSON *string*, and signs it with `X-iZettle-Signature`:
the hex HMAC-SHA256, keyed with the subscription's signing key, of
`timestamp + "." + payload` (iZettle/api-documentation, pusher-api). A consumer written
for Zettle verifies ours unchanged; `Company.webhook_secret` is the signing key."""

import hashlib
import hmac
import json

SIGNATURE_HEADER = "X-iZettle-Signature"


def iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def sign(secret: str, timestamp: str, payload: str) -> str:
    message = f"{timestamp}.{payload}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, payload: str, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, payload), signature or "")


def envelope(event, company) -> tuple[bytes, dict]:
    """The body to post and its headers. The same event always gives the same body, so a
    retried message carries the same messageUuid for the consumer to deduplicate."""
    payload = json.dumps(event.payload, separators=(",", ":"), ensure_ascii=False)
    timestamp = iso(event.created_at)
    body = {
        "organizationUuid": str(company.uuid),
        "messageUuid": str(event.message_uuid),
        "eventName": event.event_name,
        "messageId": str(event.message_uuid),
        "payload": payload,
        "timestamp": timestamp,
    }
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(company.webhook_secret, timestamp, payload),
        "User-Agent": "inventory-service-webhooks/1",
    }
    return json.dumps(body, ensure_ascii=False).encode(), headers
