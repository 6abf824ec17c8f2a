"""deliver_alerts posts each event to every subscription that wants it, signed with that
subscription's signingKey, and to the company's webhook as before; a failing destination
holds back only its own subscription."""

import json
import re
import socket
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.inventory import services
from apps.inventory.models import Door, InventoryRecord, OutboxEvent
from apps.webhooks import subscriptions
from apps.webhooks.delivery import Options, claim, claim_deliveries, renew, run_pass
from apps.webhooks.models import DeliveryAttempt, Subscription, SubscriptionDelivery
from apps.webhooks.signing import verify
from tests import factories
from tests.commands.helpers import run

from .helpers import Endpoint


@pytest.fixture(autouse=True)
def local_destinations(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS = True


def subscribe(company, url, names=()):
    return subscriptions.subscribe(
        company=company,
        uuid=uuid.uuid1(),
        event_names=list(names),
        destination=url,
        contact_email="ops@example.com",
    )


def sell(company, record, units=1):
    services.sell(
        company=company,
        record=record,
        location=factories.default_store(company),
        quantity=units,
        door=Door.ZETTLE,
    )


def dead_url():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{closed.getsockname()[1]}/nobody-listens"


def test_each_subscription_gets_the_events_it_names_recorded_after_it_signed_with_its_key(
    company,
):
    record = factories.record(company, sku="TEE", on_hand=10, reorder_level=3)
    sell(company, record)  # recorded before any subscription: nobody gets it
    with Endpoint([200]) as every, Endpoint([200]) as balances, Endpoint([200]) as hook:
        company.webhook_url = hook.url
        company.save()
        everything = subscribe(company, every.url)
        only_balances = subscribe(company, balances.url, ["InventoryBalanceChanged"])
        sell(company, record, 7)  # 9 -> 2: a balance change and InventoryLowStock

        out, _ = run("deliver_alerts", once=True)

    recorded = list(
        OutboxEvent.objects.filter(company=company).order_by("id").values_list("event_name")
    )
    assert [(m["eventName"],) for m in every.messages()] == recorded[2:]
    assert sorted(name for (name,) in recorded[2:]) == [
        "InventoryBalanceChanged",
        "InventoryLowStock",
    ]
    assert [m["eventName"] for m in balances.messages()] == ["InventoryBalanceChanged"]
    # The company's webhook still gets everything, the receipt and first sale included.
    assert len(hook.messages()) == 4
    for endpoint, subscription in ((every, everything), (balances, only_balances)):
        for request in endpoint.requests:
            message = json.loads(request["body"])
            signature = request["headers"]["X-iZettle-Signature"]
            key = subscription.signing_key
            assert verify(key, message["timestamp"], message["payload"], signature)
            assert not verify(
                company.webhook_secret, message["timestamp"], message["payload"], signature
            )
    payload = json.loads(balances.messages()[0]["payload"])
    [after] = payload["balanceAfter"]
    assert after["balance"] == "2"
    assert after["locationUuid"] == str(factories.default_store(company).uuid)
    assert "7 delivered" in out
    assert not SubscriptionDelivery.objects.filter(delivered_at__isnull=True).exists()


def test_a_failing_destination_holds_back_only_its_own_subscription(company):
    record = factories.record(company, sku="TEE", on_hand=50)
    OutboxEvent.objects.update(delivered_at=timezone.now())
    with Endpoint([200]) as alive, Endpoint([200]) as hook:
        company.webhook_url = hook.url
        company.save()
        broken = subscribe(company, dead_url())
        working = subscribe(company, alive.url)
        for _ in range(3):
            sell(company, record)

        out, _ = run("deliver_alerts", once=True, timeout=2)

    assert len(alive.messages()) == 3
    assert len(hook.messages()) == 3
    mine = SubscriptionDelivery.objects.filter(subscription=broken).order_by("event_id")
    assert [d.attempts for d in mine] == [1, 0, 0]  # the others wait behind the first
    assert mine[0].next_attempt_at == mine[1].next_attempt_at == mine[2].next_attempt_at
    assert "ConnectionError" in mine[0].last_error
    assert not SubscriptionDelivery.objects.filter(
        subscription=working, delivered_at__isnull=True
    ).exists()
    broken.refresh_from_db()
    working.refresh_from_db()
    assert (broken.status, working.status) == ("FAILING", "ACTIVE")
    assert "1 failed (will retry)" in out and "2 held" in out
    assert DeliveryAttempt.objects.filter(subscription=broken, outcome="failed").count() == 1


def test_a_name_resolving_to_a_private_address_is_not_posted_to(company, settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS = False
    record = factories.record(company, sku="TEE", on_hand=5)
    subscription = subscribe(company, "https://hooks.example.com/zettle")
    sell(company, record)

    def resolves_privately(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr("apps.webhooks.destinations.socket.getaddrinfo", resolves_privately)

    class NoPosts:
        def post(self, *args, **kwargs):
            raise AssertionError("posted to a private address")

    result = run_pass(Options(), session=NoPosts())

    delivery = SubscriptionDelivery.objects.get(subscription=subscription)
    assert delivery.delivered_at is None and delivery.attempts == 1
    assert "resolves to 10.0.0.7" in delivery.last_error
    assert result.failed == 1


@pytest.mark.parametrize("value", [True, False])
def test_the_setting_decides_whether_a_private_name_is_posted_to(company, settings, value):
    settings.WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS = True
    record = factories.record(company, sku="TEE", on_hand=5)
    with Endpoint([200]) as endpoint:
        # "localhost" passes only while private destinations are allowed.
        subscription = subscribe(company, endpoint.url.replace("127.0.0.1", "localhost"))
        settings.WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS = value
        sell(company, record)
        run_pass(Options(timeout=2))
    delivered = SubscriptionDelivery.objects.get(subscription=subscription).delivered_at
    assert (delivered is not None) is value
    assert bool(endpoint.requests) is value


def test_once_delivers_everything_due_in_recorded_order(company):
    record = factories.record(company, sku="TEE", on_hand=100)
    with Endpoint([200]) as endpoint:
        subscribe(company, endpoint.url, ["InventoryBalanceChanged"])
        for _ in range(25):
            sell(company, record)
        run("deliver_alerts", once=True, batch=7)
    after = [json.loads(m["payload"])["balanceAfter"][0]["balance"] for m in endpoint.messages()]
    assert after == [str(n) for n in range(99, 74, -1)]


def test_a_deleted_subscription_receives_nothing_more(company):
    record = factories.record(company, sku="TEE", on_hand=10)
    with Endpoint([200]) as endpoint:
        subscription = subscribe(company, endpoint.url)
        sell(company, record)
        subscriptions.unsubscribe(subscription)
        sell(company, record)
        run("deliver_alerts", once=True)
    assert endpoint.requests == []
    assert not SubscriptionDelivery.objects.exists()


def test_a_killed_workers_claim_is_taken_again_when_its_lease_runs_out(company):
    record = factories.record(company, sku="TEE", on_hand=10)
    OutboxEvent.objects.update(delivered_at=timezone.now())
    with Endpoint([200]) as endpoint:
        subscribe(company, endpoint.url)
        sell(company, record)
        options = Options(lease=60)
        # A worker claims both kinds of rows and dies before posting.
        assert len(claim(options)) == 1
        assert len(claim_deliveries(options)) == 1
        assert run_pass(options).handled == 0  # leased: nobody else takes them yet
        past = timezone.now() - timedelta(seconds=1)
        OutboxEvent.objects.update(next_attempt_at=past)
        SubscriptionDelivery.objects.update(next_attempt_at=past)

        result = run_pass(options)

    assert result.delivered == 1 and result.skipped == 1  # subscription; no company webhook
    assert len(endpoint.requests) == 1


def test_a_worker_whose_lease_was_taken_over_does_not_post(company):
    record = factories.record(company, sku="TEE", on_hand=10)
    subscribe(company, "https://hooks.example.com/z")
    sell(company, record)
    options = Options(lease=60)
    claim(options)
    [stalled] = claim_deliveries(options)  # worker A, then A stalls past its lease
    SubscriptionDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    [taken] = claim_deliveries(options)  # worker B takes the row over

    assert renew(SubscriptionDelivery, stalled, options) is False  # A must not post it
    assert renew(SubscriptionDelivery, taken, options) is True


def test_payloads_are_shaped_as_event_payloads_md_shows_them(company):
    item = factories.item(company, variants=[{"sku": "A-1"}])
    services.start_tracking(company=company, item=item)
    services.receive(
        company=company,
        record=InventoryRecord.objects.get(item=item),
        location=factories.default_store(company),
        quantity=5,
        door=Door.ZETTLE,
    )
    services.stop_tracking(company=company, item=item)
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000"
    by_name = {e.event_name: e.payload for e in OutboxEvent.objects.filter(company=company)}

    started = by_name["InventoryTrackingStarted"]
    assert set(started) == {"organizationUuid", "productUuid", "created"}
    stopped = by_name["InventoryTrackingStopped"]
    assert set(stopped) == {"organizationUuid", "productUuid", "changeInformation"}
    changed = by_name["InventoryBalanceChanged"]
    # Sets: PostgreSQL's jsonb keeps an object's keys in an order of its own.
    assert set(changed) == {
        "organizationUuid",
        "updated",
        "balanceBefore",
        "balanceAfter",
        "externalUuid",
    }
    for who in (started["created"], stopped["changeInformation"], changed["updated"]):
        assert set(who) == {"uuid", "timestamp", "userType", "clientUuid"}
        assert re.fullmatch(stamp, who["timestamp"])
    [before], [after] = changed["balanceBefore"], changed["balanceAfter"]
    assert set(before) == {
        "organizationUuid",
        "locationUuid",
        "productUuid",
        "variantUuid",
        "balance",
    }
    assert set(after) == set(before) | {"created"}
    assert re.fullmatch(stamp, after["created"])
    assert (before["balance"], after["balance"]) == ("0", "5")


def test_subscription_rows_are_one_per_event_and_subscription(company):
    record = factories.record(company, sku="TEE", on_hand=10)
    subscription = subscribe(company, "https://hooks.example.com/z")
    sell(company, record)
    options = Options(lease=60)
    claim(options)
    OutboxEvent.objects.update(next_attempt_at=None)
    claim(options)  # claimed again (a lease ran out): no second row
    assert SubscriptionDelivery.objects.filter(subscription=subscription).count() == 1
    assert Subscription.objects.get().status == "ACTIVE"
