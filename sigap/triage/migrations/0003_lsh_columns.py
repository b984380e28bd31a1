from django.db import migrations

BANDS = 24  # sigap.triage.lib.minhash.INDEX_BANDS when this migration was written
ENTITY_KEY_FLOOR = 100 << 56  # entity keys carry band indexes 100 and up (dedup.ENTITY_KEY_BASE)


def _columns(kind: str) -> str:
    return ", ".join(f"b{i} {kind} NOT NULL" for i in range(BANDS))


def create(apps, schema_editor):
    sqlite = schema_editor.connection.vendor == "sqlite"
    if sqlite:
        schema_editor.execute(
            "CREATE TABLE triage_lsh (report_id INTEGER PRIMARY KEY, instansi_id INTEGER NOT NULL, "
            f"{_columns('INTEGER')}, sketch BLOB NOT NULL)"
        )
        schema_editor.execute(
            "CREATE TABLE triage_entity_key (key INTEGER NOT NULL, report_id INTEGER NOT NULL, "
            "PRIMARY KEY (key, report_id)) WITHOUT ROWID"
        )
    else:
        schema_editor.execute(
            "CREATE TABLE triage_lsh (report_id integer PRIMARY KEY, instansi_id integer NOT NULL, "
            f"{_columns('integer')}, sketch bytea NOT NULL) "
            "WITH (fillfactor = 100)"
        )
        schema_editor.execute(
            "CREATE TABLE triage_entity_key (key bigint NOT NULL, report_id integer NOT NULL, "
            "PRIMARY KEY (key, report_id))"
        )
    for i in range(BANDS):
        # SQLite's index entries carry the rowid (the report id) anyway; on PostgreSQL the second
        # column fits in the alignment padding of the first and allows index-only lookups.
        columns = f"b{i}" if sqlite else f"b{i}, report_id"
        schema_editor.execute(f"CREATE INDEX triage_lsh_b{i} ON triage_lsh ({columns})")
    schema_editor.execute(
        "INSERT INTO triage_entity_key (key, report_id) SELECT key, report_id FROM triage_band "
        f"WHERE key >= {ENTITY_KEY_FLOOR}"  # noqa: S608 - constants
    )
    _fill_bands(apps)
    schema_editor.execute("DROP TABLE triage_band")


def _fill_bands(apps):
    """Band rows from the signatures already stored (a deployment keeps its index)."""
    import numpy as np
    from django.db import connection

    from sigap.triage.lib import minhash

    TriageResult = apps.get_model("triage", "TriageResult")
    columns = ", ".join(f"b{i}" for i in range(BANDS))
    placeholders = ", ".join(["%s"] * (BANDS + 3))
    sql = f"INSERT INTO triage_lsh (report_id, instansi_id, {columns}, sketch) VALUES ({placeholders})"  # noqa: S608
    rows = TriageResult.objects.exclude(signature=None).values_list("report_id", "instansi_id", "signature")
    batch: list[tuple[int, int, bytes]] = []

    def flush():
        if not batch:
            return
        sigs = np.stack([minhash.signature_from_bytes(bytes(sig)) for _, _, sig in batch])
        bands = minhash.index_bands_batch(sigs)
        params = [
            (rid, iid, *[int(v) for v in row], minhash.sketch(sig))
            for (rid, iid, _), row, sig in zip(batch, bands, sigs, strict=True)
            if not minhash.is_empty(sig)
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
        batch.clear()

    for rid, iid, sig in rows.iterator(chunk_size=5000):
        batch.append((rid, iid, sig))
        if len(batch) >= 5000:
            flush()
    flush()


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE triage_lsh")
    schema_editor.execute("DROP TABLE triage_entity_key")
    schema_editor.execute(
        "CREATE TABLE triage_band (key bigint NOT NULL, report_id bigint NOT NULL, "
        "PRIMARY KEY (key, report_id))"
    )


class Migration(migrations.Migration):
    """The duplicate index becomes one row per report with its band hashes in 24 indexed columns,
    plus a small key table for entities (decision 0003, revised). Plain SQL: the same tables on
    SQLite and PostgreSQL, with a clustered entity key table on SQLite (WITHOUT ROWID)."""

    dependencies = [("triage", "0002_band_index")]
    operations = [migrations.RunPython(create, drop)]
