"""What a copy of the storage shows: no report text, no evidence content, no identity.

A real `sigap` process (subprocess, its own SIGAP_VAR_DIR) migrates a file-based database and writes
a report, an evidence file, a sealed identity, a disclosure request and a mailbox message, each
carrying a marker; then the raw bytes of everything it wrote (database, WAL, evidence folder) are
searched for the markers. On PostgreSQL the same is checked against `pg_dump` output.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MARKER = "PENANDA-UJI-ATREST-5521"
MARKERS = [MARKER, MARKER + "-IDENTITAS", MARKER + "-BUKTI", MARKER + "-ALASAN", MARKER + "-PESAN"]
PG_BASE = "postgres://postgres@127.0.0.1:5432"

WRITER = f"""
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from sigap.cases.actions.submit import submit_report
from sigap.cases.content import ReportContent
from sigap.evidence.storage import store_evidence
from sigap.intake.incoming import IncomingReport
from sigap.reporters.models import Reporter
from sigap.tenants.access import actor_for, system_actor
from sigap.tenants.models import Instansi, Membership
from sigap.vault import actions
from sigap.vault.identity import seal_identity

inst = Instansi.objects.create(kind="provinsi", name="Provinsi Uji", slug="prov-uji", code="UJI")
User = get_user_model()
custodian = User.objects.create_user(username="kustodian", password="x-123456789")
Membership.objects.create(user=custodian, instansi=inst, role="custodian")
actions.ensure_custodian_key(custodian, "frasa-sandi-kustodian")
officer = User.objects.create_user(username="penelaah", password="x-123456789")
Membership.objects.create(user=officer, instansi=inst, role="penelaah")
actions.ensure_officer_key(officer, "frasa-sandi-petugas")
system = system_actor(inst)
report = submit_report(actor=system, incoming=IncomingReport(channel="web", anonymity="confidential",
    content=ReportContent(title="Laporan {MARKER}", what="Uraian {MARKER} tentang pungutan liar")))
Reporter.objects.filter(pk=report.reporter_id).update(
    identity_sealed=seal_identity(instansi=inst, identity={{"name": "{MARKERS[1]}"}}))
store_evidence(actor=system, report=report, keep_metadata=False,
    upload=SimpleUploadedFile("{MARKERS[2]}.txt", ("isi bukti {MARKERS[2]}\\n" * 200).encode()))
req = actions.request_identity(actor=actor_for(officer, inst), report_id=report.pk,
    reason="Alasan permintaan {MARKERS[3]} untuk klarifikasi")
actions.approve_identity_request(actor=actor_for(custodian, inst), request_id=req.pk,
    passphrase="frasa-sandi-kustodian")
try:
    from sigap.reporters.mailbox import notify_reporter
    notify_reporter(case=report.case, kind="question", text="Pertanyaan {MARKERS[4]}")
except ImportError:
    pass
print("WRITTEN", report.pk)
"""


def _env(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIGAP_", "DATABASE_URL"))}
    env.update(
        {
            "SIGAP_VAR_DIR": str(var_dir),
            "SIGAP_VAULT_KDF": "interactive",
            "DJANGO_SETTINGS_MODULE": "sigap.settings",
            "SIGAP_LOG_LEVEL": "WARNING",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _sigap(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "sigap.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _write_everything(env: dict[str, str]) -> None:
    _sigap(env, "migrate", "--verbosity", "0")
    out = _sigap(env, "shell", "-c", WRITER)
    assert "WRITTEN" in out
    _sigap(env, "triage", "run-pending")


def _assert_no_marker(blob: bytes, where: str) -> None:
    for marker in MARKERS:
        for form in (marker.encode(), marker.encode("utf-16-le"), marker.lower().encode()):
            assert form not in blob, f"{marker!r} readable in {where}"


def test_sqlite_files_and_evidence_folder_hold_no_plaintext(tmp_path: Path) -> None:
    var = tmp_path / "var"
    env = _env(var, None)
    _write_everything(env)
    db = var / "sigap.sqlite3"
    assert db.exists()
    files = [p for p in var.rglob("*") if p.is_file()]
    evidence = [p for p in files if "evidence" in p.parts]
    assert evidence, "the evidence file was not written"
    assert any(p.name.endswith("-wal") for p in files) or db.stat().st_size > 0
    for path in files:  # database, -wal, -shm, evidence, key files: everything the process wrote
        _assert_no_marker(path.read_bytes(), str(path.relative_to(var)))
    # The markers are really stored (sealed): the same process reads them back.
    check = (
        "from sigap.cases.models import Report; from sigap.cases.content import open_content; "
        "r = Report.objects.get(); print(open_content(r.instansi_id, r.content_sealed).what)"
    )
    assert MARKER in _sigap(env, "shell", "-c", check)


def _postgres_wanted() -> bool:
    return os.environ.get("SIGAP_TEST_POSTGRES") == "1" or os.environ.get("DATABASE_URL", "").startswith(
        "postgres"
    )


@pytest.mark.skipif(not _postgres_wanted(), reason="set SIGAP_TEST_POSTGRES=1 (or a postgres DATABASE_URL)")
def test_pg_dump_holds_no_plaintext(tmp_path: Path) -> None:
    import psycopg

    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    name = f"sigap_atrest_{secrets.token_hex(4)}"
    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        env = _env(tmp_path / "var", f"{PG_BASE}/{name}")
        _write_everything(env)
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "-h", "127.0.0.1", "-U", "postgres", name],
            capture_output=True,
            timeout=300,
            check=True,
        ).stdout
        assert b"reports" in dump.lower() or len(dump) > 10_000
        _assert_no_marker(dump, "pg_dump")
        for path in (tmp_path / "var").rglob("*"):
            if path.is_file():
                _assert_no_marker(path.read_bytes(), str(path))
    finally:
        with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
