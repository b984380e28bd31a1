"""Bulk inserts: COPY on PostgreSQL, executemany elsewhere; the same results and errors on both."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from sigap.core.bulkdb import insert_rows
from sigap.triage import index
from sigap.triage.lib.minhash import INDEX_BANDS

pytestmark = pytest.mark.django_db


def _rows() -> dict[int, tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT report_id, instansi_id, b0, b23, sketch FROM triage_lsh ORDER BY report_id")
        return {r[0]: (r[1], r[2], r[3], bytes(r[4])) for r in cursor.fetchall()}


def _row(report_id: int, value: int, sketch: bytes) -> tuple:
    return (report_id, 1, *[value] * INDEX_BANDS, sketch)


def test_rows_are_inserted_and_upserted_twice_in_one_transaction() -> None:
    with transaction.atomic():
        insert_rows(index.LSH, index.LSH_COLUMNS, [_row(1, -(2**31), b"\x00\xff"), _row(2, 7, b"")],
                    on_conflict=index.LSH_UPSERT)
        insert_rows(index.LSH, index.LSH_COLUMNS, [_row(2, 2**31 - 1, b"\\x")], on_conflict=index.LSH_UPSERT)
    assert _rows() == {1: (1, -(2**31), -(2**31), b"\x00\xff"), 2: (1, 2**31 - 1, 2**31 - 1, b"\\x")}


def test_a_bad_row_raises_a_django_error_and_inserts_nothing() -> None:
    with pytest.raises(IntegrityError):
        insert_rows(index.LSH, index.LSH_COLUMNS, [_row(3, 1, b"ok"), (4, None, *[1] * INDEX_BANDS, b"")])
    assert _rows() == {}
    insert_rows(index.LSH, index.LSH_COLUMNS, [_row(3, 1, b"ok")])  # the connection is usable again
    with pytest.raises(IntegrityError):  # no on_conflict: an existing key fails
        insert_rows(index.LSH, index.LSH_COLUMNS, [_row(3, 2, b"again")])
    assert _rows() == {3: (1, 1, 1, b"ok")}
