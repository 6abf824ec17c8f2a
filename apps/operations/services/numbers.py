"""Human numbers per company and prefix: PO-00001, TR-00001 (CC-00001 for counts)."""

from django.db import IntegrityError, transaction

from ..models import NumberSequence

WIDTH = 5


@transaction.atomic
def next_number(company, prefix: str) -> str:
    """The next free number. The company's sequence row is locked until the caller's
    transaction ends, so concurrent creations queue and never share or skip a number
    (a rolled-back creation gives its number back)."""
    sequence = NumberSequence.objects.select_for_update().filter(company=company, prefix=prefix)
    row = sequence.first()
    if row is None:
        try:
            with transaction.atomic():
                row = NumberSequence.objects.create(company=company, prefix=prefix, last=0)
        except IntegrityError:  # another writer created it first: wait for its lock
            row = sequence.get()
    row.last += 1
    row.save(update_fields=["last"])
    return f"{prefix}-{row.last:0{WIDTH}d}"
