"""What every operator command does with `--company NAME`."""

from django.core.management.base import CommandError

from apps.tenancy.models import Company


def company_named(name: str) -> Company:
    try:
        return Company.objects.get(name=name)
    except Company.DoesNotExist:
        known = list(Company.objects.order_by("name").values_list("name", flat=True)[:5])
        hint = f" Known companies: {', '.join(known)}." if known else " There are no companies."
        raise CommandError(f"Unknown company {name!r}.{hint}") from None
