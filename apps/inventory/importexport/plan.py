"""Validate every row of an import before anything is written.

The rows of one SKU describe one inventory record (one row per location), so what belongs
to the record (item, upc, quantity, reorder figures, ...) must agree across its rows. The
database is read in chunks (a few queries per thousand rows) to resolve store codes, SKUs,
UPCs and the figures the file will change."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from apps.catalog.models import Item, Variant, gtin14
from apps.locations.models import Location

from ..models import InventoryRecord, Status, StockLevel
from .columns import ATTRIBUTE_COLUMNS
from .reading import Row

CHUNK = 2000
MAX_ERRORS = 200
UNSET = object()
RECORD_COLUMNS = (
    "item",
    "item_sku",
    "variant",
    "upc",
    *ATTRIBUTE_COLUMNS,
    "price",
    "quantity",
    "reserved_quantity",
    "status",
    "reorder_level",
    "reorder_quantity",
)
STATUSES = frozenset(Status.values)


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}" if self.column else f"line {self.line}"
        return f"{where}: {self.message}"


@dataclass
class RecordPlan:
    """What the file says about one SKU's record."""

    sku: str
    line: int
    values: dict  # RECORD_COLUMNS present in the file, as parsed
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # store_code: (n, line)
    variant: Variant | None = None
    record_id: int | None = None  # the variant's live record, when it has one
    current_reserved: int = 0
    current_levels: dict[int, int] = field(default_factory=dict)  # location_id: on_hand
    broken: bool = False  # a row of this SKU has an error: no figure checks on top

    def get(self, column, default=UNSET):
        return self.values.get(column, default)


@dataclass
class Plan:
    company: object
    records: dict[str, RecordPlan]
    locations: dict[str, Location]
    items_by_sku: dict[str, Item]
    rows: int


class Invalid(Exception):
    def __init__(self, errors: list[RowError], rows: int):
        super().__init__(f"{len(errors)} bad row(s)")
        self.errors = errors
        self.rows = rows


