"""Zettle's movement lines to the service's Moves, and the service's Result back to Zettle's
balance answers. The rules (which moves are allowed, whether stock suffices, tracking) are
the service's; this module only says which line a refusal is about."""

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from apps.catalog.models import Variant
from apps.inventory import services
from apps.inventory.errors import InvalidMovement, ProductNotTracked, StockError
from apps.inventory.models import Door, InventoryRecord
from apps.locations.models import Location

from . import lookups
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


def tracking_changes(company, product_changes: Sequence[dict]):
    """Bulk's `trackingStatusChange` of each product as engine changes (played before its
    movements, in the same call), and the products that start and stop."""
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
    changes = []
    if starting:
        variants = Variant.objects.live().filter(company=company, item__in=starting)
        for variant in variants.select_related("item"):
            new = services.NewRecord(variant)
            changes += [new, services.Settings(new, is_trackable=True)]
    if stopping:
        records = InventoryRecord.objects.live().filter(company=company, item__in=stopping)
        changes += [services.Settings(r, is_trackable=False) for r in records]
    return changes, starting, stopping


def resolve(company, lines: Sequence[Line], store: Location) -> list[services.Move]:
    """A Move per line, naming the variant's record (the engine finds and locks it); an
    unknown UUID is 404 naming the line's property; `store` is the key's one STORE."""
    found_variants = lookups.variants(company, (ln.variant_uuid for ln in lines))
    known = {v.item.uuid: v.item for v in found_variants.values()}
    if any(ln.product_uuid not in known for ln in lines):
        known.update(lookups.products(company, (ln.product_uuid for ln in lines)))
    found = lookups.locations(
        company, [u for ln in lines for u in (ln.from_uuid, ln.to_uuid)], store=store
    )
    records: dict[int, services.NewRecord] = {}
    moves = []
    for line in lines:
        _, variant = lookups.variant_of(
            known,
            found_variants,
            line.product_uuid,
            line.variant_uuid,
            line.path,
            product_property=line.product_property,
        )
        source = lookups.location_in(found, line.from_uuid, line.path + "fromLocationUuid")
        target = lookups.location_in(found, line.to_uuid, line.path + "toLocationUuid")
        record = records.setdefault(variant.pk, services.NewRecord(variant, create=False))
        moves.append(services.Move(record, source, target, line.change))
    return moves


def apply(
    company, lines: Sequence[Line], moves: Sequence, *, actor, external_uuid, before=()
) -> services.Result:
    """All lines in one engine call (after the `before` changes: bulk's tracking), so a
    refusal of any leaves every one unapplied. A refusal names the line it is about."""
    references = list({id(m.record): m.record for m in moves}.values())
    changes = [*before, *references, *moves]
    try:
        return services.apply_changes(
            company=company,
            changes=changes,
            door=Door.ZETTLE,
            actor=actor,
            external_id=str(external_uuid) if external_uuid else "",
        )
    except StockError as error:
        error.zettle_property = _blamed_property(error, lines, moves, changes)
        raise


def _blamed_property(error: StockError, lines, moves, changes) -> str | None:
    """The property of the line the refusal's change index names."""
    if error.index is None or error.index >= len(changes):
        return None
    failed = changes[error.index]
    if isinstance(failed, services.NewRecord):  # a variant without a record: not tracked
        line = next(ln for ln, m in zip(lines, moves, strict=True) if m.record is failed)
        return line.product_property
    if failed not in moves:
        return None
    line = lines[moves.index(failed)]
    if isinstance(error, ProductNotTracked):
        return line.product_property
    if isinstance(error, InvalidMovement) and error.field != "change":
        return f"{line.path}toLocationUuid"
    return f"{line.path}change"


def _variant(record, location: Location, balance) -> dict:
    return {
        "locationUuid": str(location.uuid),
        "locationType": location.kind,
        "productUuid": str(record.item.uuid),
        "variantUuid": str(record.variant.uuid),
        "balance": balance,
    }


def _touched(moves, result) -> list:
    seen = {}
    for move in moves:
        seen.setdefault(move.record.pk, result.records[move.record.pk])
    return list(seen.values())


def movements_answer(company, location: Location, moves, result: services.Result) -> dict:
    """PUT /inventory: every variant the request touched, its balance at `location` as a
    number. A virtual location keeps no balances, so it lists none."""
    variants = []
    if location.is_physical:
        for record in _touched(moves, result):
            variants.append(_variant(record, location, result.on_hand(record, location)))
    return {"locationUuid": str(location.uuid), "variants": variants}


def bulk_answer(location: Location, moves, result: services.Result) -> dict:
    """Bulk: the variants whose balance at `location` changed, balances as numbers."""
    variants = []
    for record in _touched(moves, result):
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
