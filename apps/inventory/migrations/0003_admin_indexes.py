"""Indexes the staff's admin filters, searches and counts on, PostgreSQL only.

Built CONCURRENTLY (so outside a transaction) to leave a live million-row table writable.
Trigram indexes serve the admin's case-insensitive substring search (Django renders
`icontains` as `UPPER(col::text) LIKE UPPER(%s)`, so the index is on that expression);
they need the pg_trgm extension, which is skipped with a notice when the role may not
create it. SQLite (development, tests) is small and needs none of this."""

from django.db import migrations

INDEXES = [
    # Staff see their companies' rows newest first.
    ("record_company_id", "inventory_inventoryrecord (company_id, id)"),
    # "Needs reorder": the filter, the reorder report and the dashboard's counts.
    (
        "record_needs_reorder",
        "inventory_inventoryrecord (company_id, id) "
        "WHERE status IN ('low_stock', 'out_of_stock') AND rootfi_deleted_at IS NULL",
    ),
    ("record_deleted", "inventory_inventoryrecord (id) WHERE rootfi_deleted_at IS NOT NULL"),
    ("record_untracked", "inventory_inventoryrecord (id) WHERE NOT is_trackable"),
    # The sortable columns of the changelist, newest first among equals.
    ("record_sku_id", "inventory_inventoryrecord (sku, id)"),
    ("record_quantity_id", "inventory_inventoryrecord (quantity, id)"),
    ("record_available_id", "inventory_inventoryrecord (available_quantity, id)"),
    ("record_status_id", "inventory_inventoryrecord (status, id)"),
    ("movement_external_id_any", "inventory_stockmovement (external_id) WHERE external_id <> ''"),
    ("movement_from_location", "inventory_stockmovement (from_location_id, id)"),
    ("movement_to_location", "inventory_stockmovement (to_location_id, id)"),
    ("movement_reason_id", "inventory_stockmovement (reason, id)"),
    ("movement_door_id", "inventory_stockmovement (door, id)"),
]
TRIGRAM_INDEXES = [
    ("record_sku_trgm", "inventory_inventoryrecord USING gin (upper(sku::text) gin_trgm_ops)"),
]


def has_trigram(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return True
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as error:
            print(f"\n  pg_trgm unavailable ({error}); admin search will scan.")
            return False
    return True


def create(indexes, trigram_indexes):
    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        wanted = list(indexes) + (list(trigram_indexes) if has_trigram(schema_editor) else [])
        for name, definition in wanted:
            table, rest = definition.split(" ", 1)
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} {rest}", params=None
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, _ in [*indexes, *trigram_indexes]:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}", params=None)

    return forwards, backwards


forwards, backwards = create(INDEXES, TRIGRAM_INDEXES)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("inventory", "0002_ledger_append_only")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
