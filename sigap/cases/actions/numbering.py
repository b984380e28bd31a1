"""Tracking and case numbers: per agency and year, gap-free, safe under concurrency."""

from __future__ import annotations

from django.db import connection

from sigap.cases.models import Counter
from sigap.tenants.models import Instansi


def reserve(instansi: Instansi, kind: str, year: int, count: int = 1) -> int:
    """Reserves `count` numbers and returns the first, with one upsert statement (the same SQL on
    SQLite and PostgreSQL). The row it writes stays locked until the surrounding transaction
    commits, which serialises concurrent writers of one agency and keeps the numbers gap-free;
    callers reserve as late in their transaction as they can."""
    table = Counter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (instansi_id, kind, year, value) VALUES (%s, %s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (instansi_id, kind, year) DO UPDATE SET value = {table}.value + excluded.value "
            "RETURNING value",
            [instansi.pk, kind, year, count],
        )
        value = int(cursor.fetchone()[0])
    return value - count + 1


def tracking_number(instansi: Instansi, year: int, seq: int) -> str:
    return f"{instansi.code}-{year}-{seq:06d}"


def case_number(instansi: Instansi, year: int, seq: int) -> str:
    return f"{instansi.code}/K/{year}/{seq:05d}"
