from __future__ import annotations

import base64
import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from sigap.audit.chain import verify
from sigap.audit.models import AuditEvent
from sigap.cases.content import open_content
from sigap.cases.models import Report
from sigap.core import crypto
from sigap.core.models import DataKey
from sigap.evidence import storage
from sigap.tenants.access import system_actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_key_files(settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SIGAP_MASTER_KEY", raising=False)
    monkeypatch.delenv("SIGAP_MASTER_KEY_OLD", raising=False)
    monkeypatch.delenv("SIGAP_MASTER_KEYRING_FILE", raising=False)
    settings.SIGAP_MASTER_KEY_FILE = tmp_path / "master.key"
    settings.SIGAP_EVIDENCE_DIR = tmp_path / "evidence"
    crypto.reset_caches()
    yield
    crypto.reset_caches()


def test_master_rotation_in_key_file_mode(agency_a, agency_b, submit, settings):  # type: ignore[no-untyped-def]
    ra, rb = submit(system_actor(agency_a)), submit(system_actor(agency_b))
    old_id = crypto.master_key_id()
    # A running process keeps its cached keys; simulate one that only knows the old key file.
    call_command("keys", "rotate")
    new_id = crypto.master_key_id()
    assert new_id != old_id
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {new_id}
    assert crypto.keyring_file().exists()
    crypto.reset_caches()
    for r in (ra, rb):
        r = Report.objects.get(pk=r.pk)
        assert open_content(r.instansi_id, r.content_sealed).title
    assert AuditEvent.objects.filter(action="keys.master_rotated").exists()
    call_command("keys", "retire-old")
    assert not crypto.keyring_file().exists()
    crypto.reset_caches()
    assert open_content(ra.instansi_id, Report.objects.get(pk=ra.pk).content_sealed).title
    assert verify() == []


def test_running_process_reloads_keyring(agency_a, submit):  # type: ignore[no-untyped-def]
    report = submit(system_actor(agency_a))
    crypto.master_key()  # this "process" has cached the old key
    stale_master = crypto.master_key()
    call_command("keys", "rotate")
    # the command reset this process's caches; put the stale state back as another process would hold it
    crypto.reset_caches()
    crypto._master = stale_master  # noqa: SLF001
    assert open_content(report.instansi_id, Report.objects.get(pk=report.pk).content_sealed).title


def test_rotate_with_new_key_file_in_env_mode(agency_a, submit, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    report = submit(system_actor(agency_a))
    old = crypto.master_key()
    new = secrets.token_bytes(32)
    new_file = tmp_path / "new.key"
    new_file.write_bytes(base64.b64encode(new))
    monkeypatch.setenv("SIGAP_MASTER_KEY", base64.b64encode(old).decode())
    crypto.reset_caches()
    with pytest.raises(CommandError):  # processes do not know the new key yet
        call_command("keys", "rotate", "--new-key-file", str(new_file))
    monkeypatch.setenv("SIGAP_MASTER_KEY_OLD", base64.b64encode(new).decode())  # phase 1: known everywhere
    crypto.reset_caches()
    call_command("keys", "rotate", "--new-key-file", str(new_file))
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {crypto.master_key_id(new)}
    # phase 2: the new key becomes current, the old one stays known; then the old one goes away
    monkeypatch.setenv("SIGAP_MASTER_KEY", base64.b64encode(new).decode())
    monkeypatch.setenv("SIGAP_MASTER_KEY_OLD", base64.b64encode(old).decode())
    crypto.reset_caches()
    assert open_content(report.instansi_id, Report.objects.get(pk=report.pk).content_sealed).title
    monkeypatch.delenv("SIGAP_MASTER_KEY_OLD")
    crypto.reset_caches()
    assert open_content(report.instansi_id, Report.objects.get(pk=report.pk).content_sealed).title


def test_data_key_rotation_and_reencrypt(agency_a, submit):  # type: ignore[no-untyped-def]
    report = submit(system_actor(agency_a))
    ev = storage.store_evidence(
        actor=system_actor(agency_a),
        report=report,
        upload=SimpleUploadedFile("a.txt", b"isi bukti\n"),
        keep_metadata=False,
    )
    assert crypto.blob_key_version(Report.objects.get(pk=report.pk).content_sealed) == 1
    call_command("keys", "rotate", "--data-keys")
    assert DataKey.objects.filter(instansi=agency_a, active=True).get().version == 2
    newer = submit(system_actor(agency_a))
    assert crypto.blob_key_version(Report.objects.get(pk=newer.pk).content_sealed) == 2
    # old rows still readable
    assert open_content(agency_a.pk, Report.objects.get(pk=report.pk).content_sealed).title
    call_command("keys", "rotate", "--reencrypt", "--batch-size", "1")
    assert crypto.blob_key_version(Report.objects.get(pk=report.pk).content_sealed) == 2
    ev.refresh_from_db()
    assert crypto.blob_key_version(ev.file_key_sealed) == 2
    assert b"".join(storage.iter_plaintext(ev)) == b"isi bukti\n"
    call_command("keys", "rotate", "--reencrypt")  # resumable: a second run changes nothing and fails nothing
    assert AuditEvent.objects.filter(action="keys.data_key_rotated", instansi=agency_a).exists()
    assert AuditEvent.objects.filter(action="keys.reencrypted", instansi=agency_a).exists()
    assert verify() == []


def test_reencrypt_reaches_referral_dossiers_under_the_receiving_agencys_key(agency_a, agency_b, boss_a, submit):  # type: ignore[no-untyped-def]
    from sigap.coordination.dossier import open_dossier
    from tests.coordination.conftest import refer

    referral = refer(boss_a, submit(system_actor(agency_a)).case, agency_b, "kewenangan kota")
    assert crypto.blob_key_version(bytes(referral.dossier_sealed)) == 1
    call_command("keys", "rotate", "--data-keys")
    call_command("keys", "rotate", "--reencrypt")
    referral.refresh_from_db()
    assert crypto.blob_key_version(bytes(referral.dossier_sealed)) == 2
    assert open_dossier(referral).reason == "kewenangan kota"
