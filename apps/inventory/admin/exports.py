"""CSV exports, streamed so a selection of a million rows never sits in memory."""

import csv

from django.http import StreamingHttpResponse

from ..importexport.export import csv_chunks, record_rows

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


def inventory_csv(filename: str, records) -> StreamingHttpResponse:
    """Records in the import's columns (one row per record and store), streamed: an
    export can be edited and imported back."""
    response = StreamingHttpResponse(
        csv_chunks(record_rows(records.prefetch_related(None))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


PURCHASE_HEADER = ["sku", "item", "variant", "location", "suggested_reorder_quantity"]
