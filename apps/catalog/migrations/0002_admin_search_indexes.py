"""Trigram indexes for the admin's search by item and variant name and UPC (PostgreSQL
only; see inventory 0003 for the why)."""

from django.db import migrations

TRIGRAM_INDEXES = [
    ("item_name_trgm", "catalog_item USING gin (upper(name::text) gin_trgm_ops)"),
    ("variant_name_trgm", "catalog_variant USING gin (upper(name::text) gin_trgm_ops)"),
    ("variant_upc_trgm", "catalog_variant USING gin (upper(upc::text) gin_trgm_ops)"),
]
INDEXES = [
    ("item_type", "catalog_item (type)"),
    ("item_status", "catalog_item (status)"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    wanted = list(INDEXES)
    with schema_editor.connection.cursor() as cursor:
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            wanted += TRIGRAM_INDEXES
        except Exception as error:
            print(f"\n  pg_trgm unavailable ({error}); admin search will scan.")
    for name, definition in wanted:
        table, rest = definition.split(" ", 1)
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} {rest}", params=None
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in [*INDEXES, *TRIGRAM_INDEXES]:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
