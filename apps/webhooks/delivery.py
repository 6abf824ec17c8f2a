"""One delivery pass over the outbox: to each company's operator-set webhook URL, and to
every Pusher subscription that wants the event.

Due rows (undelivered, under the attempt limit, `next_attempt_at` empty or past) are claimed
in a short transaction: locked with SKIP LOCKED on PostgreSQL, so two workers never take the
same row, and leased (`next_attempt_at` pushed ahead), so a row whose worker died is taken
again once the lease runs out. Just before posting, a worker renews its lease with a
compare-and-set on the lease it holds: a row another worker took meanwhile (the first one
stalled past its lease) is left to that worker, so no row is posted by two workers at once.

Claiming an outbox event also fans it out into one `SubscriptionDelivery` per subscription
that wants it (fanout.py); those rows are delivered by the second half of the pass. Each
post has a timeout and every try is recorded. A failure schedules the next try with
exponential backoff and holds back the rest of that destination's rows (the company's
webhook, or that one subscription) until then; other destinations go on."""

import time
from dataclasses import dataclass, field
from datetime import timedelta

import requests
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from apps.inventory.models import OutboxEvent

from . import destinations, transport
from .fanout import fan_out
from .models import DeliveryAttempt, Subscription, SubscriptionDelivery
from .notify import email_staff, wants_email
from .signing import envelope

ERROR_EXCERPT = 500
Outcome = DeliveryAttempt.Outcome


@dataclass
class Options:
    batch: int = 100
    timeout: float = 10.0
    backoff: float = 30.0  # seconds before the 2nd try; doubles each time
    max_backoff: float = 6 * 3600.0
    max_attempts: int = 12
    lease: float = 300.0
    email: bool = False
    company: object = None


@dataclass
class PassResult:
    delivered: int = 0
    failed: int = 0
    skipped: int = 0
    held: int = 0
    emailed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.delivered + self.failed + self.skipped + self.held

    def count(self, outcome: str) -> None:
        if outcome == Outcome.DELIVERED:
            self.delivered += 1
        elif outcome == Outcome.SKIPPED:
            self.skipped += 1
        else:
            self.failed += 1

    def __str__(self) -> str:
        return (
            f"{self.delivered} delivered, {self.failed} failed (will retry), "
            f"{self.skipped} skipped (no webhook URL), {self.held} held behind a failure, "
            f"{self.emailed} emailed"
        )


class Never:
    """A stop signal that never comes (one-off passes, tests)."""

    def is_set(self) -> bool:
        return False


def _due(queryset, now, options: Options):
    pending = queryset.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        delivered_at__isnull=True,
        attempts__lt=options.max_attempts,
    )
    if options.company is not None:
        pending = pending.filter(company=options.company)
    return pending


def _locked(rows):
    if connection.features.has_select_for_update_skip_locked:
        return rows.select_for_update(skip_locked=True, of=("self",))
    return rows  # SQLite: IMMEDIATE transactions already take one writer at a time


def _lease(model, rows, now, options: Options) -> None:
    until = now + timedelta(seconds=options.lease)
    model.objects.filter(id__in=[r.id for r in rows]).update(next_attempt_at=until)
    for row in rows:
        row.next_attempt_at = until


def claim(options: Options, after: int = 0) -> list[OutboxEvent]:
    """Lease the next due events with an id above `after`, fanning each out to the
    subscriptions that want it."""
    now = timezone.now()
    with transaction.atomic():
        rows = _due(OutboxEvent.objects.filter(id__gt=after), now, options).order_by("id")
        events = list(_locked(rows)[: options.batch])
        if events:
            _lease(OutboxEvent, events, now, options)
            fan_out(events)
    return events


