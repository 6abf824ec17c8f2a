"""Set-based writes for the engine's and the catalog's bulk paths, on any model.

Both take model instances or any objects carrying the fields' attribute names (`record_id`,
not `record`): a plain row costs less to build than a model instance.

`update_rows`: Django's `bulk_update` builds a `CASE WHEN pk = ... THEN ...` expression per
object and field and resolves each in Python: about 0.15 ms per object and field, which is
most of the time of a 100,000-row import. PostgreSQL and SQLite (3.33+) both take
`UPDATE ... FROM (VALUES ...)`, which costs a bound parameter per value instead."""

import operator
from collections.abc import Sequence

from django.db import connection, transaction

BATCH = 1000


def update_rows(model, objs: Sequence, fields: Sequence[str], *, batch_size: int = BATCH):
    """Write `fields` of each object to its row (by primary key); returns rows written.
    Many rows on PostgreSQL go through a COPY-filled staging table (see insert_returning)."""
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
    rows = _prepared(concrete, objs)
    assign = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in concrete[1:])
    where = f"WHERE {table}.{qn(meta.pk.column)} = v.{qn(meta.pk.column)}"
    staged = vendor == "postgresql" and len(objs) > STAGE_ABOVE
    with _one_transaction(staged), connection.cursor() as cursor:
        if staged:
            stage = _stage(cursor, meta, concrete, rows)
            cursor.execute(f"UPDATE {table} SET {assign} FROM {stage} AS v {where}")
            written = cursor.rowcount
            cursor.execute(f"TRUNCATE {stage}")
            return written
        if vendor == "postgresql":
            placeholder = ", ".join(f"CAST(%s AS {f.db_type(connection)})" for f in concrete)
            aliases = "(" + ", ".join(qn(f.column) for f in concrete) + ")"
        else:
            placeholder = ", ".join("%s" for _ in concrete)
            aliases = ""
            assign = ", ".join(
                f"{qn(f.column)} = v.column{i + 2}" for i, f in enumerate(concrete[1:])
            )
            where = f"WHERE {table}.{qn(meta.pk.column)} = v.column1"
        rows, written = list(rows), 0
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            values = ", ".join([f"({placeholder})"] * len(batch))
            cursor.execute(
                f"UPDATE {table} SET {assign} FROM (VALUES {values}) AS v{aliases} {where}",
                [value for row in batch for value in row],
            )
            written += cursor.rowcount
    return written


def _one_transaction(staged: bool):
    """A staging table lives until commit: its statements share one transaction."""
    if staged:
        return transaction.atomic(savepoint=False)
    return connection.wrap_database_errors


def _stage(cursor, meta, fields, rows) -> str:
    """A temporary table (dropped at commit) shaped like `fields` of `meta`'s table, filled
    with `rows` by COPY; answers its quoted name. Reused, emptied, within a transaction."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    name = "stage_" + meta.db_table + "_" + "_".join(f.column for f in fields)
    stage = qn(name[:63] if len(name) <= 63 else f"stage_{abs(hash(name)):x}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS "
        f"SELECT {columns} FROM {qn(meta.db_table)} WITH NO DATA"
    )
    with cursor.cursor.copy(f"COPY {stage} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return stage


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


def insert_rows(model, objs: Sequence, *, batch_size: int = 5000) -> int:
    """Insert new rows for `objs` (ids are not read back): COPY on PostgreSQL, executemany
    on SQLite. Django's bulk_create prepares and quotes each value in Python, which was most
    of the time of writing 100,000 ledger rows. Rows that may break a unique rule, or whose
    ids are wanted, go through `insert_returning`."""
    objs = list(objs)
    if not objs:
        return 0
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        model.objects.bulk_create(objs, batch_size=batch_size)
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
    staged = connection.vendor == "postgresql" and len(objs) > STAGE_ABOVE
    with _one_transaction(staged), connection.cursor() as cursor:
        if staged:
            stage = _stage(cursor, meta, fields, rows)
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
    return fields, _prepared(fields, objs)


def _prepared(fields, objs):
    """Each object's values of `fields`, prepared for the database: read in one C call per
    object, and only the values whose type needs it (dates, JSON, decimals) converted."""
    read = operator.attrgetter(*(f.attname for f in fields))
    single = len(fields) == 1
    converting = [
        (i, _converter(f)) for i, f in enumerate(fields) if f.get_internal_type() not in _AS_IS
    ]
    for obj in objs:
        values = (read(obj),) if single else read(obj)
        if converting:
            values = list(values)
            for i, convert in converting:
                values[i] = convert(values[i])
        yield values


def _converter(field):
    prepare = field.get_db_prep_save
    if field.get_internal_type() == "JSONField":  # dicts: unhashable, nothing to memoise
        return lambda value: prepare(value, connection)
    memo: dict = {}

    def convert(value):
        # Rows of one change share their timestamps: prepare each distinct value once.
        try:
            return memo[value]
        except KeyError:
            prepared = memo[value] = prepare(value, connection)
            return prepared
        except TypeError:  # unhashable
            return prepare(value, connection)

    return convert


def analyze(*models) -> None:
    """Refresh the planner's statistics of tables a command has just filled: without them
    (autovacuum off or lagging) PostgreSQL planned the next writes' primary-key lookups as
    scans of whole partial indexes (143 ms each instead of 0.06 ms)."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
