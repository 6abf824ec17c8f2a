"""The record a scanned or typed code names: a UPC, an EAN-13 or a GTIN-14 (compared as 14
digits, so one product's codes match) or a SKU (the record's or its variant's)."""

from django.db.models import Q

from apps.catalog.models import gtin14
from apps.inventory.models import InventoryRecord

from .errors import UnknownCode


def record_for_code(company, code: str) -> InventoryRecord:
    code = code.strip()
    if not code:
        raise UnknownCode("Scan or type a code.", field="code")
    live = InventoryRecord.objects.live().filter(company=company).select_related("variant")
    by_sku = Q(sku=code) | Q(variant__sku=code)
    if code.isascii() and code.isdigit() and len(code) <= 14:
        # An all-digit code is a GTIN first; a SKU of digits still matches after it.
        found = list(live.filter(Q(variant__gtin=gtin14(code)) | by_sku)[:3])
        found.sort(key=lambda r: r.variant.gtin != gtin14(code))
    else:
        found = list(live.filter(by_sku)[:2])
    if not found:
        raise UnknownCode(f"Unknown code: {code}", field="code")
    return found[0]
