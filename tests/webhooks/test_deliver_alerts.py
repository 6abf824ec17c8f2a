import hashlib
import hmac
import json
import re
import socket
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management.base import CommandError
from django.utils import timezone

from apps.inventory import services
from apps.inventory.models import Door, OutboxEvent
from apps.webhooks.models import DeliveryAttempt
from apps.webhooks.signing import verify
from tests import factories
from tests.commands.helpers import run

from .helpers import Endpoint


@pytest.fixture(autouse=True)
def local_destinations(settings):
    # The endpoints here listen on 127.0.0.1, which the guard refuses unless told otherwise
    # (test_company_webhook_guard.py tests the guard on the company's URL).
    settings.WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS = True


def low_stock_event(company, sku="BOOT"):
    """Sell a record into low stock: a balance change and an InventoryLowStock event."""
    record = factories.record(company, sku=sku, on_hand=10, reorder_level=5)
    OutboxEvent.objects.filter(company=company).update(delivered_at=timezone.now())
    services.sell(
        company=company,
        record=record,
        location=factories.default_store(company),
        quantity=7,
        door=Door.ZETTLE,
    )
    return record


def pending(company):
    return OutboxEvent.objects.filter(company=company, delivered_at__isnull=True).order_by("id")


def expected_signature(secret, message):
    text = f"{message['timestamp']}.{message['payload']}".encode()
    return hmac.new(secret.encode(), text, hashlib.sha256).hexdigest()


def test_retries_with_backoff_until_the_endpoint_answers_and_signs_every_try(company):
    with Endpoint([500, 503, 200]) as endpoint:
        company.webhook_url = endpoint.url
        company.save()
        low_stock_event(company)
        event = pending(company).get(event_name="InventoryLowStock")
        OutboxEvent.objects.filter(company=company).exclude(pk=event.pk).update(
            delivered_at=timezone.now()
        )

        before = timezone.now()
        out, _ = run("deliver_alerts", once=True)
        assert "0 delivered, 1 failed" in out
        event.refresh_from_db()
        assert (event.attempts, event.delivered_at) == (1, None)
        assert "HTTP 500" in event.last_error
        assert before + timedelta(seconds=29) < event.next_attempt_at
        assert event.next_attempt_at < timezone.now() + timedelta(seconds=31)

        run("deliver_alerts", once=True)  # not due yet: nothing is sent
        assert len(endpoint.requests) == 1

        OutboxEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())
        started = timezone.now()
        run("deliver_alerts", once=True)
        event.refresh_from_db()
        assert event.attempts == 2
        assert started + timedelta(seconds=59) < event.next_attempt_at  # doubled

        OutboxEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())
        out, _ = run("deliver_alerts", once=True)
        assert "1 delivered" in out

    event.refresh_from_db()
    assert event.delivered_at is not None
    assert (event.attempts, event.last_error) == (3, "")
    attempts = list(DeliveryAttempt.objects.filter(event=event).order_by("number"))
    assert [(a.number, a.outcome, a.status_code) for a in attempts] == [
        (1, "failed", 500),
        (2, "failed", 503),
        (3, "delivered", 200),
    ]
    assert all(a.url == endpoint.url for a in attempts)

    assert len(endpoint.requests) == 3
    bodies = {r["body"] for r in endpoint.requests}
    assert len(bodies) == 1  # a retry is the same message, for the consumer to deduplicate
    for request in endpoint.requests:
        message = json.loads(request["body"])
        signature = request["headers"]["X-iZettle-Signature"]
        assert signature == expected_signature(company.webhook_secret, message)
        assert verify(company.webhook_secret, message["timestamp"], message["payload"], signature)
        assert not verify("another secret", message["timestamp"], message["payload"], signature)
    message = json.loads(endpoint.requests[0]["body"])
    assert set(message) == {
        "organizationUuid",
        "messageUuid",
        "eventName",
        "messageId",
        "payload",
        "timestamp",
    }
    assert message["eventName"] == "InventoryLowStock"
    assert message["organizationUuid"] == str(company.uuid)
    # messageId is the message's unique id; messageUuid a UUID v1 of its time (Zettle's).
    assert message["messageId"] == str(event.message_uuid)
    assert message["messageUuid"] != message["messageId"]
    assert uuid.UUID(message["messageUuid"]).version == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", message["timestamp"])
    payload = json.loads(message["payload"])  # a JSON string, as Zettle sends it
    assert (payload["sku"], payload["quantity"], payload["status"]) == ("BOOT", 3, "low_stock")


