"""What other admin pages show of counts, as small hooks rather than edits of their views
(the same shape as apps/operations/admin/hooks.py):

- `ledger_links(company, movements)`: {reference: admin URL} for ledger rows carrying a
  count number (CC-00001), one query for a page of rows;
- the dashboard's panels: `{% include "admin/counts/dashboard_panel.html" %}` (template tag
  `counts_dashboard`, selectors `last_counted_per_location` and `large_variance_counts`)."""

from django.urls import reverse

from .models import Count
from .services import NUMBER_PREFIX


def ledger_links(company, movements) -> dict[str, str]:
    numbers = {m.reference for m in movements if m.reference.startswith(f"{NUMBER_PREFIX}-")}
    if not numbers:
        return {}
    found = Count.objects.filter(company=company, number__in=numbers).values_list("number", "pk")
    return {number: reverse("admin:counts_count_change", args=[pk]) for number, pk in found}
