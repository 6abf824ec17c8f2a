"""Writes to the catalog: items and their variants.

Every item has at least one variant (an item created without variants gets a default one
with the item's SKU and price, as Shopify and Zettle do). SKUs and UPCs are unique per
company among live rows. The catalog knows nothing of stock: whoever drops or renames a
variant brings the stock's guard (`apps.inventory.services.catalog.retire_variants`)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apps.bulk import insert_returning, update_rows

from .models import Item, Variant, catalog_text_errors, gtin14

ITEM_FIELDS = (
    "name",
    "description",
    "sku",
    "price",
    "currency_id",
    "type",
    "status",
    "platform_id",
    "platform_unique_id",
    "raw_data",
)
VARIANT_FIELDS = (
    "name",
    "sku",
    "price",
    "upc",
    "attributes",
    "platform_id",
    "platform_unique_id",
    "raw_data",
)


class CatalogError(Exception):
    """A refusal of a catalog write; `index` names the object of a bulk write."""

    def __init__(self, message: str, *, field: str | None = None, index=None, **figures):
        super().__init__(message)
        self.message, self.field, self.figures, self.index = message, field, figures, index


class DuplicateValue(CatalogError):
    """A SKU, UPC or platform_id already used by another live row of the company."""

    code = "DUPLICATE_VALUE"


class UnknownVariant(CatalogError):
    code = "UNKNOWN_VARIANT"


class InvalidText(CatalogError):
    """A name, SKU or UPC the catalog does not store (blank item SKU, bidirectional control
    characters, a UPC that is not 8, 12, 13 or 14 digits)."""

    code = "INVALID_VALUE"


def _check_text(model, obj, fields: dict, field_prefix: str) -> None:
    errors = catalog_text_errors(obj)
    if model is Item and "sku" in fields and not str(fields["sku"] or "").strip():
        errors.setdefault("sku", "An item's SKU cannot be blank.")
    for name, message in errors.items():
        raise InvalidText(message, field=f"{field_prefix}{name}")


@dataclass(frozen=True)
class VariantSpec:
    """One entry of an item's `variants`: `fields` to set, matched to an existing variant by
    `rootfi_id`, `platform_id` or `sku`. `path` names the entry in error messages."""

    fields: dict
    rootfi_id: int | None = None
    path: str = "variants"


def _touch(obj, now):
    obj.rootfi_updated_at = now
    obj.updated_at = now


def _check_unique(model, company, obj, field_prefix: str) -> None:
    live = model.objects.live().filter(company=company).exclude(pk=obj.pk)
    checks = [("platform_id", obj.platform_id), ("sku", obj.sku)]
    if model is Variant:
        checks.append(("upc", obj.upc))
    for name, value in checks:
        if not value:
            continue
        lookup = {"gtin": gtin14(value)} if name == "upc" else {name: value}
        if live.filter(**lookup).exists():
            raise DuplicateValue(
                f"Another {model.__name__.lower()} already has {name} {value!r}.",
                field=f"{field_prefix}{name}",
                **{name: value},
            )


def _save(model, company, obj, field_prefix: str, fields: dict | None = None) -> None:
    _check_text(model, obj, fields or {}, field_prefix)
    _check_unique(model, company, obj, field_prefix)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:  # a concurrent writer took the value meanwhile
        raise DuplicateValue(f"{model.__name__} conflicts with another live row: {exc}") from None


def _apply(obj, fields: dict, allowed: Sequence[str]) -> bool:
    changed = False
    for name in allowed:
        if name in fields and getattr(obj, name) != fields[name]:
            setattr(obj, name, fields[name])
            changed = True
    return changed


def _sync_record_skus(company, variant, now, on_rename) -> None:
    if on_rename is not None:
        on_rename(company=company, variant=variant, now=now)


def _soft_delete_variants(company, variants: list[Variant], now, what, field, on_drop) -> None:
    """Variants leave the catalog; `on_drop` (the stock's guard, which the caller brings:
    the catalog knows nothing of stock) refuses first when one may not leave."""
    if not variants:
        return
    on_drop(company=company, variants=variants, what=what, field=field)
    Variant.objects.filter(pk__in=[v.pk for v in variants]).update(
        rootfi_deleted_at=now, rootfi_updated_at=now, updated_at=now
    )


def _new_variant(company, item, spec: VariantSpec, now) -> Variant:
    variant = Variant(company=company, item=item, rootfi_created_at=now, rootfi_updated_at=now)
    _apply(variant, spec.fields, VARIANT_FIELDS)
    _save(Variant, company, variant, f"{spec.path}." if spec.path else "")
    return variant


@transaction.atomic
def save_variant(*, company, variant: Variant, on_create=None, on_rename=None) -> Variant:
    """Save a variant edited as a whole (the admin's forms), in one transaction with what
    the caller brings: `on_create(company=, variants=[...])` for a new one (the admin tracks
    it at once), `on_rename(company=, variant=, now=)` for an existing one (its records
    follow the SKU). The API doors create variants through `create_item`/`update_item`."""
    creating = variant.pk is None
    now = timezone.now()
    variant.company = company
    if creating:
        variant.rootfi_created_at = now
    _touch(variant, now)
    _save(Variant, company, variant, "")
    if creating and on_create is not None:
        on_create(company=company, variants=[variant])
    elif not creating:
        _sync_record_skus(company, variant, now, on_rename)
    return variant


@transaction.atomic
def create_item(*, company, fields: dict, variants: Sequence[VariantSpec] | None = None) -> Item:
    now = timezone.now()
    item = Item(company=company, rootfi_created_at=now, rootfi_updated_at=now)
    _apply(item, fields, ITEM_FIELDS)
    _save(Item, company, item, "", fields)
    specs = list(variants or [])
    if not specs:
        # The default variant takes the item's SKU: a clash is the item's `sku` field's.
        specs = [VariantSpec({"name": "Default", "sku": item.sku, "price": item.price}, path="")]
    for spec in specs:
        if spec.rootfi_id is not None:
            raise UnknownVariant(
                "A new item's variants cannot name existing ones.", field=f"{spec.path}.rootfi_id"
            )
        _new_variant(company, item, spec, now)
    return item


@dataclass
class NewItem:
    """One item of a bulk create: its fields and variants (None: a default variant)."""

    fields: dict
    variants: Sequence[VariantSpec] | None = None


@transaction.atomic(savepoint=False)
def create_items(*, company, items: Sequence[NewItem]) -> list[Item]:
    """Create many items with their variants in a few set-based queries whatever their
    number: SKUs, UPCs and platform ids are checked against the live rows and each other
    at once. A refusal's `index` names the item."""
    now = timezone.now()
    built: list[tuple[Item, list[tuple[Variant, str]]]] = []
    for index, new in enumerate(items):
        item = Item(company=company, rootfi_created_at=now, rootfi_updated_at=now)
        _apply(item, new.fields, ITEM_FIELDS)
        item.platform_id = item.platform_id or Item.new_platform_id()
        specs = list(new.variants or [])
        if not specs:
            specs = [
                VariantSpec({"name": "Default", "sku": item.sku, "price": item.price}, path="")
            ]
        variants = []
        for spec in specs:
            if spec.rootfi_id is not None:
                raise UnknownVariant(
                    "A new item's variants cannot name existing ones.",
                    field=f"{spec.path}.rootfi_id",
                    index=index,
                )
            variant = Variant(company=company, rootfi_created_at=now, rootfi_updated_at=now)
            _apply(variant, spec.fields, VARIANT_FIELDS)
            variant.platform_id = variant.platform_id or Variant.new_platform_id()
            variant.gtin = gtin14(variant.upc)
            variants.append((variant, f"{spec.path}." if spec.path else ""))
        built.append((item, variants))
    _check_unique_bulk(company, built)
    new_variants = []
    for item, variants in built:
        for variant, _ in variants:
            variant.item = item
            new_variants.append(variant)
    insert_catalog(items=[item for item, _ in built], variants=new_variants)
    for item, variants in built:
        item.live_variants = [variant for variant, _ in variants]  # as selectors.items renders
    return [item for item, _ in built]


def insert_catalog(*, items: Sequence[Item] = (), variants: Sequence[Variant] = ()) -> None:
    """Write new items, then new variants (of those items or of existing ones), in a few
    set-based statements whatever their number (a staging table and COPY on PostgreSQL for
    thousands); each object learns its id. Uniqueness is the caller's to check first
    (`_check_unique_bulk`): a clash here is an IntegrityError, never a silent skip."""
    for model, objs in ((Item, items), (Variant, variants)):
        if model is Variant:  # of items that learnt their ids just now
            for variant in variants:
                if Variant.item.is_cached(variant):
                    variant.item_id = variant.item.pk
        by_platform_id = {obj.platform_id: obj for obj in objs}
        written = insert_returning(model, objs, ("id", "platform_id"), skip_conflicts=False)
        for pk, platform_id in written:
            obj = by_platform_id[platform_id]
            obj.pk = pk
            obj._state.adding, obj._state.db = False, "default"


def update_catalog(
    *,
    items: Sequence[Item] = (),
    item_fields: Sequence[str] = (),
    variants: Sequence[Variant] = (),
    variant_fields: Sequence[str] = (),
) -> None:
    """Write the named fields of many changed items and variants, a statement a thousand."""
    update_rows(Item, items, item_fields)
    update_rows(Variant, variants, variant_fields)


def _check_unique_bulk(company, built) -> None:
    """The uniqueness `_check_unique` holds for one row, for a whole request: two queries."""
    claims = []  # (model, name, value, index, field path)
    for index, (item, variants) in enumerate(built):
        claims += [(Item, n, getattr(item, n), index, n) for n in ("platform_id", "sku")]
        for variant, prefix in variants:
            claims += [
                (Variant, "platform_id", variant.platform_id, index, f"{prefix}platform_id"),
                (Variant, "sku", variant.sku, index, f"{prefix}sku"),
                (Variant, "gtin", variant.gtin, index, f"{prefix}upc"),
            ]
    claims = [c for c in claims if c[2]]
    taken = set()
    for model in (Item, Variant):
        names = {c[1] for c in claims if c[0] is model}
        query = Q()
        for name in names:
            query |= Q(**{f"{name}__in": {c[2] for c in claims if c[0] is model and c[1] == name}})
        if query:
            live = model.objects.live().filter(company=company).filter(query)
            for row in live.values(*names):
                taken.update((model, name, row[name]) for name in names)
    seen = set()
    for model, name, value, index, path in claims:
        key = (model, name, value)
        if key in taken or key in seen:
            shown = "upc" if name == "gtin" else name
            raise DuplicateValue(
                f"Another {model.__name__.lower()} already has {shown} {value!r}.",
                field=path,
                index=index,
                **{shown: value},
            )
        seen.add(key)


def _match(existing: list[Variant], spec: VariantSpec) -> Variant | None:
    if spec.rootfi_id is not None:
        for variant in existing:
            if variant.pk == spec.rootfi_id:
                return variant
        raise UnknownVariant(
            f"The item has no variant {spec.rootfi_id}.", field=f"{spec.path}.rootfi_id"
        )
    for key in ("platform_id", "sku"):
        value = spec.fields.get(key)
        if value:
            for variant in existing:
                if getattr(variant, key) == value:
                    return variant
    return None


@transaction.atomic
def update_item(
    *,
    company,
    item: Item,
    fields: dict,
    variants: Sequence[VariantSpec] | None = None,
    on_drop,
    on_rename=None,
) -> Item:
    """Change the fields given; `variants`, when given, replaces the set: entries matched by
    rootfi_id, platform_id or sku update that variant, others are created, and live variants
    left out are deleted (`on_drop` refuses, with nothing changed, when one still holds
    stock); `on_rename(company=, variant=, now=)` follows a variant's new SKU elsewhere."""
    now = timezone.now()
    item = Item.objects.select_for_update().get(pk=item.pk)
    existing = list(item.variants.live().order_by("id"))
    old_sku, old_price = item.sku, item.price
    changed = _apply(item, fields, ITEM_FIELDS)
    if changed:
        _touch(item, now)
        _save(Item, company, item, "", fields)

    if variants is None:
        # A one-variant item whose variant mirrors it follows its SKU and price.
        if changed and len(existing) == 1 and existing[0].sku == old_sku:
            default = existing[0]
            mirrored = {}
            if "sku" in fields:
                mirrored["sku"] = item.sku
            if "price" in fields and default.price == old_price:
                mirrored["price"] = item.price
            if _apply(default, mirrored, VARIANT_FIELDS):
                _touch(default, now)
                _save(Variant, company, default, "")
                _sync_record_skus(company, default, now, on_rename)
        return item

    matched: list[tuple[Variant | None, VariantSpec]] = []
    kept: set[int] = set()
    for spec in variants:
        variant = _match([v for v in existing if v.pk not in kept], spec)
        if variant is not None:
            kept.add(variant.pk)
        matched.append((variant, spec))
    dropped = [v for v in existing if v.pk not in kept]
    _soft_delete_variants(
        company, dropped, now, "a variant left out of the item", "variants", on_drop
    )
    for variant, spec in matched:
        if variant is None:
            _new_variant(company, item, spec, now)
        elif _apply(variant, spec.fields, VARIANT_FIELDS):
            _touch(variant, now)
            _save(Variant, company, variant, f"{spec.path}.")
            _sync_record_skus(company, variant, now, on_rename)
    if dropped or any(v is None for v, _ in matched):
        _touch(item, now)
        item.save(update_fields=["rootfi_updated_at", "updated_at"])
    return item


@transaction.atomic
def delete_item(*, company, item: Item, on_drop) -> None:
    """Soft-delete an item with its variants (`on_drop` retires their stock records, or
    refuses while they hold stock)."""
    now = timezone.now()
    item = Item.objects.select_for_update().get(pk=item.pk)
    variants = list(item.variants.live())
    _soft_delete_variants(company, variants, now, f"item {item.sku or item.pk}", None, on_drop)
    item.rootfi_deleted_at = now
    _touch(item, now)
    item.save(update_fields=["rootfi_deleted_at", "rootfi_updated_at", "updated_at"])
