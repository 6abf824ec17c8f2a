"""The file format shared by export and import: one row per inventory record and location."""

# Written by export, read by import. Import ignores the figures the service derives
# (`available_quantity`) and checks `quantity` against the `on_hand` rows.
COLUMNS = (
    "item",
    "item_sku",
    "variant",
    "sku",
    "upc",
    "size",
    "width",
    "color",
    "price",
    "store_code",
    "on_hand",
    "quantity",
    "reserved_quantity",
    "available_quantity",
    "status",
    "reorder_level",
    "reorder_quantity",
)
TEXT_COLUMNS = frozenset(
    ("item", "item_sku", "variant", "sku", "upc", "size", "width", "color", "store_code", "status")
)
# The variant attribute names the demo, the admin, the import and the export share.
SIZE, WIDTH, COLOR = "size", "width", "color"
ATTRIBUTE_COLUMNS = (SIZE, WIDTH, COLOR)

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV
# injection"); a leading apostrophe makes it text. An apostrophe itself is escaped too, so
# that reading back (strip one leading apostrophe) gives exactly what was written.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def escape_cell(value: str) -> str:
    if value and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    if value.startswith("'"):
        return value[1:]
    return value
