"""Lines typed, scanned or pasted into the admin: one per row, `CODE` or `CODE,quantity`
(also `;` or a tab between them, as spreadsheets paste), CODE a SKU or a UPC. A bare code
counts 1, so a barcode scanner that types the code and Enter fills the box; a code given
twice adds up. Rows that name no item are refused by row number, nothing created."""

import re
from dataclasses import dataclass

from django import forms

from apps.catalog.models import Variant, gtin14
from apps.inventory import services as engine
from apps.inventory.models import InventoryRecord
from apps.inventory.services import MAX_UNITS

SEPARATOR = re.compile(r"[,;\t]")


@dataclass
class PastedLine:
    record: InventoryRecord
    quantity: int
    unit_cost: object = None


def parse_rows(text: str) -> list[tuple[int, str, int]]:
    """[(row number, code, quantity)] of the non-empty rows; a bad quantity is refused."""
    rows = []
    for number, raw in enumerate(text.splitlines(), start=1):
        parts = [p.strip() for p in SEPARATOR.split(raw)]
        if not parts[0]:
            continue
        if parts[0].lower() in ("sku", "upc", "code") and number == 1:
            continue  # a pasted header row
        amount = parts[1] if len(parts) > 1 and parts[1] else "1"
        if not (amount.isascii() and amount.isdigit()) or not 1 <= int(amount) <= MAX_UNITS:
            raise forms.ValidationError(
                f"Row {number} ({raw.strip()}): the quantity must be a whole number of at least 1."
            )
        rows.append((number, parts[0], int(amount)))
    if not rows:
        raise forms.ValidationError("Add at least one line: SKU or UPC, and a quantity.")
    return rows


def resolve(company, text: str) -> list[PastedLine]:
    """The records the rows name, repeated codes added up, in the order first named."""
    rows = parse_rows(text)
    live = Variant.objects.live().filter(company=company)
    codes = {code for _, code, _ in rows}
    by_sku = {v.sku: v for v in live.filter(sku__in=codes)}
    gtins = {gtin14(code) for code in codes} - {""}
    by_gtin = {v.gtin: v for v in live.filter(gtin__in=gtins)} if gtins else {}
    totals: dict[int, int] = {}
    variants: dict[int, Variant] = {}
    unknown = []
    for number, code, quantity in rows:
        variant = by_sku.get(code) or by_gtin.get(gtin14(code))
        if variant is None:
            unknown.append(f"row {number} ({code})")
            continue
        variants[variant.pk] = variant
        totals[variant.pk] = totals.get(variant.pk, 0) + quantity
    if unknown:
        raise forms.ValidationError(f"No item with that SKU or UPC: {', '.join(unknown)}.")
    records = engine.ensure_records(company=company, variants=list(variants.values()))
    return [PastedLine(records[vid], min(units, MAX_UNITS)) for vid, units in totals.items()]


def as_text(lines) -> str:
    """Existing lines as the box shows them for editing."""
    return "\n".join(f"{line.sku or line.variant.sku},{_units(line)}" for line in lines)


def _units(line) -> int:
    return getattr(line, "ordered", None) or line.quantity
