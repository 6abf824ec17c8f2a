"""Subscribing, changing and unsubscribing, whichever door asks: each destination passes
the SSRF guard (destinations.py) and each event name is one we know."""

import uuid as uuid_module
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import destinations
from .models import SUPPORTED_EVENTS, Subscription


class SubscriptionExists(ValueError):
    pass


class UnknownEvents(ValueError):
    def __init__(self, names: Sequence[str]):
        super().__init__(f"Unsupported event names: {', '.join(names)}.")
        self.names = list(names)


def check_event_names(names: Sequence[str]) -> list[str]:
    unknown = [n for n in names if n not in SUPPORTED_EVENTS]
    if unknown:
        raise UnknownEvents(unknown)
    return list(dict.fromkeys(names))


def subscriptions_of(company) -> list[Subscription]:
    return list(Subscription.objects.filter(company=company).order_by("created_at", "id"))


def subscription_of(company, subscription_uuid: uuid_module.UUID) -> Subscription | None:
    return Subscription.objects.filter(company=company, uuid=subscription_uuid).first()


def subscribe(
    *, company, uuid, event_names: Sequence[str], destination: str, contact_email: str
) -> Subscription:
    """A new active subscription with its own signing key; it receives the events recorded
    from now on."""
    subscription = Subscription(
        company=company,
        uuid=uuid,
        event_names=check_event_names(event_names),
        destination=destinations.check(destination),
        contact_email=contact_email,
    )
    try:
        with transaction.atomic():
            subscription.save()
    except IntegrityError:
        raise SubscriptionExists(f"A subscription with uuid {uuid} already exists.") from None
    return subscription


def change_subscription(subscription: Subscription, **fields) -> Subscription:
    """Change `event_names`, `destination` or `contact_email` (those given)."""
    if "event_names" in fields:
        fields["event_names"] = check_event_names(fields["event_names"])
    if "destination" in fields:
        fields["destination"] = destinations.check(fields["destination"])
    for name, value in fields.items():
        setattr(subscription, name, value)
    subscription.updated_at = timezone.now()
    subscription.save(update_fields=[*fields, "updated_at"])
    return subscription


def unsubscribe(subscription: Subscription) -> None:
    """Gone, with the deliveries still due to it."""
    subscription.delete()
