"""`purge_idempotency_keys`: keys older than 24 hours go with their answers; fresh ones stay
and still replay."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from apps.inventory.models import IdempotencyKey, StockMovement
from tests import factories


def test_old_keys_and_their_answers_are_deleted_and_fresh_ones_still_replay(api, company):
    record = factories.record(company, on_hand=5)
    url = f"/v4/ecommerce/inventories/{record.pk}"
    first = api.patch(url, {"quantity": 8}, format="json", HTTP_IDEMPOTENCY_KEY="old")
    fresh = api.patch(url, {"quantity": 9}, format="json", HTTP_IDEMPOTENCY_KEY="fresh")
    assert (first.status_code, fresh.status_code) == (200, 200)
    IdempotencyKey.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(hours=24, minutes=1)
    )
    IdempotencyKey.objects.filter(key="fresh").update(
        created_at=timezone.now() - timedelta(hours=23, minutes=59)
    )

    out = StringIO()
    call_command("purge_idempotency_keys", stdout=out)

    assert out.getvalue().strip() == "Deleted 1 idempotency keys older than 24 hours."
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]
    ledger = StockMovement.objects.count()
    replay = api.patch(url, {"quantity": 9}, format="json", HTTP_IDEMPOTENCY_KEY="fresh")
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.content == fresh.content
    assert StockMovement.objects.count() == ledger


def test_nothing_to_purge_says_so(db):
    out = StringIO()
    call_command("purge_idempotency_keys", stdout=out)
    assert out.getvalue().strip() == "Deleted 0 idempotency keys older than 24 hours."
