"""Apply a validated Plan: catalog rows in bulk, then everything else in one engine call.

All in one transaction: the catalog's services write items and variants (a few statements
whatever their number), then records, settings, counts and reservations go to ONE
`apply_changes` call (reason `import`, door `command` unless the caller names its own), so
the ledger, alerts and outbox see the import like any other change."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apps.bulk import analyze
from apps.catalog import services as catalog
from apps.catalog.models import Item, Variant, gtin14

from .. import services
from ..models import Door, InventoryRecord, Reason, Status, StockLevel, StockMovement
from .columns import ATTRIBUTE_COLUMNS
from .plan import UNSET, Plan, RecordPlan


@dataclass
class Summary:
    rows: int = 0
    items_created: int = 0
    variants_created: int = 0
    variants_updated: int = 0
    records: int = 0
    movements: int = 0
    settings_changed: int = 0

    def __str__(self) -> str:
        return (
            f"{self.rows} rows: {self.items_created} items and {self.variants_created} "
            f"variants created, {self.variants_updated} variants updated, {self.records} "
            f"records, {self.movements} ledger movements, {self.settings_changed} setting "
            "changes."
        )


def apply_plan(
    plan: Plan,
    *,
    note: str = "",
    door: str = Door.COMMAND,
    actor=None,
    step: Callable[[str], None] | None = None,
):
    """Write the plan; the ledger names `door` and `actor` (the admin's user, say)."""
    step = step or (lambda name: None)
    summary = Summary(rows=plan.rows)
    with transaction.atomic():
        step("Writing items and variants")
        _write_catalog(plan, summary)
        step("Applying records, settings and counts to the ledger")
        result = services.apply_changes(
            company=plan.company,
            changes=_changes(plan),
            door=door,
            actor=actor,
            note=note[:500],
            untracked_ok=True,
        )
        summary.records = len(plan.records)
        summary.movements = len(result.movements)
        summary.settings_changed = len(result.settings_changed)
    step("Refreshing the planner's statistics")
    analyze(Item, Variant, InventoryRecord, StockLevel, StockMovement)
    return summary


def _changes(plan: Plan) -> list:
    """The whole import as one engine request: each row's record (born with its reorder
    figures when new), its final settings, its counts per store and its reserved figure,
    judged together (no settings-before-counts ordering to get right)."""
    changes = []
    for p in plan.records.values():
        level, quantity = p.get("reorder_level"), p.get("reorder_quantity")
        record = services.NewRecord(
            p.variant,
            reorder_level=None if level is UNSET else level,
            reorder_quantity=None if quantity is UNSET else quantity,
        )
        changes.append(record)
        settings = {}
        if level is not UNSET:
            settings["reorder_level"] = level
        if quantity is not UNSET:
            settings["reorder_quantity"] = quantity
        status = p.get("status", "")
        if status not in (UNSET, ""):
            settings["is_trackable"] = status != Status.UNKNOWN
            settings["is_discontinued"] = status == Status.DISCONTINUED
        if settings:
            changes.append(services.Settings(record, **settings))
        for code, (units, _) in p.counts.items():
            location = plan.locations[code]
            # A zero row comes back as a zero row: the level exists even when nothing moves.
            changes += [
                services.Place(record, location),
                services.Count(record, location, units, reason=Reason.IMPORT),
            ]
        reserved = p.get("reserved_quantity")
        if reserved not in (UNSET, None):
            changes.append(services.SetReserved(record, reserved))
    return changes


def _attributes(p: RecordPlan, current: dict) -> dict:
    attributes = dict(current) if isinstance(current, dict) else {}
    for name in ATTRIBUTE_COLUMNS:
        value = p.get(name)
        if value is UNSET:
            continue
        if value:
            attributes[name] = value
        else:
            attributes.pop(name, None)
    return attributes


def _write_catalog(plan: Plan, summary: Summary) -> None:
    company, now = plan.company, timezone.now()
    new_items: dict = {}
    for p in plan.records.values():
        if p.variant is not None:
            continue
        item_sku = p.get("item_sku", "") or ""
        if item_sku in plan.items_by_sku:
            continue
        key = item_sku or ("variant", p.sku)
        if key not in new_items:
            price = p.get("price", None)
            new_items[key] = Item(
                company=company,
                name=p.get("item"),
                sku=item_sku,
                price=price,
                platform_id=Item.new_platform_id(),
            )
    if new_items:
        catalog.insert_catalog(items=list(new_items.values()))
        plan.items_by_sku.update((i.sku, i) for i in new_items.values() if i.sku)
        summary.items_created = len(new_items)

    new_variants, changed_variants, changed_items = [], [], {}
    for p in plan.records.values():
        if p.variant is None:
            item_sku = p.get("item_sku", "") or ""
            item = plan.items_by_sku[item_sku] if item_sku else new_items[("variant", p.sku)]
            upc = p.get("upc", "") or ""
            price = p.get("price", None)
            p.variant = Variant(
                company=company,
                item=item,
                name=p.get("variant", "") or "",
                sku=p.sku,
                upc=upc,
                gtin=gtin14(upc),
                price=price,
                attributes=_attributes(p, {}),
                platform_id=Variant.new_platform_id(),
            )
            new_variants.append(p.variant)
            continue
        variant, dirty = p.variant, False
        for column, attr in (("variant", "name"), ("upc", "upc"), ("price", "price")):
            value = p.get(column)
            if value is not UNSET and getattr(variant, attr) != value:
                setattr(variant, attr, value)
                dirty = True
        attributes = _attributes(p, variant.attributes)
        if attributes != variant.attributes:
            variant.attributes, dirty = attributes, True
        if dirty:
            variant.gtin = gtin14(variant.upc)
            variant.updated_at = variant.rootfi_updated_at = now
            changed_variants.append(variant)
        name = p.get("item")
        if name not in (UNSET, "") and variant.item.name != name:
            variant.item.name = name
            variant.item.updated_at = variant.item.rootfi_updated_at = now
            changed_items[variant.item.pk] = variant.item
    catalog.insert_catalog(variants=new_variants)
    catalog.update_catalog(
        items=list(changed_items.values()),
        item_fields=["name", "updated_at", "rootfi_updated_at"],
        variants=changed_variants,
        variant_fields=[
            "name",
            "upc",
            "gtin",
            "price",
            "attributes",
            "updated_at",
            "rootfi_updated_at",
        ],
    )
    summary.variants_created = len(new_variants)
    summary.variants_updated = len(changed_variants)
