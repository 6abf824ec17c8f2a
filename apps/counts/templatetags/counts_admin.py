"""`{% counts_dashboard as cc %}`: the dashboard's count panels for the staff user's companies
(rendered by templates/admin/counts/dashboard_panel.html)."""

from django import template

from apps.tenancy.admin_base import company_ids

from .. import selectors

register = template.Library()

LOCATIONS_SHOWN = 20


@register.simple_tag(takes_context=True)
def counts_dashboard(context):
    request = context.get("request")
    if request is None or not request.user.has_perm("counts.view_count"):
        return None
    ids = company_ids(request)
    return {
        "locations": list(selectors.last_counted_per_location(ids)[:LOCATIONS_SHOWN]),
        "large": list(selectors.large_variance_counts(ids)),
        "threshold": selectors.LARGE_VARIANCE_UNITS,
        "show_company": ids is None or len(ids) > 1,
    }
