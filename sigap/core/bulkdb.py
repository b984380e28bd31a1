"""Many rows into one table at once: COPY on PostgreSQL, one prepared INSERT for all rows elsewhere.

For bulk paths only (history imports, the duplicate index's bulk load, demo data), where the ORM's
per-object work and, on PostgreSQL, one INSERT round of binding per row are most of the time.
Table and column names come from the code, never from input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
                on_conflict: str = "") -> None:
    """Inserts `rows` (values in `columns` order) into `table`, atomically.

    `on_conflict` is the SQL for rows whose key exists ("ON CONFLICT (report_id) DO UPDATE SET
    ..."), or "" to fail on them. On PostgreSQL the rows are copied (COPY) straight into the table,
    or, with `on_conflict`, into a temporary staging table first and moved with one INSERT.
    """
    if not rows:
        return
    names = ", ".join(columns)
    if connection.vendor != "postgresql":
        values = ", ".join(["%s"] * len(columns))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({values}) {on_conflict}", rows)  # noqa: S608
        return
    with transaction.atomic():
        connection.ensure_connection()
        with connection.wrap_database_errors, connection.connection.cursor() as cursor:
            target = "sigap_staging_" + table.strip('"') if on_conflict else table
            if on_conflict:
                cursor.execute(f"CREATE TEMP TABLE {target} AS SELECT {names} FROM {table} WITH NO DATA")  # noqa: S608
            with cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            if on_conflict:
                cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {target} {on_conflict}")  # noqa: S608
                cursor.execute(f"DROP TABLE {target}")
