"""Zettle's custom low-stock levels as record settings: `lowStockLevel` is the record's
`reorder_level`, `lowStockAlert` its `low_stock_alert`. Levels are per variant here, not per
location, so only the key's store (Zettle's one STORE) names them."""

from collections import defaultdict
from collections.abc import Sequence

from apps.inventory import services
from apps.locations.models import Location

from . import lookups, selectors
from .errors import invalid


def store_named(company, location_uuid, store: Location) -> Location:
    location = lookups.location(company, location_uuid, "locationUuid", store=store)
    if location.pk != store.pk:
        raise invalid(
            "locationUuid",
            "Custom low-stock levels are kept for the STORE location only.",
        )
    return location


def _variants(company, entries: Sequence[dict], prefix) -> list:
    found_products = lookups.products(company, (e["productUuid"] for e in entries))
    found_variants = lookups.variants(company, (e["variantUuid"] for e in entries))
    return [
        lookups.variant_of(
            found_products, found_variants, e["productUuid"], e["variantUuid"], prefix(i)
        )
        for i, e in enumerate(entries)
    ]


def set_levels(company, entries: Sequence[dict], *, prefix=lambda i: "") -> None:
    """Save each variant's level and alert flag; the status (and so alerts) follows in the
    same transaction. A variant without a record gets one that is tracked exactly when its
    product is."""
    pairs = _variants(company, entries, prefix)
    tracked = {item.pk: selectors.is_tracked(company, item) for item, _ in pairs}
    records = {}
    for is_trackable in (True, False):
        variants = [v for item, v in pairs if tracked[item.pk] is is_trackable]
        if variants:
            records.update(
                services.ensure_records(
                    company=company, variants=variants, is_trackable=is_trackable
                )
            )
    latest = {}  # a variant named twice keeps its last settings
    for entry, (_, variant) in zip(entries, pairs, strict=True):
        latest[variant.pk] = (entry["lowStockLevel"], entry["lowStockAlert"])
    by_setting = defaultdict(list)
    for variant_id, setting in latest.items():
        by_setting[setting].append(records[variant_id])
    for (level, alert), chosen in by_setting.items():
        services.update_settings(
            company=company,
            records=chosen,
            reorder_level=level,
            low_stock_alert=alert,
        )


def reset_levels(company, entries: Sequence[dict], *, prefix=lambda i: "") -> None:
    """Back to the defaults: no level, alert off."""
    pairs = _variants(company, entries, prefix)
    records = lookups.records_by_variant(company, (v.pk for _, v in pairs))
    if records:
        services.update_settings(
            company=company,
            records=list(records.values()),
            reorder_level=None,
            low_stock_alert=False,
        )


def _variant_settings(row) -> dict:
    level = row["reorder_level"]
    return {
        "variantUuid": str(row["variant_uuid"]),
        "customLowStockLevel": float(level) if level is not None else None,
        "lowStockAlert": row["low_stock_alert"],
    }


def location_answer(company, location: Location) -> dict:
    by_product: dict[str, list] = {}
    for row in selectors.custom_low_stock(company):
        by_product.setdefault(str(row["product_uuid"]), []).append(_variant_settings(row))
    return {
        "organizationUuid": str(company.uuid),
        "locationUuid": str(location.uuid),
        "customLowStockLevelsForProducts": [
            {"productUuid": product, "customLowStockLevelForVariants": variants}
            for product, variants in by_product.items()
        ],
    }


def product_answer(company, item) -> dict:
    return {
        "productUuid": str(item.uuid),
        "customLowStockLevelForVariants": [
            _variant_settings(row) for row in selectors.custom_low_stock(company, item=item)
        ],
    }
