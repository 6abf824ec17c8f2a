"""The records that scanned or typed codes name: a UPC, an EAN-13 or a GTIN-14 (compared as
14 digits, so one product's codes match) or a SKU (the record's or its variant's)."""

from collections.abc import Iterable

from django.db.models import Q

from apps.catalog.models import gtin14
from apps.inventory.models import InventoryRecord

from .errors import UnknownCode


def _is_gtin(code: str) -> bool:
    return code.isascii() and code.isdigit() and len(code) <= 14


def records_for_codes(company, codes: Iterable[str]) -> dict[str, InventoryRecord]:
    """{code: record} for the codes that name a live record of the company, in one query.
    An all-digit code is a GTIN first; a SKU of digits still matches when no GTIN does."""
    codes = {c.strip() for c in codes if c and c.strip()}
    if not codes:
        return {}
    gtins = {gtin14(c) for c in codes if _is_gtin(c)}
    rows = list(
        InventoryRecord.objects.live()
        .filter(company=company)
        .filter(Q(sku__in=codes) | Q(variant__sku__in=codes) | Q(variant__gtin__in=gtins))
        .select_related("variant", "item")
        .order_by("id")
    )
    by_gtin = {r.variant.gtin: r for r in rows if r.variant.gtin}
    by_sku = {}
    for r in rows:
        for sku in (r.sku, r.variant.sku):
            if sku:
                by_sku.setdefault(sku, r)
    found = {}
    for code in codes:
        record = by_gtin.get(gtin14(code)) if _is_gtin(code) else None
        record = record or by_sku.get(code)
        if record is not None:
            found[code] = record
    return found


def record_for_code(company, code: str) -> InventoryRecord:
    code = (code or "").strip()
    if not code:
        raise UnknownCode("Scan or type a code.", field="code")
    record = records_for_codes(company, [code]).get(code)
    if record is None:
        raise UnknownCode(f"Unknown code: {code}", field="code")
    return record