def _integer(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise ValueError("a whole number of at least 0")
    return int(text)


def _parse(column: str, text: str):
    """A cell as the value the record takes; raises ValueError with what was expected."""
    if column in ("quantity", "reserved_quantity", "reorder_level", "reorder_quantity"):
        return None if text == "" else _integer(text)
    if column == "price":
        if text == "":
            return None
        try:
            price = Decimal(text)
        except InvalidOperation:
            raise ValueError("a price such as 19.99") from None
        if not price.is_finite() or price < 0 or price != round(price, 2) or price >= 10**12:
            raise ValueError("a price of at least 0 with at most 2 decimals")
        return price
    if column == "upc":
        if text and (
            not (text.isascii() and text.replace(" ", "").replace("-", "").isdigit())
            or len(text) > 20
        ):
            raise ValueError("a UPC/EAN of digits (at most 14)")
        if len(gtin14(text)) > 14:
            raise ValueError("a UPC/EAN of at most 14 digits")
        return text
    if column == "status":
        if text and text.lower() not in STATUSES:
            raise ValueError(f"one of {', '.join(sorted(STATUSES))} (or blank)")
        return text.lower()
    limit = 255 if column in ("item", "variant") else 100
    if len(text) > limit:
        raise ValueError(f"at most {limit} characters")
    return text


def build_plan(company, rows: Iterable[Row], *, on_row: Callable[[int], None] | None = None):
    """A Plan for the rows, or Invalid with every row error (the first MAX_ERRORS)."""
    errors: list[RowError] = []
    records: dict[str, RecordPlan] = {}
    count = 0
    for row in rows:
        count += 1
        if on_row:
            on_row(count)
        _read_row(row, records, errors)
    if count == 0:
        errors.append(RowError(1, "", "the file has no rows."))
    locations = {
        loc.store_code: loc
        for loc in Location.objects.live().filter(company=company, kind=Location.Kind.STORE)
    }
    items = _check_against_database(company, records, locations, errors)
    if errors:
        errors.sort(key=lambda e: (e.line, e.column))
        raise Invalid(errors[:MAX_ERRORS], count)
    return Plan(company, records, locations, items, count)


def _read_row(row: Row, records: dict[str, RecordPlan], errors: list[RowError]) -> None:
    before = len(errors)
    _read_cells(row, records, errors)
    if len(errors) > before and row.values.get("sku") in records:
        records[row.values["sku"]].broken = True


def _read_cells(row: Row, records: dict[str, RecordPlan], errors: list[RowError]) -> None:
    """Every bad cell of the row is reported, not only the first: a row without its SKU
    still has its other cells checked."""
    values = row.values
    sku = values.get("sku", "")
    if not sku:
        errors.append(RowError(row.line, "sku", "required (the variant's SKU)."))
    elif len(sku) > 100:
        errors.append(RowError(row.line, "sku", "at most 100 characters."))
    parsed = {}
    for column in RECORD_COLUMNS:
        if column in row.present:
            try:
                parsed[column] = _parse(column, values.get(column, ""))
            except ValueError as problem:
                errors.append(
                    RowError(row.line, column, f"{values.get(column)!r} is not {problem}.")
                )
    count = _read_count(row, errors)
    if not sku or len(sku) > 100:
        return
    plan = records.get(sku)
    if plan is None:
        plan = records[sku] = RecordPlan(sku=sku, line=row.line, values=parsed)
    else:
        for column, value in parsed.items():
            first = plan.values.setdefault(column, value)
            if first != value:
                errors.append(
                    RowError(
                        row.line,
                        column,
                        f"{values.get(column)!r} disagrees with line {plan.line} for SKU "
                        f"{sku!r} (a record's {column} is the same on all its rows).",
                    )
                )
    if count is None:
        return
    store_code, units = count
    if store_code in plan.counts:
        errors.append(
            RowError(
                row.line,
                "store_code",
                f"SKU {sku!r} at store {store_code!r} is already on line "
                f"{plan.counts[store_code][1]}.",
            )
        )
        return
    plan.counts[store_code] = (units, row.line)


def _read_count(row: Row, errors: list[RowError]) -> tuple[str, int] | None:
    """The row's (store_code, on_hand) count, None when it has none or it is bad."""
    store_code = row.values.get("store_code", "")
    on_hand = row.values.get("on_hand", "")
    if not store_code:
        if on_hand:
            errors.append(RowError(row.line, "store_code", "required when on_hand is given."))
        return None
    if on_hand == "":
        errors.append(RowError(row.line, "on_hand", "required when store_code is given."))
        return None
    try:
        return store_code, _integer(on_hand)
    except ValueError as problem:
        errors.append(RowError(row.line, "on_hand", f"{on_hand!r} is not {problem}."))
        return None


def _check_against_database(company, records, locations, errors) -> dict[str, Item]:
    for plan in records.values():
        for store_code, (_, line) in plan.counts.items():
            if store_code not in locations:
                errors.append(RowError(line, "store_code", f"no store with code {store_code!r}."))

    skus, found = list(records), []
    for start in range(0, len(skus), CHUNK):
        # `.exclude(sku="")` matches the partial unique index, so it is used.
        found += (
            Variant.objects.live()
            .filter(company=company, sku__in=skus[start : start + CHUNK])
            .exclude(sku="")
        )
    # Each item once (an item has several variants), not once per variant as a join gives.
    item_ids = sorted({v.item_id for v in found})
    catalog: dict[int, Item] = {}
    for start in range(0, len(item_ids), CHUNK):
        catalog.update(Item.objects.in_bulk(item_ids[start : start + CHUNK]))
    for variant in found:
        variant.item = catalog[variant.item_id]
        records[variant.sku].variant = variant

    item_skus = sorted({p.get("item_sku") for p in records.values()} - {UNSET, ""})
    items: dict[str, Item] = {}
    for start in range(0, len(item_skus), CHUNK):
        items.update(
            (item.sku, item)
            for item in Item.objects.live()
            .filter(company=company, sku__in=item_skus[start : start + CHUNK])
            .exclude(sku="")
        )
    _check_items(records, items, errors)
    _check_upcs(company, records, errors)
    _load_figures(company, records)
    _check_figures(records, locations, errors)
    return items


def _check_items(records, items, errors) -> None:
    new_item_names: dict[str, tuple[str, int]] = {}
    for plan in records.values():
        item_sku = plan.get("item_sku", "")
        name = plan.get("item", "")
        if plan.variant is not None:
            current = plan.variant.item.sku
            if item_sku not in (UNSET, "", current):
                errors.append(
                    RowError(
                        plan.line,
                        "item_sku",
                        f"SKU {plan.sku!r} belongs to item {current or plan.variant.item.name!r}"
                        f", not {item_sku!r}; a variant cannot move to another item.",
                    )
                )
            continue
        if item_sku not in (UNSET, "") and item_sku in items:
            continue
        if name in (UNSET, ""):
            errors.append(
                RowError(plan.line, "item", f"required to create the new SKU {plan.sku!r}.")
            )
            continue
        if item_sku not in (UNSET, ""):
            seen = new_item_names.setdefault(item_sku, (name, plan.line))
            if seen[0] != name:
                errors.append(
                    RowError(
                        plan.line,
                        "item",
                        f"{name!r} disagrees with line {seen[1]} ({seen[0]!r}) for the new "
                        f"item {item_sku!r}.",
                    )
                )


def _check_upcs(company, records, errors) -> None:
    by_gtin: dict[str, RecordPlan] = {}
    for plan in records.values():
        gtin = gtin14(plan.get("upc", "") or "") if plan.get("upc") is not UNSET else ""
        if not gtin:
            continue
        other = by_gtin.setdefault(gtin, plan)
        if other is not plan:
            errors.append(
                RowError(
                    plan.line,
                    "upc",
                    f"{plan.get('upc')!r} is also the UPC of SKU {other.sku!r} (line "
                    f"{other.line}).",
                )
            )
    gtins = list(by_gtin)
    for start in range(0, len(gtins), CHUNK):
        for gtin, sku in (
            Variant.objects.live()
            .filter(company=company, gtin__in=gtins[start : start + CHUNK])
            .values_list("gtin", "sku")
        ):
            plan = by_gtin[gtin]
            if sku != plan.sku:
                errors.append(
                    RowError(
                        plan.line,
                        "upc",
                        f"{plan.get('upc')!r} is already the UPC of SKU {sku!r}.",
                    )
                )


def _load_figures(company, records) -> None:
    by_variant = {p.variant.pk: p for p in records.values() if p.variant is not None}
    ids = list(by_variant)
    for start in range(0, len(ids), CHUNK):
        for record_id, variant_id, reserved in (
            InventoryRecord.objects.live()
            .filter(company=company, variant_id__in=ids[start : start + CHUNK])
            .values_list("id", "variant_id", "reserved_quantity")
        ):
            plan = by_variant[variant_id]
            plan.record_id, plan.current_reserved = record_id, reserved
    by_record = {p.record_id: p for p in records.values() if p.record_id is not None}
    ids = list(by_record)
    for start in range(0, len(ids), CHUNK):
        for record_id, location_id, on_hand in StockLevel.objects.filter(
            company=company, record_id__in=ids[start : start + CHUNK]
        ).values_list("record_id", "location_id", "on_hand"):
            by_record[record_id].current_levels[location_id] = on_hand


def _check_figures(records, locations, errors) -> None:
    for plan in records.values():
        if plan.broken or any(code not in locations for code in plan.counts):
            continue
        after = dict(plan.current_levels)
        for code, (units, _) in plan.counts.items():
            after[locations[code].pk] = units
        total = sum(after.values())
        quantity = plan.get("quantity")
        if quantity not in (UNSET, None) and quantity != total:
            elsewhere = total - sum(units for units, _ in plan.counts.values())
            detail = f" ({elsewhere} of them at stores not in the file)" if elsewhere else ""
            errors.append(
                RowError(
                    plan.line,
                    "quantity",
                    f"{quantity} disagrees with the on_hand rows of SKU {plan.sku!r}, which "
                    f"make {total}{detail}; correct quantity or leave it blank.",
                )
            )
            continue
        reserved = plan.get("reserved_quantity")
        if reserved in (UNSET, None):
            reserved = plan.current_reserved
        if reserved > total:
            errors.append(
                RowError(
                    plan.line,
                    "reserved_quantity",
                    f"{reserved} reserved is more than the {total} on hand of SKU {plan.sku!r}.",
                )
            )
