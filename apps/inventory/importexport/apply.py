"""Apply a validated Plan: catalog rows in bulk, then every figure through the services.

All in one transaction: items and variants are bulk-created (a few queries per thousand),
records are ensured, reorder figures go through `update_settings` grouped by value, and
every count and reservation through ONE `apply_changes` call (door `command`, reason
`import`), so the ledger, alerts and outbox see the import like any other change."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apps.catalog.models import Item, Variant, gtin14

from .. import services
from ..models import Door, Reason, Status
from .columns import ATTRIBUTE_COLUMNS
from .plan import UNSET, Plan, RecordPlan

BATCH = 1000


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


def apply_plan(plan: Plan, *, note: str = "", step: Callable[[str], None] | None = None):
    step = step or (lambda name: None)
    summary = Summary(rows=plan.rows)
    with transaction.atomic():
        step("Writing items and variants")
        _write_catalog(plan, summary)
        step("Creating inventory records")
        variants = [p.variant for p in plan.records.values()]
        by_variant = services.ensure_records(
            company=plan.company, variants=variants, reorder=_new_reorder_figures(plan)
        )
        for p in plan.records.values():
            p.record = by_variant[p.variant.pk]
            p.was_trackable = p.record.is_trackable
        summary.records = len(by_variant)
        step("Setting reorder figures")
        _apply_settings(plan, summary, before_counts=True)
        step("Applying counts to the ledger")
        changes = _changes(plan)
        if changes:
            result = services.apply_changes(
                company=plan.company, changes=changes, door=Door.COMMAND, note=note[:500]
            )
            summary.movements = len(result.movements)
        step("Setting tracking and status")
        _apply_settings(plan, summary, before_counts=False)
    return summary


def _new_reorder_figures(plan: Plan) -> dict:
    """Reorder figures for records the import creates, set as they are born."""
    figures = {}
    for p in plan.records.values():
        level, quantity = p.get("reorder_level"), p.get("reorder_quantity")
        if level is not UNSET or quantity is not UNSET:
            figures[p.variant.pk] = (
                None if level is UNSET else level,
                None if quantity is UNSET else quantity,
            )
    return figures


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
        Item.objects.bulk_create(new_items.values(), batch_size=BATCH)
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
    if new_variants:
        Variant.objects.bulk_create(new_variants, batch_size=BATCH)
        summary.variants_created = len(new_variants)
    if changed_variants:
        Variant.objects.bulk_update(
            changed_variants,
            ["name", "upc", "gtin", "price", "attributes", "updated_at", "rootfi_updated_at"],
            batch_size=BATCH,
        )
        summary.variants_updated = len(changed_variants)
    if changed_items:
        Item.objects.bulk_update(
            changed_items.values(), ["name", "updated_at", "rootfi_updated_at"], batch_size=BATCH
        )


def _changes(plan: Plan) -> list:
    counts, reserves = [], []
    for p in plan.records.values():
        record = p.record
        for code, (units, _) in p.counts.items():
            location = plan.locations[code]
            if _count_changes(p, location, units):
                counts.append(services.Count(record, location, units, reason=Reason.IMPORT))
        reserved = p.get("reserved_quantity")
        if reserved not in (UNSET, None) and reserved != record.reserved_quantity:
            reserves.append(services.Reserve(record, reserved - record.reserved_quantity))
    # Counts first: the engine judges the final figures, and a release is never refused.
    return counts + reserves


MAX_PAIR_GROUPS = 50


def _update_grouped(plan: Plan, summary: Summary, wanted: dict) -> None:
    """`update_settings` once per distinct set of values ({record: {setting: value}}), so
    each record is locked once; when the combinations are many, once per setting value."""
    groups = defaultdict(list)
    for record, values in wanted.items():
        groups[tuple(sorted(values.items()))].append(record)
    if len(groups) > MAX_PAIR_GROUPS:
        groups = defaultdict(list)
        for record, values in wanted.items():
            for item in values.items():
                groups[(item,)].append(record)
    for key, records in groups.items():
        services.update_settings(company=plan.company, records=records, **dict(key))
        summary.settings_changed += len(records)
    for record, values in wanted.items():
        for setting, value in values.items():
            setattr(record, setting, value)


def _apply_settings(plan: Plan, summary: Summary, *, before_counts: bool) -> None:
    """Around the counts, so an import does not open and close alerts on its way: a
    lowered reorder level is set before the counts, a raised one after (with the reorder
    quantity); a record whose figures change is tracked during the counts and left as its
    `status` says after."""
    wanted: dict = defaultdict(dict)
    for p in plan.records.values():
        record = p.record
        level = p.get("reorder_level")
        level_before = True
        if level is not UNSET and level != record.reorder_level:
            level_before = record.reorder_level is None or (
                level is not None and level < record.reorder_level
            )
            if level_before == before_counts:
                wanted[record]["reorder_level"] = level
        quantity = p.get("reorder_quantity")
        if (
            level_before == before_counts
            and quantity is not UNSET
            and quantity != record.reorder_quantity
        ):
            wanted[record]["reorder_quantity"] = quantity
        if before_counts:
            if not record.is_trackable and _figures_change(plan, p):
                wanted[record]["is_trackable"] = True
            continue
        status = p.get("status", "")
        if status is UNSET:
            status = ""
        track = False if status == Status.UNKNOWN else (True if status else p.was_trackable)
        if record.is_trackable != track:
            wanted[record]["is_trackable"] = track
        mark = status == Status.DISCONTINUED if status else record.is_discontinued
        if record.is_discontinued != mark:
            wanted[record]["is_discontinued"] = mark
    if wanted:
        _update_grouped(plan, summary, wanted)


def _figures_change(plan: Plan, p: RecordPlan) -> bool:
    for code, (units, _) in p.counts.items():
        if _count_changes(p, plan.locations[code], units):
            return True
    reserved = p.get("reserved_quantity")
    return reserved not in (UNSET, None) and reserved != p.record.reserved_quantity


def _count_changes(p: RecordPlan, location, units: int) -> bool:
    # A zero count at a store the record has no level at still writes the level (when
    # the import moves anything), so an exported zero row comes back as a zero row.
    return p.current_levels.get(location.pk) != units
