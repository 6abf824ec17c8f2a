"""What to buy: the records that need reorder (the design's one rule) with the suggested
quantity, each under its location.

A record's location here is where most of its units are (or were last) held: its stock
level with the highest on-hand, so a record stocked in two stores is bought once; a record
never stocked anywhere goes under the company's default store."""

from itertools import groupby

from django.db.models import OuterRef, Subquery

from apps.locations.models import Location

from ..models import StockLevel
from .exports import PURCHASE_HEADER, variant_label


def needing_reorder(records):
    return records.live().needing_reorder()


def with_primary_location(records):
    primary = (
        StockLevel.objects.filter(record=OuterRef("pk"))
        .order_by("-on_hand", "location_id")
        .values("location_id")[:1]
    )
    return records.annotate(primary_location_id=Subquery(primary)).select_related("item", "variant")


class LocationNames:
    """Physical locations of the companies in view, and each company's default store."""

    def __init__(self, locations):
        self.by_id = {}
        self.default_of = {}
        for location in locations:
            self.by_id[location.pk] = location
            if location.is_default:
                self.default_of[location.company_id] = location

    @classmethod
    def for_companies(cls, company_ids):
        locations = Location.objects.filter(kind=Location.Kind.STORE)
        if company_ids is not None:
            locations = locations.filter(company_id__in=company_ids)
        return cls(locations.select_related("company").order_by("company_id", "id"))

    def of(self, record) -> Location | None:
        location = self.by_id.get(record.primary_location_id)
        return location or self.default_of.get(record.company_id)


def grouped_by_location(records, names: LocationNames):
    """[(location, [record, ...]), ...] for one page of records, locations by name."""
    rows = [(names.of(r), r) for r in records]
    rows.sort(key=lambda row: (str(row[0] or ""), row[1].sku))
    return [
        (location, [record for _, record in group])
        for location, group in groupby(rows, key=lambda row: row[0])
    ]


def purchase_rows(records, names: LocationNames):
    for record in records.iterator(chunk_size=2000):
        location = names.of(record)
        yield [
            record.sku,
            record.item.name,
            variant_label(record.variant),
            location.name if location else "",
            record.suggested_reorder_quantity,
        ]


__all__ = [
    "PURCHASE_HEADER",
    "LocationNames",
    "grouped_by_location",
    "needing_reorder",
    "purchase_rows",
    "with_primary_location",
]
