"""An outbox event becomes one delivery row per subscription that wants it, in the
transaction that claims the event, so each (event, subscription) pair has its own state and
a failing destination holds back only its own subscription."""

from collections import defaultdict
from collections.abc import Sequence

from .models import Subscription, SubscriptionDelivery


def fan_out(events: Sequence) -> int:
    """Delivery rows for `events`; a pair that already has one (an event claimed again after
    a lease ran out, or retried from the admin) keeps it. Returns the rows asked for."""
    if not events:
        return 0
    by_company = defaultdict(list)
    for subscription in Subscription.objects.filter(
        company_id__in={e.company_id for e in events}
    ).only("id", "company_id", "event_names", "created_at"):
        by_company[subscription.company_id].append(subscription)
    rows = [
        SubscriptionDelivery(company_id=event.company_id, subscription=subscription, event=event)
        for event in events
        for subscription in by_company.get(event.company_id, ())
        if subscription.wants(event)
    ]
    SubscriptionDelivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)