def test_a_failing_endpoint_does_not_hold_up_another_company(company, other_company):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{closed.getsockname()[1]}/nobody-listens"
    with Endpoint([200]) as endpoint:
        company.webhook_url = dead_url
        company.save()
        other_company.webhook_url = endpoint.url
        other_company.save()
        low_stock_event(company, sku="DEAD-1")
        low_stock_event(other_company, sku="LIVE-1")
        first_dead = pending(company).first()

        out, _ = run("deliver_alerts", once=True, timeout=2)

    assert pending(other_company).count() == 0
    names = sorted(m["eventName"] for m in endpoint.messages())
    assert names == ["InventoryBalanceChanged", "InventoryLowStock"]
    assert "2 delivered, 1 failed (will retry)" in out
    assert "1 held behind a failure" in out
    first_dead.refresh_from_db()
    assert first_dead.attempts == 1
    assert "ConnectionError" in first_dead.last_error
    held = pending(company).last()
    assert held.attempts == 0
    assert held.next_attempt_at == first_dead.next_attempt_at


def test_events_of_a_company_without_webhook_url_are_skipped(company):
    low_stock_event(company)
    out, _ = run("deliver_alerts", once=True)
    assert "2 skipped (no webhook URL)" in out
    assert pending(company).count() == 0
    attempt = DeliveryAttempt.objects.filter(company=company).first()
    assert attempt.outcome == "skipped"
    assert "has no webhook URL" in attempt.error


def test_alert_events_are_emailed_to_the_company_staff(company, django_user_model):
    staff = django_user_model.objects.create_user("ops", email="ops@example.com")
    django_user_model.objects.create_user("outsider", email="outsider@example.com")
    company.staff.add(staff)
    low_stock_event(company)
    out, _ = run("deliver_alerts", once=True, email=True)
    assert "1 emailed" in out
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.com"]
    assert "Low stock: BOOT" in mail.outbox[0].subject
    assert "Quantity: 3" in mail.outbox[0].body

    run("deliver_alerts", once=True, email=True)
    assert len(mail.outbox) == 1  # once per event


def test_only_the_named_company_is_delivered(company, other_company):
    low_stock_event(company)
    low_stock_event(other_company)
    run("deliver_alerts", once=True, company=other_company.name)
    assert pending(other_company).count() == 0
    assert pending(company).count() == 2


def test_bad_arguments_and_unknown_company(company):
    with pytest.raises(CommandError, match="Unknown company 'Nope'"):
        run("deliver_alerts", once=True, company="Nope")
    with pytest.raises(
        CommandError, match="argument --interval: '-1' is not a number of at least 0"
    ):
        run("deliver_alerts", "--once", "--interval", "-1")
    with pytest.raises(CommandError, match="at least 1"):
        run("deliver_alerts", once=True, max_attempts=0)
    with pytest.raises(CommandError, match="--lease must be more than --timeout"):
        run("deliver_alerts", once=True, lease=5, timeout=10)


def test_staff_see_deliveries_and_their_attempts_in_the_admin(company, client, django_user_model):
    low_stock_event(company)
    run("deliver_alerts", once=True)
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    event = OutboxEvent.objects.filter(company=company, event_name="InventoryLowStock").get()

    listing = client.get("/admin/webhooks/delivery/")
    assert listing.status_code == 200
    assert b"InventoryLowStock" in listing.content
    page = client.get(f"/admin/webhooks/delivery/{event.pk}/change/")
    assert page.status_code == 200
    assert b"has no webhook URL" in page.content
    attempts = client.get("/admin/webhooks/deliveryattempt/")
    assert attempts.status_code == 200


def test_balance_changes_carry_balances_as_strings_as_zettle_sends_them(company):
    with Endpoint([200]) as endpoint:
        company.webhook_url = endpoint.url
        company.save()
        low_stock_event(company)
        run("deliver_alerts", once=True)

    [message] = [m for m in endpoint.messages() if m["eventName"] == "InventoryBalanceChanged"]
    payload = json.loads(message["payload"])
    assert [entry["balance"] for entry in payload["balanceBefore"]] == ["10"]
    assert [entry["balance"] for entry in payload["balanceAfter"]] == ["3"]
    assert set(payload["balanceAfter"][0]) >= {
        "organizationUuid",
        "locationUuid",
        "productUuid",
        "variantUuid",
        "balance",
    }


def test_events_due_again_during_a_pass_are_not_stranded_by_their_lease(company):
    with Endpoint([500, 200]) as endpoint:
        company.webhook_url = endpoint.url
        company.save()
        for n in range(3):
            low_stock_event(company, sku=f"BOOT-{n}")
        OutboxEvent.objects.filter(company=company).update(delivered_at=None)
        assert pending(company).count() == 9

        # With no backoff the failed event and those held behind it are due again at once,
        # while the pass is still walking the outbox in batches of two.
        out, _ = run("deliver_alerts", once=True, backoff=0, batch=2)
        assert "0 delivered, 1 failed" in out
        assert "8 held" in out
        out, _ = run("deliver_alerts", once=True, backoff=0, batch=2)

    assert "9 delivered" in out
    assert not pending(company).exists()
    assert len(endpoint.requests) == 10
