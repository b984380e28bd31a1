"""Large ids for tests: every table's next id moved past 1000, each table to its own range.

A page that renders an id as a human figure ("3.004" in Indonesian, "3,004" in English) only
breaks once ids have four digits; a fresh test database starts at 1. `start_ids_high()` moves
every table's id sequence (SQLite and PostgreSQL) so that the next rows get ids like 3004, 4004...
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection

AUTO_FIELDS = {"AutoField", "BigAutoField", "SmallAutoField"}


def start_ids_high(first: int = 3004, step: int = 1000) -> dict[str, int]:
    """Moves the sequences; returns the first id each table will give, by table name."""
    existing = set(connection.introspection.table_names())
    columns = {
        m._meta.db_table: m._meta.pk.column
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed
        and not m._meta.proxy
        and m._meta.pk is not None
        and m._meta.pk.get_internal_type() in AUTO_FIELDS
        and m._meta.db_table in existing
    }
    tables = sorted(columns)
    starts = {table: first + i * step for i, table in enumerate(tables)}
    with connection.cursor() as cursor:
        for table, start in starts.items():
            if connection.vendor == "sqlite":
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [start - 1, table])
                if cursor.rowcount == 0:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start - 1]
                    )
            elif connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, columns[table]])
                row = cursor.fetchone()
                if row and row[0]:
                    column = connection.ops.quote_name(columns[table])
                    highest = f"SELECT COALESCE(MAX({column}), 0) + 1 FROM {connection.ops.quote_name(table)}"
                    # never behind rows that exist (rows a migration wrote)
                    cursor.execute(f"SELECT setval(%s, GREATEST(%s, ({highest})), false)", [row[0], start])
            else:  # pragma: no cover
                raise NotImplementedError(connection.vendor)
    return starts
