"""Zettle's movement lines to the service's Moves, and the service's Result back to Zettle's
balance answers. The rules (which moves are allowed, whether stock suffices, tracking) are
the service's; this module only says which line a refusal is about."""

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from apps.inventory import services
from apps.inventory.errors import InsufficientStock, InvalidMovement, ProductNotTracked, StockError
from apps.inventory.models import Door
from apps.locations.models import Location

from . import lookups, selectors
from .errors import not_found


@dataclass(frozen=True)
class Line:
    """One movement as the client wrote it; `path` prefixes its property names and
    `product_path` that of its `productUuid` (in bulk, the product change's, not the line's)."""

    path: str
    product_uuid: UUID
    variant_uuid: UUID
    from_uuid: UUID
    to_uuid: UUID
    change: int
    product_path: str = ""

    @property
    def product_property(self) -> str:
        return f"{self.product_path or self.path}productUuid"


def lines_of_changes(changes: Sequence[dict]) -> list[Line]:
    return [
        Line(
            f"changes[{i}].",
            c["productUuid"],
            c["variantUuid"],
            c["fromLocationUuid"],
            c["toLocationUuid"],
            c["change"],
        )
        for i, c in enumerate(changes)
    ]


def lines_of_product_changes(product_changes: Sequence[dict]) -> list[Line]:
    return [
        Line(
            f"productChanges[{p}].variantChanges[{v}].",
            product["productUuid"],
            c["variantUuid"],
            c["fromLocationUuid"],
            c["toLocationUuid"],
            c["change"],
            f"productChanges[{p}].",
        )
        for p, product in enumerate(product_changes)
        for v, c in enumerate(product["variantChanges"])
    ]


def apply_tracking_changes(company, product_changes: Sequence[dict]) -> None:
    """Bulk's `trackingStatusChange` of each product, before its movements are resolved."""
    items = lookups.products(company, (p["productUuid"] for p in product_changes))
    starting, stopping = [], []
    for index, change in enumerate(product_changes):
        item = items.get(change["productUuid"])
        if item is None:
            raise not_found(
                "Product", change["productUuid"], f"productChanges[{index}].productUuid"
            )
        if change["trackingStatusChange"] == "START_TRACKING":
            starting.append(item)
        elif change["trackingStatusChange"] == "STOP_TRACKING":
            stopping.append(item)
    if starting:
        services.start_tracking(company=company, items=starting)
    if stopping:
        services.stop_tracking(company=company, items=stopping)


def resolve(company, lines: Sequence[Line], store: Location) -> list[services.Move]:
    """A Move per line; an unknown UUID is 404 naming the line's property, a product with no
    inventory records is not tracked."""
    found_products = lookups.products(company, (ln.product_uuid for ln in lines))
    found_variants = lookups.variants(company, (ln.variant_uuid for ln in lines))
    found = lookups.locations(
        company, [u for ln in lines for u in (ln.from_uuid, ln.to_uuid)], store=store
    )
    records = lookups.records_by_variant(company, (v.pk for v in found_variants.values()))
    moves = []
    for line in lines:
        item, variant = lookups.variant_of(
            found_products,
            found_variants,
            line.product_uuid,
            line.variant_uuid,
            line.path,
            product_property=line.product_property,
        )
        source = lookups.location_in(found, line.from_uuid, line.path + "fromLocationUuid")
        target = lookups.location_in(found, line.to_uuid, line.path + "toLocationUuid")
        record = records.get(variant.pk)
        if record is None:
            error = ProductNotTracked(
                f"Product {item.uuid} is not tracked.", product_uuid=str(item.uuid)
            )
            error.zettle_property = line.product_property
            raise error
        record.item, record.variant = item, variant
        moves.append(services.Move(record, source, target, line.change))
    return moves


def apply(
    company, lines: Sequence[Line], moves: Sequence[services.Move], *, actor, external_uuid
) -> services.Result:
    """All lines in one service call, so a refusal of any leaves every one unapplied."""
    try:
        return services.apply_changes(
            company=company,
            changes=moves,
            door=Door.ZETTLE,
            actor=actor,
            external_id=str(external_uuid) if external_uuid else "",
        )
    except StockError as error:
        error.zettle_property = _blamed_property(error, lines, moves)
        raise


def _blamed_property(error: StockError, lines, moves) -> str | None:
    """The property of the first line the refusal's figures point at."""
    figures = error.figures
    for line, move in zip(lines, moves, strict=True):
        record = move.record
        if isinstance(error, ProductNotTracked):
            if figures.get("product_uuid") == str(record.item.uuid):
                return line.product_property
        elif figures.get("sku") is not None and figures["sku"] != record.sku:
            continue
        elif isinstance(error, InsufficientStock):
            source = move.from_location
            named = figures.get("location")
            if named is None or (source.is_physical and named == source.name):
                return f"{line.path}change"
        elif isinstance(error, InvalidMovement):
            if error.field == "change":
                return f"{line.path}change"
            if not (move.from_location.is_physical or move.to_location.is_physical) or (
                move.from_location.pk == move.to_location.pk
            ):
                return f"{line.path}toLocationUuid"
    return None


def _variant(record, location: Location, balance) -> dict:
    return {
        "locationUuid": str(location.uuid),
        "locationType": location.kind,
        "productUuid": str(record.item.uuid),
        "variantUuid": str(record.variant.uuid),
        "balance": balance,
    }


def _touched(moves) -> list:
    seen = {}
    for move in moves:
        seen.setdefault(move.record.pk, move.record)
    return list(seen.values())


def movements_answer(company, location: Location, moves, result: services.Result) -> dict:
    """PUT /inventory: every variant the request touched, its balance at `location` as a
    number. A virtual location keeps no balances, so it lists none."""
    variants = []
    if location.is_physical:
        records = _touched(moves)
        missing = [r.pk for r in records if (r.pk, location.pk) not in result.balances]
        stored = selectors.on_hand(company, location, missing)
        for record in records:
            key = (record.pk, location.pk)
            balance = result.balances.get(key, (0, stored.get(record.pk, 0)))[1]
            variants.append(_variant(record, location, balance))
    return {"locationUuid": str(location.uuid), "variants": variants}


def bulk_answer(location: Location, moves, result: services.Result) -> dict:
    """Bulk: the variants whose balance at `location` changed, balances as numbers."""
    variants = []
    for record in _touched(moves):
        before, after = result.balances.get((record.pk, location.pk), (0, 0))
        if before != after:
            variants.append(
                {
                    "productUuid": str(record.item.uuid),
                    "variantUuid": str(record.variant.uuid),
                    "balance": after,
                }
            )
    return {"locationUuid": str(location.uuid), "variants": variants}


def balances_answer(location: Location, rows, *, tracked=None, latest=None) -> dict:
    """Balance reads: `balance` as a string, as Zettle's docs show."""
    answer = {"locationUuid": str(location.uuid)}
    if tracked is not None:
        answer["trackedProducts"] = tracked
    answer["variants"] = [
        {
            "locationUuid": str(location.uuid),
            "locationType": location.kind,
            "productUuid": str(row["product_uuid"]),
            "variantUuid": str(row["variant_uuid"]),
            "balance": str(row["on_hand"]),
        }
        for row in rows
    ]
    if latest is not None:
        answer["latest"] = latest
    return answer
