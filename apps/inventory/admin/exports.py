"""CSV exports, streamed so a selection of a million rows never sits in memory."""

import csv

from django.http import StreamingHttpResponse

STATUS_LABELS = {
    "in_stock": "In stock",
    "low_stock": "Low stock",
    "out_of_stock": "Out of stock",
    "discontinued": "Discontinued",
    "unknown": "Not tracked",
}


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def variant_label(variant) -> str:
    size, width = variant.size, variant.width
    extra = " ".join(part for part in (size, width) if part)
    name = variant.name or ""
    if name and extra and extra.casefold() not in name.casefold():
        return f"{name} ({extra})"
    return name or extra


def record_rows(queryset):
    """Every field a spreadsheet wants, one row per record."""
    for record in queryset.select_related("item", "variant").iterator(chunk_size=2000):
        yield [
            record.sku,
            record.item.name,
            variant_label(record.variant),
            record.variant.upc,
            record.quantity,
            record.reserved_quantity,
            record.available_quantity,
            record.status,
            "" if record.reorder_level is None else record.reorder_level,
            "" if record.reorder_quantity is None else record.reorder_quantity,
            record.is_trackable,
        ]


RECORD_HEADER = [
    "sku",
    "item",
    "variant",
    "upc",
    "quantity",
    "reserved",
    "available",
    "status",
    "reorder_level",
    "reorder_quantity",
    "trackable",
]
PURCHASE_HEADER = ["sku", "item", "variant", "location", "suggested_reorder_quantity"]
