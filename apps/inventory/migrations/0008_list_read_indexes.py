"""Indexes in the keyset order of RootFi's filtered lists, PostgreSQL only.

A V4 list is `WHERE company_id = .. AND rootfi_deleted_at IS NULL [AND status IN ..]
ORDER BY <sort column>, id LIMIT n`, walked with `(sort column, id) > (cursor)`. An index on
(company_id, status, sort column, id) over live rows answers a page of any status by reading
that page and no more, from the first page to the last: no sort of every matching row, no
filter over the rows before the cursor. The unfiltered time orders have theirs already
(`record_updated`, `record_created`). Items list the same way by
`status` and `type` (their table is the catalog's; the indexes serve this door's reads).

Built CONCURRENTLY, so outside a transaction, as 0003 does."""

from importlib import import_module

from django.db import migrations

# The CONCURRENTLY create/drop pair of 0003, so both migrations build indexes one way.
create = import_module("apps.inventory.migrations.0003_admin_indexes").create

LIVE = "WHERE rootfi_deleted_at IS NULL"
INDEXES = [
    # The default order, rootfi_id: without it the planner walks the primary key and
    # filters by company, so the last page of a company scans every later company's rows.
    ("record_live_id", f"inventory_inventoryrecord (company_id, id) {LIVE}"),
    ("record_live_status_id", f"inventory_inventoryrecord (company_id, status, id) {LIVE}"),
    (
        "record_live_status_updated",
        f"inventory_inventoryrecord (company_id, status, rootfi_updated_at, id) {LIVE}",
    ),
    (
        "record_live_status_created",
        f"inventory_inventoryrecord (company_id, status, rootfi_created_at, id) {LIVE}",
    ),
    ("item_live_id", f"catalog_item (company_id, id) {LIVE}"),
    ("item_live_status_id", f"catalog_item (company_id, status, id) {LIVE}"),
    ("item_live_type_id", f"catalog_item (company_id, type, id) {LIVE}"),
    ("item_created", "catalog_item (company_id, rootfi_created_at, id)"),
]

forwards, backwards = create(INDEXES, [])


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("inventory", "0007_setting_history_and_native_door"),
        ("catalog", "0002_admin_search_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
