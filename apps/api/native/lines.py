"""Naming things in a native request: an item in a line by `sku`, `upc` or `variant`
(the variant's UUID), a location by `store_code` or `location` (its UUID, the one the
Zettle door lists). A line naming an unknown item or location is 400 naming the field
(`lines[2].sku`). Batches cost one query per kind of name."""

import uuid
from collections.abc import Sequence

from rest_framework import serializers

from apps.catalog.models import Variant, gtin14
from apps.inventory import services
from apps.inventory.models import InventoryRecord
from apps.locations.models import Location

from .problems import Problem, field_error, invalid

ITEM_KEYS = ("sku", "upc", "variant")


class ItemLineSerializer(serializers.Serializer):
    """A line naming its item by exactly one of `sku`, `upc`, `variant`. Subclasses add
    their figures (`quantity`, `unit_cost`, `count`, ...)."""

    sku = serializers.CharField(required=False, max_length=100)
    upc = serializers.CharField(required=False, max_length=20)
    variant = serializers.UUIDField(required=False)

    def validate(self, attrs):
        named = [key for key in ITEM_KEYS if attrs.get(key) not in (None, "")]
        if len(named) != 1:
            raise serializers.ValidationError(
                {"sku": "Name the item by exactly one of sku, upc or variant."}
            )
        return attrs


def item_key(line: dict) -> tuple[str, str]:
    """(`sku` | `upc` | `variant`, the value in canonical form) of a validated line."""
    for key in ITEM_KEYS:
        value = line.get(key)
        if value not in (None, ""):
            if key == "upc":
                return key, gtin14(str(value))
            return key, str(value).strip()
    raise ValueError("line names no item")


def resolve_variants(company, lines: Sequence[dict], *, prefix: str = "lines") -> list[Variant]:
    """The live variant each line names, in order; the first unknown one is 400."""
    keys = [item_key(line) for line in lines]
    wanted = {kind: {v for k, v in keys if k == kind} for kind in ITEM_KEYS}
    live = Variant.objects.live().filter(company=company).select_related("item")
    found: dict[tuple[str, str], Variant] = {}
    if wanted["sku"]:
        for v in live.filter(sku__in=wanted["sku"]):
            found[("sku", v.sku)] = v
    if wanted["upc"]:
        for v in live.filter(gtin__in=wanted["upc"] - {""}):
            found[("upc", v.gtin)] = v
    uuids = {_uuid(value) for value in wanted["variant"]} - {None}
    if uuids:
        for v in live.filter(uuid__in=uuids):
            found[("variant", str(v.uuid))] = v
    variants = []
    for index, (kind, value) in enumerate(keys):
        variant = found.get((kind, value))
        if variant is None:
            raise invalid(f"{prefix}[{index}].{kind}", f"No item with {kind} {value!r}.")
        variants.append(variant)
    return variants


def resolve_records(
    company, lines: Sequence[dict], *, prefix: str = "lines"
) -> list[InventoryRecord]:
    """The inventory record of each line's item, in order (created, at zero, for an item
    that has none yet: receiving a new product starts its stock)."""
    variants = resolve_variants(company, lines, prefix=prefix)
    records = services.ensure_records(company=company, variants=variants)
    return [records[v.pk] for v in variants]


def refuse_repeats(records: Sequence[InventoryRecord], *, prefix: str = "lines") -> None:
    """One line per item: a second line naming the same item is 400 naming it."""
    seen: dict[int, int] = {}
    for index, record in enumerate(records):
        if record.pk in seen:
            raise invalid(
                f"{prefix}[{index}]",
                f"{record.sku or record.variant} is already on line {seen[record.pk]}.",
            )
        seen[record.pk] = index


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def location_by_value(company, value, field: str) -> Location:
    """A physical location named by its UUID or its store code."""
    text = str(value).strip()
    query = Location.objects.live().filter(company=company, kind=Location.Kind.STORE)
    key = _uuid(text)
    found = query.filter(uuid=key).first() if key else None
    if found is None and text:
        found = query.filter(store_code=text).first()
    if found is None:
        raise invalid(field, f"No store or warehouse {text!r}.")
    return found


def resolve_location(company, data: dict, *, required: bool = True) -> Location | None:
    """The location a body names by `location` (UUID) or `store_code`."""
    if data.get("location") not in (None, ""):
        return location_by_value(company, data["location"], "location")
    if data.get("store_code") not in (None, ""):
        return location_by_value(company, data["store_code"], "store_code")
    if required:
        raise Problem(
            "Name the location by location (its id) or store_code.",
            errors=[field_error("location", "Required (or store_code).")],
        )
    return None
