"""The dashboard's out-of-stock and low-stock counts for company staff, read from an index
alone (PostgreSQL only; built CONCURRENTLY, see 0003): the partial index of 0003 holds ids,
so counting by status visited 135,000 heap rows of a million-record company (p99 ~500 ms);
this one holds the status (and the id COUNT reads) of the live records that need reorder."""

from importlib import import_module

from django.db import migrations

create = import_module("apps.inventory.migrations.0003_admin_indexes").create

INDEXES = [
    (
        "record_needs_reorder_status",
        "inventory_inventoryrecord (company_id, status, id) "
        "WHERE status IN ('low_stock', 'out_of_stock') AND rootfi_deleted_at IS NULL",
    ),
]

forwards, backwards = create(INDEXES, [])


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("inventory", "0007_setting_history_and_native_door")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
