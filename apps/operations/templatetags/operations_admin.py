from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def operation_link(reference: str, links: dict | None):
    """A ledger row's reference as a link to its order or transfer (links from
    apps.operations.admin.hooks.ledger_links), or as text."""
    url = (links or {}).get(reference)
    if url:
        return format_html('<a href="{}" class="op-ref">{}</a>', url, reference)
    return reference or ""
