"""RootFi write objects turned into service calls: which variant, which locations, which
figures and settings. No stock rule lives here; the services judge every change."""

from django.db.models import Q

from apps.catalog import services as catalog
from apps.catalog.models import Item, Variant
from apps.inventory import selectors, services
from apps.inventory.errors import RecordExists, StockError
from apps.inventory.models import Door, InventoryRecord, Status, StockLevel
from apps.inventory.services import catalog as stock_of_catalog
from apps.inventory.services.lifecycle import delete_records
from apps.locations.services import AddressBook, LocationError

from .errors import Conflict, InvalidRequest, ObjectNotFound

SETTINGS = ("is_trackable", "reorder_level", "reorder_quantity")
DETAILS = ("platform_unique_id", "raw_data")


class Request:
    """One RootFi write turned into one engine request: the changes, and which object each
    came from, so a refusal names `data[i].field`."""

    def __init__(self, company, many: bool):
        self.company, self.many = company, many
        self.changes: list = []
        self.owner: list[int] = []  # index of the object each change came from
        self.addresses: AddressBook | None = None

    def add(self, index: int, *changes) -> None:
        self.changes.extend(changes)
        self.owner.extend([index] * len(changes))

    def path(self, index: int, name: str) -> str:
        return f"data[{index}].{name}" if self.many else name

    def book(self) -> AddressBook:
        if self.addresses is None:
            self.addresses = AddressBook.of(self.company)
        return self.addresses

    def object_changes(self, index: int, target, data: dict) -> None:
        """The changes one object asks of its record (`target`: a record or a NewRecord)."""
        settings = {name: data[name] for name in SETTINGS if name in data}
        if "status" in data:
            settings["is_discontinued"] = data["status"] == Status.DISCONTINUED
        details = {name: data[name] for name in DETAILS if name in data}
        if "platform_id" in data and isinstance(target, InventoryRecord):
            details["platform_id"] = data["platform_id"]
        if details:
            self.add(index, services.Details(target, **details))
        if settings:
            self.add(index, services.Settings(target, **settings))
        try:
            for position, entry in enumerate(data.get("addresses", ())):
                location = self.book().address(entry, self.path(index, f"addresses[{position}]"))
                self.add(index, services.Place(target, location))
            warehouse = None
            if "warehouse_location" in data:
                warehouse = self.book().find(
                    data["warehouse_location"], self.path(index, "warehouse_location")
                )
        except LocationError as error:
            if error.conflict:
                raise Conflict(error.message, fields={error.field: "Already used."}) from None
            raise InvalidRequest(error.message, fields={error.field: "Unknown location."}) from None
        figures = {name: data[name] for name in ("quantity", "reserved_quantity") if name in data}
        if figures:
            self.add(index, *services.figure_changes(target, location=warehouse, **figures))

    def apply(self, *, actor, **engine) -> services.Result:
        if self.addresses is not None:
            self.addresses.save()
        try:
            return services.apply_changes(
                company=self.company,
                changes=self.changes,
                door=Door.ROOTFI,
                actor=actor,
                **engine,
            )
        except StockError as error:
            if error.index is not None and self.many:
                where = f"data[{self.owner[error.index]}]"
                error.field = f"{where}.{error.field}" if error.field else where
            if isinstance(error, RecordExists):
                raise Conflict(
                    error.message,
                    fields={error.field: f"Already tracked by rootfi_id {error.record_id}."},
                ) from None
            raise


def resolve_variants(company, objects: list[dict], many: bool) -> list[Variant]:
    """The variant each new record tracks: `variant_id`, else `item_id` (a one-variant item,
    or the one with `sku`), else `sku` (a variant's, or a one-variant item's). Three queries
    at most however many objects."""
    variant_ids = {d["variant_id"] for d in objects if "variant_id" in d}
    item_ids = {d["item_id"] for d in objects if "item_id" in d}
    skus = {d["sku"] for d in objects if d.get("sku") and "variant_id" not in d}
    live = Variant.objects.live().filter(company=company, item__rootfi_deleted_at__isnull=True)
    by_ident = _by_ident(live.select_related("item"), variant_ids)
    items = _by_ident(Item.objects.live().filter(company=company), item_ids)
    item_pks = {i.pk for i in items.values() if i is not None}
    candidates = []
    if item_pks or skus:
        wanted = Q(item_id__in=item_pks) | Q(sku__in=skus) | Q(item__sku__in=skus)
        candidates = list(live.filter(wanted).select_related("item").order_by("id"))
    return [
        _variant_of(data, by_ident, items, candidates, index, many)
        for index, data in enumerate(objects)
    ]


