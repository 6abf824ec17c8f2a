"""Set-based writes for the engine's and the catalog's bulk paths, on any model.

`update_rows`: Django's `bulk_update` builds a `CASE WHEN pk = ... THEN ...` expression per
object and field and resolves each in Python: about 0.15 ms per object and field, which is
most of the time of a 100,000-row import. PostgreSQL and SQLite (3.33+) both take
`UPDATE ... FROM (VALUES ...)`, which costs a bound parameter per value instead."""

import contextlib
from collections.abc import Sequence

from django.db import connection

BATCH = 1000


def update_rows(model, objs: Sequence, fields: Sequence[str], *, batch_size: int = BATCH):
    """Write `fields` of each object to its row (by primary key); returns rows written."""
    objs = list(objs)
    if not objs:
        return 0
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return model.objects.bulk_update(objs, fields, batch_size=batch_size)
    meta = model._meta
    concrete = [meta.pk, *(meta.get_field(name) for name in fields)]
    qn = connection.ops.quote_name
    table = qn(meta.db_table)
    if vendor == "postgresql":
        placeholder = (
            "(" + ", ".join(f"CAST(%s AS {f.db_type(connection)})" for f in concrete) + ")"
        )
        aliases = ", ".join(qn(f.column) for f in concrete)
        columns = [f"v.{qn(f.column)}" for f in concrete]
    else:
        placeholder = "(" + ", ".join("%s" for _ in concrete) + ")"
        columns = [f"v.column{i + 1}" for i in range(len(concrete))]
    assignments = ", ".join(
        f"{qn(f.column)} = {column}" for f, column in zip(concrete[1:], columns[1:], strict=True)
    )
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start : start + batch_size]
            params = [
                f.get_db_prep_save(getattr(obj, f.attname), connection)
                for obj in batch
                for f in concrete
            ]
            values = ", ".join([placeholder] * len(batch))
            source = f"(VALUES {values}) AS v"
            if vendor == "postgresql":
                source += f"({aliases})"
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM {source} "
                f"WHERE {table}.{qn(meta.pk.column)} = {columns[0]}",
                params,
            )
            written += cursor.rowcount
    return written


_AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def insert_rows(
    model, objs: Sequence, *, batch_size: int = 5000, ignore_conflicts: bool = False
) -> int:
    """Insert new rows for `objs` (ids are not read back): COPY on PostgreSQL, executemany
    on SQLite. Django's bulk_create prepares and quotes each value in Python, which was most
    of the time of writing 100,000 ledger rows. With `ignore_conflicts`, rows that would
    break a unique rule are skipped (INSERT ... ON CONFLICT DO NOTHING)."""
    objs = list(objs)
    if not objs:
        return 0
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        model.objects.bulk_create(objs, batch_size=batch_size, ignore_conflicts=ignore_conflicts)
        return len(objs)
    if ignore_conflicts:
        insert_returning(model, objs, ())
        return len(objs)
    fields, rows = _rows(model, objs)
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    table = qn(model._meta.db_table)
    with connection.wrap_database_errors, connection.cursor() as cursor:
        if vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) >= batch_size:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
    return len(objs)


STAGE_ABOVE = 1000  # rows: above this, PostgreSQL inserts through a COPY-filled staging table


def insert_returning(
    model, objs: Sequence, returning: Sequence[str], *, skip_conflicts: bool = True
) -> list[tuple]:
    """Insert `objs`, skipping those that would break a unique rule (ON CONFLICT DO
    NOTHING; with `skip_conflicts=False` such a row is an IntegrityError), and answer the
    `returning` columns (attnames) of the rows inserted, one tuple each (order not kept).
    Few rows: multi-row VALUES statements. Many on PostgreSQL: COPY into a temporary table,
    then one INSERT ... SELECT, so no statement carries tens of thousands of parameters
    (splitting those took a third of a 100,000-row import)."""
    objs = list(objs)
    if not objs:
        return []
    meta, qn = model._meta, connection.ops.quote_name
    fields, rows = _rows(model, objs)
    columns = ", ".join(qn(f.column) for f in fields)
    table = qn(meta.db_table)
    answer = (
        " RETURNING " + ", ".join(qn(meta.get_field(name).column) for name in returning)
        if returning
        else ""
    )
    conflicts = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    found: list[tuple] = []
    with connection.wrap_database_errors, connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(objs) > STAGE_ABOVE:
            stage = qn(f"stage_{meta.db_table}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS "
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY {stage} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} {conflicts}{answer}"
            )
            if returning:
                found = cursor.fetchall()
            cursor.execute(f"TRUNCATE {stage}")
            return found
        # Multi-row VALUES, a few hundred rows a statement: one round trip per batch
        # instead of one per row (executemany took 6 s of a 20,000-row import).
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        rows = list(rows)
        per = max(1, min(500, 30000 // len(fields)))  # SQLite binds at most 32,766
        for start in range(0, len(rows), per):
            batch = rows[start : start + per]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(batch))} "
                f"{conflicts}{answer}",
                [value for r in batch for value in r],
            )
            if returning:
                found += cursor.fetchall()
    return found


def _rows(model, objs):
    """The inserted fields of `model` and each object's values, prepared for the database."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    converters = [_converter(f) for f in fields]
    rows = (
        tuple(
            convert(getattr(obj, f.attname)) for f, convert in zip(fields, converters, strict=True)
        )
        for obj in objs
    )
    return fields, rows


def _converter(field):
    if field.get_internal_type() in _AS_IS:
        return lambda value: value
    memo: dict = {}

    def convert(value):
        # Rows of one change share their timestamps: prepare each distinct value once.
        try:
            return memo[value]
        except (KeyError, TypeError):
            prepared = field.get_db_prep_save(value, connection)
            with contextlib.suppress(TypeError):  # an unhashable value is not memoised
                memo[value] = prepared
            return prepared

    return convert


def analyze(*models) -> None:
    """Refresh the planner's statistics of tables a command has just filled: without them
    (autovacuum off or lagging) PostgreSQL planned the next writes' primary-key lookups as
    scans of whole partial indexes (143 ms each instead of 0.06 ms)."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