def claim_deliveries(options: Options, after=(0, 0)) -> list[SubscriptionDelivery]:
    """Lease the next due subscription deliveries after `(event_id, id)`, in recorded
    order."""
    now = timezone.now()
    event_id, row_id = after
    with transaction.atomic():
        rows = _due(
            SubscriptionDelivery.objects.filter(
                Q(event_id__gt=event_id) | Q(event_id=event_id, id__gt=row_id)
            ),
            now,
            options,
        ).order_by("event_id", "id")
        rows = _locked(rows).select_related("event", "subscription", "company")
        deliveries = list(rows[: options.batch])
        if deliveries:
            _lease(SubscriptionDelivery, deliveries, now, options)
    return deliveries


def renew(model, row, options: Options) -> bool:
    """Extend this worker's lease on `row` if it still holds it (compare-and-set)."""
    until = timezone.now() + timedelta(seconds=options.lease)
    held = model.objects.filter(
        pk=row.pk, next_attempt_at=row.next_attempt_at, delivered_at__isnull=True
    ).update(next_attempt_at=until)
    if held:
        row.next_attempt_at = until
    return bool(held)


def release(model, rows) -> None:
    """Give back leases not used (a worker told to stop): due again at once."""
    for row in rows:
        model.objects.filter(
            pk=row.pk, next_attempt_at=row.next_attempt_at, delivered_at__isnull=True
        ).update(next_attempt_at=timezone.now())


def backoff_delay(attempts: int, options: Options) -> timedelta:
    seconds = options.backoff * (2 ** max(attempts - 1, 0))
    return timedelta(seconds=min(seconds, options.max_backoff))


def run_pass(options: Options, session: requests.Session | None = None, stop=None) -> PassResult:
    """Deliver what is due now, in recorded order, until nothing due is left (or `stop` is
    set: the rows claimed but not yet tried are given back)."""
    session = session or requests.Session()
    stop = stop or Never()
    result = PassResult()
    _company_webhooks(options, session, result, stop)
    if not stop.is_set():
        _subscriptions(options, session, result, stop)
    return result


def _company_webhooks(options: Options, session, result: PassResult, stop) -> None:
    companies: dict = {}
    held_until: dict[int, object] = {}
    # A pass walks the outbox once, by id: an event that falls due again during the pass
    # (a short backoff, a held event) waits for the next pass instead of being claimed,
    # leased and then left unsent until its lease ran out.
    after = 0
    while events := claim(options, after):
        after = events[-1].id
        for index, event in enumerate(events):
            if stop.is_set():
                release(OutboxEvent, events[index:])
                return
            company = companies.get(event.company_id)
            if company is None:
                company = companies[event.company_id] = event.company
            if event.company_id in held_until:
                _hold(OutboxEvent, event, held_until[event.company_id])
                result.held += 1
                continue
            if not renew(OutboxEvent, event, options):
                continue  # another worker took it after our lease ran out
            if options.email and event.attempts == 0 and wants_email(event):
                result.emailed += _email(event, company, result)
            outcome = deliver(event, company, session, options)
            result.count(outcome)
            if outcome == Outcome.FAILED:
                held_until[event.company_id] = event.next_attempt_at


def _subscriptions(options: Options, session, result: PassResult, stop) -> None:
    held_until: dict[int, object] = {}
    after = (0, 0)
    while deliveries := claim_deliveries(options, after):
        after = (deliveries[-1].event_id, deliveries[-1].id)
        for index, delivery in enumerate(deliveries):
            if stop.is_set():
                release(SubscriptionDelivery, deliveries[index:])
                return
            if delivery.subscription_id in held_until:
                _hold(SubscriptionDelivery, delivery, held_until[delivery.subscription_id])
                result.held += 1
                continue
            if not renew(SubscriptionDelivery, delivery, options):
                continue
            outcome = deliver_to_subscription(delivery, session, options)
            result.count(outcome)
            if outcome == Outcome.FAILED:
                held_until[delivery.subscription_id] = delivery.next_attempt_at


