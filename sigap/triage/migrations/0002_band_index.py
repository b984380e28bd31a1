from django.db import migrations

SQLITE = """CREATE TABLE triage_band (key integer NOT NULL, report_id integer NOT NULL,
PRIMARY KEY (key, report_id)) WITHOUT ROWID"""
POSTGRES = """CREATE TABLE triage_band (key bigint NOT NULL, report_id bigint NOT NULL,
PRIMARY KEY (key, report_id))"""


def create(apps, schema_editor):
    sql = SQLITE if schema_editor.connection.vendor == "sqlite" else POSTGRES
    schema_editor.execute(sql)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE triage_band")


class Migration(migrations.Migration):
    """The LSH band index of duplicate detection: one row per (band key, report). Plain SQL because the
    table is the hottest in triage and wants a clustered primary key on SQLite (WITHOUT ROWID)."""

    dependencies = [("triage", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
