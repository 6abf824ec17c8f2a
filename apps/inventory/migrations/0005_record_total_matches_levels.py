"""On PostgreSQL the database itself holds that a record's quantity is the sum of its levels:
a deferred constraint trigger checks every record whose quantity or levels changed, at
commit, when the service has written both. SQLite cannot defer a check to commit; there the
service keeps the rule and `audit_ledger` proves it."""

from django.db import migrations

UP = """
CREATE OR REPLACE FUNCTION inventory_check_record_total() RETURNS trigger AS $$
DECLARE
    rid bigint;
    stored integer;
    total bigint;
BEGIN
    IF TG_TABLE_NAME = 'inventory_stocklevel' THEN
        rid := COALESCE(NEW.record_id, OLD.record_id);
    ELSE
        rid := NEW.id;
    END IF;
    SELECT quantity INTO stored FROM inventory_inventoryrecord WHERE id = rid;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT COALESCE(SUM(on_hand), 0) INTO total FROM inventory_stocklevel WHERE record_id = rid;
    IF stored <> total THEN
        RAISE EXCEPTION 'inventory record % holds % units but its stock levels sum to %',
            rid, stored, total USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER inventory_level_total
    AFTER INSERT OR UPDATE OR DELETE ON inventory_stocklevel
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION inventory_check_record_total();
CREATE CONSTRAINT TRIGGER inventory_record_total
    AFTER INSERT OR UPDATE OF quantity ON inventory_inventoryrecord
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION inventory_check_record_total();
"""
DOWN = """
DROP TRIGGER IF EXISTS inventory_level_total ON inventory_stocklevel;
DROP TRIGGER IF EXISTS inventory_record_total ON inventory_inventoryrecord;
DROP FUNCTION IF EXISTS inventory_check_record_total();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UP, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DOWN, params=None)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0004_level_changed_index")]

    operations = [migrations.RunPython(forwards, backwards)]