def _variant_of(data, by_ident, items, candidates, index, many) -> Variant:
    def path(name):
        return f"data[{index}].{name}" if many else name

    if "variant_id" in data:
        variant = by_ident.get(data["variant_id"])
        if variant is None:
            raise InvalidRequest(
                f"No variant {data['variant_id']!r}.",
                fields={path("variant_id"): "Unknown variant."},
            )
        if "item_id" in data:
            item = items.get(data["item_id"])
            if item is None or item.pk != variant.item_id:
                raise InvalidRequest(
                    "variant_id is not a variant of item_id.",
                    fields={path("item_id"): "Does not match variant_id."},
                )
        return variant
    if "item_id" in data:
        item = items.get(data["item_id"])
        if item is None:
            raise InvalidRequest(
                f"No item {data['item_id']!r}.", fields={path("item_id"): "Unknown item."}
            )
        found = [v for v in candidates if v.item_id == item.pk]
        if data.get("sku"):
            found = [v for v in found if v.sku == data["sku"]]
        if len(found) != 1:
            raise InvalidRequest(
                "The item has several variants; name one in variant_id (or sku).",
                fields={path("variant_id"): "Required for an item with several variants."},
            )
        return found[0]
    if data.get("sku"):
        found = [v for v in candidates if v.sku == data["sku"]][:1]
        if not found:
            found = [v for v in candidates if v.item.sku == data["sku"]]
        if len(found) != 1:
            raise InvalidRequest(
                f"No single variant has SKU {data['sku']!r}.",
                fields={path("sku"): "Unknown SKU."},
            )
        return found[0]
    raise InvalidRequest(
        "Name the variant to track: variant_id, item_id or sku.",
        fields={path("variant_id"): "Required (or item_id, or sku)."},
    )


def _by_ident(queryset, idents) -> dict:
    """RootFi ids of one kind, read together: an all-digit id is a rootfi_id first, then a
    platform_id (the rule of `selectors.by_id`)."""
    if not idents:
        return {}
    pks = {selectors.row_id(i) for i in idents} - {None}
    rows = list(queryset.filter(Q(pk__in=pks) | Q(platform_id__in=idents)).order_by("id"))
    found = {}
    for ident in idents:
        pk = selectors.row_id(ident)
        match = next((r for r in rows if pk is not None and r.pk == pk), None)
        found[ident] = match or next((r for r in rows if r.platform_id == ident), None)
    return found


def _check_same(record: InventoryRecord, data: dict) -> None:
    """A record tracks one variant for life: item_id and variant_id may be sent back as
    read, not changed. `sku` names a variant only on create without variant_id; here it is
    ignored (a client may send back a SKU it read before a rename)."""
    if "variant_id" in data and data["variant_id"] not in (
        str(record.variant_id),
        record.variant.platform_id,
    ):
        raise InvalidRequest(
            "A record's variant cannot change.", fields={"variant_id": "Cannot change."}
        )
    if "item_id" in data and data["item_id"] not in (str(record.item_id), record.item.platform_id):
        raise InvalidRequest("A record's item cannot change.", fields={"item_id": "Cannot change."})


