"""Human count numbers, CC-00001 per company."""

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import CountSequence

PREFIX = "CC-"


def format_number(n: int) -> str:
    return f"{PREFIX}{n:05d}"


def next_number(company) -> str:
    """The company's next count number. Call inside the transaction that creates the count:
    the UPDATE holds the sequence row's lock until it commits, so concurrent openers queue
    and each gets its own number."""
    assert transaction.get_connection().in_atomic_block, "allocate inside the count's transaction"
    for _ in range(2):
        if CountSequence.objects.filter(company=company).update(last=F("last") + 1):
            return format_number(CountSequence.objects.get(company=company).last)
        try:
            with transaction.atomic():
                CountSequence.objects.create(company=company, last=1)
            return format_number(1)
        except IntegrityError:
            continue  # another opener created the row first: take the next number after it
    raise RuntimeError("could not allocate a count number")