def _hold(model, row, until) -> None:
    # Not an attempt: this destination just failed; try again with the failed one.
    model.objects.filter(pk=row.pk).update(next_attempt_at=until)


def _email(event, company, result: PassResult) -> int:
    try:
        return email_staff(event, company)
    except Exception as error:  # an email outage must not stop webhook delivery
        result.errors.append(f"email for event {event.pk} failed: {error}")
        return 0


def _post(session, url: str, body: bytes, headers: dict, options: Options):
    """(status code, error, milliseconds); no error means a 2xx. A destination whose name
    now resolves to an address we do not post to is not posted to; one that passes is
    posted to at the address checked."""
    try:
        address = destinations.address_for_delivery(url)
    except destinations.Refused as refused:
        return None, f"Refused: {refused}", 0
    status_code, error = None, ""
    clock = time.perf_counter()
    try:
        with transport.pinned(session, address):
            response = session.post(
                url, data=body, headers=headers, timeout=options.timeout, allow_redirects=False
            )
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}: {response.text[:ERROR_EXCERPT]}".strip()
    except requests.RequestException as problem:
        error = f"{type(problem).__name__}: {problem}"[:ERROR_EXCERPT]
    return status_code, error, int((time.perf_counter() - clock) * 1000)


def _settle(model, row, number: int, error: str, options: Options) -> None:
    """Write a tried row's new state: delivered, or due again after the backoff."""
    row.attempts = number
    if error:
        row.next_attempt_at = timezone.now() + backoff_delay(number, options)
    else:
        row.delivered_at, row.next_attempt_at = timezone.now(), None
    row.last_error = error
    model.objects.filter(pk=row.pk).update(
        attempts=row.attempts,
        delivered_at=row.delivered_at,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
    )


def _record(row, event, url, number, started, tried, options, subscription=None) -> str:
    """Keep the attempt `tried` (status code, error, milliseconds) and settle `row`: the
    outbox event for the company's webhook, or a subscription's delivery row."""
    status_code, error, duration_ms = tried
    outcome = Outcome.FAILED if error else Outcome.DELIVERED
    DeliveryAttempt.objects.create(
        event=event,
        company_id=event.company_id,
        subscription=subscription,
        number=number,
        url=url[:500],
        outcome=outcome,
        status_code=status_code,
        error=error,
        duration_ms=duration_ms,
        started_at=started,
    )
    _settle(type(row), row, number, error, options)
    return outcome


def deliver(event, company, session, options: Options) -> str:
    """Post one event to the company's webhook URL (guarded as a subscription's destination
    is) and record the attempt."""
    started = timezone.now()
    number = event.attempts + 1
    if not company.webhook_url:
        message = f"Not sent: {company.name} has no webhook URL."
        DeliveryAttempt.objects.create(
            event=event,
            company=company,
            number=number,
            outcome=Outcome.SKIPPED,
            error=message,
            started_at=started,
        )
        OutboxEvent.objects.filter(pk=event.pk).update(
            delivered_at=started, next_attempt_at=None, last_error=message
        )
        return Outcome.SKIPPED
    body, headers = envelope(event, company)
    tried = _post(session, company.webhook_url, body, headers, options)
    return _record(event, event, company.webhook_url, number, started, tried, options)


def deliver_to_subscription(delivery: SubscriptionDelivery, session, options: Options) -> str:
    """Post one event to one subscription's destination, signed with its key."""
    started = timezone.now()
    subscription, event = delivery.subscription, delivery.event
    number = delivery.attempts + 1
    body, headers = envelope(event, delivery.company, subscription.signing_key)
    tried = _post(session, subscription.destination, body, headers, options)
    outcome = _record(
        delivery, event, subscription.destination, number, started, tried, options, subscription
    )
    status = Subscription.Status.FAILING if tried[1] else Subscription.Status.ACTIVE
    if subscription.status != status:
        Subscription.objects.filter(pk=subscription.pk).update(status=status)
    return outcome
