"""Stream a company's inventory as rows, in constant memory.

One row per record and physical location it has a level at; a record with no level yet
gets one row with a blank `store_code` and `on_hand`, so it survives a round trip."""

import csv
import io
import json
from collections.abc import Iterable, Iterator

from ..models import InventoryRecord
from .columns import ATTRIBUTE_COLUMNS, COLUMNS, TEXT_COLUMNS, escape_cell

CHUNK = 2000

_FIELDS = (
    "item__name",
    "item__sku",
    "variant__name",
    "variant__sku",
    "variant__upc",
    "variant__attributes",
    "variant__price",
    "sku",
    "levels__location__store_code",
    "levels__on_hand",
    "quantity",
    "reserved_quantity",
    "available_quantity",
    "status",
    "reorder_level",
    "reorder_quantity",
)


def export_queryset(company, statuses: Iterable[str] = ()):
    records = InventoryRecord.objects.live().filter(company=company)
    if statuses:
        records = records.filter(status__in=list(statuses))
    return records


def rows(company, statuses: Iterable[str] = ()) -> Iterator[dict]:
    """Rows as dicts of COLUMNS; numbers as int (None when blank), the price as a string."""
    return record_rows(export_queryset(company, statuses))


def record_rows(records) -> Iterator[dict]:
    """The rows of any queryset of records (the admin's filtered list, a company)."""
    values = records.order_by("id", "levels__location_id").values_list(*_FIELDS)
    for (
        item_name,
        item_sku,
        variant_name,
        variant_sku,
        upc,
        attributes,
        variant_price,
        record_sku,
        store_code,
        on_hand,
        quantity,
        reserved,
        available,
        status,
        reorder_level,
        reorder_quantity,
    ) in values.iterator(chunk_size=CHUNK):
        attributes = attributes if isinstance(attributes, dict) else {}
        # The variant's own price: an item-level price is not part of the format, and
        # filling it in here would give the variant a price of its own on import.
        price = variant_price
        yield {
            "item": item_name,
            "item_sku": item_sku,
            "variant": variant_name,
            "sku": variant_sku or record_sku,
            "upc": upc,
            **{name: str(attributes.get(name, "")) for name in ATTRIBUTE_COLUMNS},
            "price": "" if price is None else str(price),
            "store_code": store_code or "",
            "on_hand": on_hand,
            "quantity": quantity,
            "reserved_quantity": reserved,
            "available_quantity": available,
            "status": status,
            "reorder_level": reorder_level,
            "reorder_quantity": reorder_quantity,
        }


def write_csv(row_iter: Iterable[dict], out, *, on_row=None) -> int:
    """Write CSV to `out` (anything with write(str)); text cells escaped against formulas."""
    count = 0

    def counted():
        nonlocal count
        for row in row_iter:
            yield row
            count += 1
            if on_row:
                on_row(count)

    for chunk in csv_chunks(counted()):
        out.write(chunk)
    return count


def csv_chunks(row_iter: Iterable[dict]) -> Iterator[str]:
    """The CSV text (header first) in chunks of about 1000 rows: for a file or a streamed
    HTTP response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for count, row in enumerate(row_iter, start=1):
        writer.writerow(
            [
                escape_cell(row[name]) if name in TEXT_COLUMNS else _plain(row[name])
                for name in COLUMNS
            ]
        )
        if count % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_json(row_iter: Iterable[dict], out, *, on_row=None) -> int:
    """A JSON array written as it goes, one object per line; prices as numbers."""
    out.write("[")
    count = 0
    for row in row_iter:
        row = dict(row)
        row["price"] = float(row["price"]) if row["price"] else None
        out.write(("\n" if count == 0 else ",\n") + json.dumps(row, ensure_ascii=False))
        count += 1
        if on_row:
            on_row(count)
    out.write("\n]\n" if count else "]\n")
    return count


def _plain(value) -> str:
    return "" if value is None else str(value)
