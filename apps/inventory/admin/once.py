"""Once per submission: every admin form that moves stock carries a one-time token.

The token is signed (the server made it) and claimed by inserting an IdempotencyKey row
(door `admin`) in the transaction of the stock change. A double click, a resubmitted page
or a second tab sends the same token: its insert waits on the unique index for the first
to commit, then fails, and nothing is written twice. The button is also disabled by
`once.js`, but the rule holds without JavaScript."""

import uuid

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..idempotency import RETENTION
from ..models import Door, IdempotencyKey

FIELD = "once_token"
_SALT = "inventory.admin.once"


class AlreadySubmitted(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def issue() -> str:
    return signing.dumps(uuid.uuid4().hex, salt=_SALT)


def claim(*, company, token: str | None) -> None:
    """Spend `token` for `company`, inside the caller's transaction; AlreadySubmitted if it
    was spent, forged or is older than a day."""
    try:
        value = signing.loads(token or "", salt=_SALT, max_age=RETENTION)
    except signing.BadSignature:
        raise AlreadySubmitted(
            "This form has expired or was not sent whole: nothing was recorded. "
            "Check the figures below and submit again."
        ) from None
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(
                company=company,
                door=Door.ADMIN,
                key=f"form:{value}",
                request_hash="",
                status_code=200,
                created_at=timezone.now(),
            )
    except IntegrityError:
        raise AlreadySubmitted(
            "This form was already submitted: its change was recorded once, not again."
        ) from None
