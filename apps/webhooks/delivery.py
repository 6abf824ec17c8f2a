"""One delivery pass over the outbox.

Due events (undelivered, under the attempt limit, `next_attempt_at` empty or past) are
claimed in a short transaction: rows locked with SKIP LOCKED on PostgreSQL, so two workers
never take the same event, and leased (`next_attempt_at` pushed ahead) so an event whose
worker died is taken again later. Each is posted with a timeout; every try is recorded.
A failure schedules the next try with exponential backoff and holds that company's other
events back until then; other companies go on."""

import time
from dataclasses import dataclass, field
from datetime import timedelta

import requests
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from apps.inventory.models import OutboxEvent

from .models import DeliveryAttempt
from .notify import email_staff, wants_email
from .signing import envelope

ERROR_EXCERPT = 500


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

    def __str__(self) -> str:
        return (
            f"{self.delivered} delivered, {self.failed} failed (will retry), "
            f"{self.skipped} skipped (no webhook URL), {self.held} held behind a failure, "
            f"{self.emailed} emailed"
        )


def due_events(now, options: Options):
    pending = OutboxEvent.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        delivered_at__isnull=True,
        attempts__lt=options.max_attempts,
    )
    if options.company is not None:
        pending = pending.filter(company=options.company)
    return pending.order_by("id")


def claim(options: Options, after: int = 0) -> list[OutboxEvent]:
    """Lease the next due events with an id above `after`."""
    now = timezone.now()
    with transaction.atomic():
        rows = due_events(now, options).filter(id__gt=after)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        events = list(rows[: options.batch])
        if events:
            OutboxEvent.objects.filter(id__in=[e.id for e in events]).update(
                next_attempt_at=now + timedelta(seconds=options.lease)
            )
    return events


def backoff_delay(attempts: int, options: Options) -> timedelta:
    seconds = options.backoff * (2 ** max(attempts - 1, 0))
    return timedelta(seconds=min(seconds, options.max_backoff))


def run_pass(options: Options, session: requests.Session | None = None) -> PassResult:
    """Deliver what is due now, in batches, until nothing due is left."""
    session = session or requests.Session()
    result = PassResult()
    companies: dict = {}
    held_until: dict[int, object] = {}
    # A pass walks the outbox once, by id: an event that falls due again during the pass
    # (a short backoff, a held event) waits for the next pass instead of being claimed,
    # leased and then left unsent until its lease ran out.
    after = 0
    while True:
        events = claim(options, after)
        if not events:
            return result
        after = events[-1].id
        for event in events:
            company = companies.get(event.company_id)
            if company is None:
                company = companies[event.company_id] = event.company
            if options.email and event.attempts == 0 and wants_email(event):
                result.emailed += _email(event, company, result)
            if event.company_id in held_until:
                _hold(event, held_until[event.company_id])
                result.held += 1
                continue
            outcome = deliver(event, company, session, options)
            if outcome == DeliveryAttempt.Outcome.DELIVERED:
                result.delivered += 1
            elif outcome == DeliveryAttempt.Outcome.SKIPPED:
                result.skipped += 1
            else:
                result.failed += 1
                held_until[event.company_id] = event.next_attempt_at


def _hold(event, until) -> None:
    # Not an attempt: the company's endpoint just failed; try again with the failed one.
    OutboxEvent.objects.filter(pk=event.pk).update(next_attempt_at=until)


def _email(event, company, result: PassResult) -> int:
    try:
        return email_staff(event, company)
    except Exception as error:  # an email outage must not stop webhook delivery
        result.errors.append(f"email for event {event.pk} failed: {error}")
        return 0


def deliver(event, company, session, options: Options) -> str:
    """Post one event and record the attempt; returns the attempt's outcome."""
    started = timezone.now()
    number = event.attempts + 1
    if not company.webhook_url:
        message = f"Not sent: {company.name} has no webhook URL."
        DeliveryAttempt.objects.create(
            event=event,
            company=company,
            number=number,
            outcome=DeliveryAttempt.Outcome.SKIPPED,
            error=message,
            started_at=started,
        )
        OutboxEvent.objects.filter(pk=event.pk).update(
            delivered_at=started, next_attempt_at=None, last_error=message
        )
        return DeliveryAttempt.Outcome.SKIPPED
    body, headers = envelope(event, company)
    status_code, error = None, ""
    clock = time.perf_counter()
    try:
        response = session.post(
            company.webhook_url,
            data=body,
            headers=headers,
            timeout=options.timeout,
            allow_redirects=False,
        )
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}: {response.text[:ERROR_EXCERPT]}".strip()
    except requests.RequestException as problem:
        error = f"{type(problem).__name__}: {problem}"[:ERROR_EXCERPT]
    duration_ms = int((time.perf_counter() - clock) * 1000)
    ok = not error
    DeliveryAttempt.objects.create(
        event=event,
        company=company,
        number=number,
        url=company.webhook_url[:500],
        outcome=DeliveryAttempt.Outcome.DELIVERED if ok else DeliveryAttempt.Outcome.FAILED,
        status_code=status_code,
        error=error,
        duration_ms=duration_ms,
        started_at=started,
    )
    event.attempts = number
    if ok:
        event.delivered_at, event.next_attempt_at, event.last_error = timezone.now(), None, ""
    else:
        event.next_attempt_at = timezone.now() + backoff_delay(number, options)
        event.last_error = error
    OutboxEvent.objects.filter(pk=event.pk).update(
        attempts=event.attempts,
        delivered_at=event.delivered_at,
        next_attempt_at=event.next_attempt_at,
        last_error=event.last_error,
    )
    return DeliveryAttempt.Outcome.DELIVERED if ok else DeliveryAttempt.Outcome.FAILED