def create_inventories(company, objects: list[dict], many: bool, *, actor) -> list:
    """Records for the objects, with their figures, settings and places: one engine call."""
    variants = resolve_variants(company, objects, many)
    request = Request(company, many)
    new = []
    for index, (variant, data) in enumerate(zip(variants, objects, strict=True)):
        record = services.NewRecord(
            variant, exists_ok=False, platform_id=data.get("platform_id", "")
        )
        request.add(index, record)
        request.object_changes(index, record, data)
        new.append(record)
    taken = [n.platform_id for n in new if n.platform_id]
    if len(taken) != len(set(taken)) or (
        taken
        and InventoryRecord.objects.live().filter(company=company, platform_id__in=taken).exists()
    ):
        raise Conflict(
            "Another record has that platform_id.", fields={"platform_id": "Already used."}
        )
    result = request.apply(actor=actor)
    return render_ready(result, [result.record(n) for n in new])


def update_inventory(company, record: InventoryRecord, data: dict, *, actor, if_match=None):
    """One object's changes to one record, `if_match` (a check of the rendered record)
    judged under the record's lock, before anything changes."""
    _check_same(record, data)
    request = Request(company, False)
    request.object_changes(0, record, data)

    def precondition(result):
        if record.pk not in result.records:
            raise ObjectNotFound(f"No inventory record {record.pk}.")
        if if_match is not None:
            if_match(render_ready(result, [result.records[record.pk]])[0])

    result = request.apply(
        actor=actor, precondition=precondition, records=[record], skip_deleted=True
    )
    return render_ready(result, [result.records[record.pk]])[0]


def render_ready(result, records) -> list:
    """The records as the serializer renders them, their live places taken from the
    engine's own reading of the levels: nothing is read again after a write."""
    records = list(records)
    for record in records:
        record.live_levels = [
            StockLevel(record=record, location=result.locations[lid], on_hand=units)
            for (rid, lid), units in sorted(result.levels.items(), key=lambda kv: kv[0][1])
            if rid == record.pk
            and result.locations[lid].is_physical
            and result.locations[lid].rootfi_deleted_at is None
        ]
    return records


def delete_inventory(company, record: InventoryRecord) -> None:
    delete_records(company=company, records=[record])


def _variant_specs(entries: list[dict], path: str = "variants") -> list[catalog.VariantSpec]:
    specs = []
    for index, entry in enumerate(entries):
        fields = {k: v for k, v in entry.items() if k != "rootfi_id"}
        specs.append(
            catalog.VariantSpec(fields, rootfi_id=entry.get("rootfi_id"), path=f"{path}[{index}]")
        )
    return specs


def create_items(company, objects: list[dict], many: bool) -> list[Item]:
    """The items of one POST, created together (a few queries whatever their number)."""
    new = []
    for index, data in enumerate(objects):
        if not data.get("name"):
            field = f"data[{index}].name" if many else "name"
            raise InvalidRequest("An item needs a name.", fields={field: "Required."})
        fields = {k: v for k, v in data.items() if k != "variants"}
        variants = _variant_specs(data["variants"]) if "variants" in data else None
        new.append(catalog.NewItem(fields, variants))
    try:
        return catalog.create_items(company=company, items=new)
    except catalog.CatalogError as error:
        if many and error.index is not None:
            where = f"data[{error.index}]"
            error.field = f"{where}.{error.field}" if error.field else where
        raise


def update_item(company, item: Item, data: dict) -> Item:
    fields = {k: v for k, v in data.items() if k != "variants"}
    variants = _variant_specs(data["variants"]) if "variants" in data else None
    return catalog.update_item(
        company=company,
        item=item,
        fields=fields,
        variants=variants,
        on_drop=stock_of_catalog.retire_variants,
        on_rename=stock_of_catalog.follow_rename,
    )


def delete_item(company, item: Item) -> None:
    catalog.delete_item(company=company, item=item, on_drop=stock_of_catalog.retire_variants)


def fresh_record(company, pk: int) -> InventoryRecord:
    record = selectors.inventory_records(company).filter(pk=pk).first()
    if record is None:  # deleted since the request looked it up
        raise ObjectNotFound(f"No inventory record {pk}.")
    return record


def fresh_item(company, pk: int) -> Item:
    item = selectors.items(company).filter(pk=pk).first()
    if item is None:
        raise ObjectNotFound(f"No item {pk}.")
    return item
