"""Idempotency-Key, for every door.

The key is stored per company, door and key with a hash of the canonical request, in the
same transaction as the change it guards. A concurrent duplicate blocks on the unique index
until the first commits, then replays its answer; a failed request rolls its key back, so the
client may retry. Answers are kept 24 hours and replayed byte for byte."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from .errors import IdempotencyConflict
from .models import IdempotencyKey

RETENTION = timedelta(hours=24)
HEADER = "HTTP_IDEMPOTENCY_KEY"


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    replayed: bool = False


def request_fingerprint(method: str, path: str, data: Any) -> str:
    """A hash of the request's meaning: method, path and canonical JSON of the body."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def render(data: Any) -> bytes:
    return JSONRenderer().render(data) if data is not None else b""


def run_idempotent(
    *,
    company,
    door: str,
    key: str | None,
    fingerprint: str,
    handler: Callable[[], tuple[int, Any]],
) -> Answer:
    """Run `handler` (returning status and data) at most once per key.

    Raises IdempotencyConflict when the key was used for another request. Exceptions from
    the handler roll back the change and the key together."""
    if not key:
        with transaction.atomic():
            status, data = handler()
            if status >= 400:
                transaction.set_rollback(True)
            return Answer(status, render(data))

    with transaction.atomic():
        now = timezone.now()
        slot = _claim(company, door, key, fingerprint, now)
        if slot is None:
            slot = IdempotencyKey.objects.select_for_update().get(
                company=company, door=door, key=key
            )
            if slot.created_at < now - RETENTION:
                slot.request_hash, slot.created_at = fingerprint, now
                slot.status_code, slot.response_body = None, None
            elif slot.request_hash != fingerprint:
                raise IdempotencyConflict(
                    "This Idempotency-Key was used for a different request.",
                    field="Idempotency-Key",
                    key=key,
                ) from None
            else:
                return Answer(slot.status_code, bytes(slot.response_body), replayed=True)

        status, data = handler()
        body = render(data)
        if status >= 400:
            transaction.set_rollback(True)
            return Answer(status, body)
        slot.status_code, slot.response_body = status, body
        slot.save()
        return Answer(status, body)


def _claim(company, door, key, fingerprint, now) -> IdempotencyKey | None:
    """The key's new row, or None when the key exists (a concurrent duplicate waits here on
    the unique index until the first commits). One statement, no savepoint."""
    table = IdempotencyKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (company_id, door, key, request_hash, created_at) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (company_id, door, key) DO NOTHING "
            "RETURNING id",
            [
                company.pk,
                door,
                key,
                fingerprint,
                IdempotencyKey._meta.get_field("created_at").get_db_prep_save(now, connection),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return IdempotencyKey(
        pk=row[0], company=company, door=door, key=key, request_hash=fingerprint, created_at=now
    )


def purge_expired() -> int:
    """Delete keys past RETENTION with their stored answers (`purge_idempotency_keys`, run
    daily). A key past RETENTION is already treated as new by `run_idempotent`, so deleting
    it changes no answer; it only stops the table from growing."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - RETENTION).delete()
    return deleted
