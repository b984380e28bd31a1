from __future__ import annotations

import pytest

from sigap.audit.chain import verify
from sigap.audit.models import AuditEvent
from sigap.core import crypto
from sigap.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from sigap.core.models import DataKey
from sigap.reporters.models import Reporter
from sigap.tenants.access import actor_for, system_actor
from sigap.tenants.permissions import Role
from sigap.vault import actions, identity
from sigap.vault.errors import VaultNotReady, WrongPassphraseError
from sigap.vault.models import IdentityRequest, PersonalKey, RequestStatus
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SECRET_NAME = "Siti Rahmawati Penandarahasia"
PASS_C1 = "kunci-kustodian-satu"
PASS_C2 = "kunci-kustodian-dua!"
PASS_OFF = "kunci-petugas-telaah"


@pytest.fixture
def custodians(agency_a):  # type: ignore[no-untyped-def]
    c1 = make_user(agency_a, Role.CUSTODIAN, username="kustodian1")
    c2 = make_user(agency_a, Role.CUSTODIAN, username="kustodian2")
    actions.ensure_custodian_key(c1, PASS_C1)
    actions.ensure_custodian_key(c2, PASS_C2)
    return c1, c2


@pytest.fixture
def officer(agency_a):  # type: ignore[no-untyped-def]
    user = make_user(agency_a, Role.PENELAAH, username="penelaah1")
    actions.ensure_officer_key(user, PASS_OFF)
    return actor_for(user, agency_a)


@pytest.fixture
def confidential_report(agency_a, custodians, submit):  # type: ignore[no-untyped-def]
    report = submit(system_actor(agency_a), anonymity="confidential")
    blob = identity.seal_identity(
        instansi=agency_a, identity={"name": SECRET_NAME, "phone": "0812-0000-7731"}
    )
    Reporter.objects.filter(pk=report.reporter_id).update(identity_sealed=blob)
    return report


def test_seal_and_open_with_each_of_two_custodians(agency_a, custodians):  # type: ignore[no-untyped-def]
    blob = identity.seal_identity(instansi=agency_a, identity={"name": SECRET_NAME})
    assert SECRET_NAME.encode() not in blob
    keys = {k.user_id: k for k in PersonalKey.objects.all()}
    assert identity.recipients_of(blob) == {k.fingerprint for k in keys.values()}
    for user, passphrase in zip(custodians, (PASS_C1, PASS_C2)):
        key = keys[user.pk]
        private = crypto.unlock_private_key(
            bytes(key.locked_private_key), passphrase, public_key=bytes(key.public_key)
        )
        opened = identity.open_identity(
            blob, private_key=private, fingerprint=key.fingerprint, instansi_id=agency_a.pk
        )
        assert opened == {"name": SECRET_NAME}


def test_wrong_passphrase_fails(custodians):  # type: ignore[no-untyped-def]
    key = PersonalKey.objects.get(user=custodians[0])
    with pytest.raises(crypto.WrongPassphrase):
        crypto.unlock_private_key(bytes(key.locked_private_key), PASS_C2, public_key=bytes(key.public_key))
    with pytest.raises(WrongPassphraseError):
        actions.ensure_custodian_key(custodians[0], "not the passphrase")


def test_no_custodian_key_refuses_softly(agency_b):  # type: ignore[no-untyped-def]
    assert not identity.can_seal_identity(instansi=agency_b)
    with pytest.raises(VaultNotReady):
        identity.seal_identity(instansi=agency_b, identity={"name": "x"})


def test_other_agency_custodian_not_a_recipient(agency_a, agency_b, custodians):  # type: ignore[no-untyped-def]
    other = make_user(agency_b, Role.CUSTODIAN)
    actions.ensure_custodian_key(other, "kunci-kustodian-b-123")
    blob = identity.seal_identity(instansi=agency_a, identity={"name": SECRET_NAME})
    assert PersonalKey.objects.get(user=other).fingerprint not in identity.recipients_of(blob)


def test_short_passphrase_refused(agency_a):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed):
        actions.ensure_custodian_key(make_user(agency_a, Role.CUSTODIAN), "pendek")


def test_full_disclosure_flow_audited(agency_a, custodians, officer, confidential_report):  # type: ignore[no-untyped-def]
    req = actions.request_identity(
        actor=officer,
        report_id=confidential_report.pk,
        reason="Perlu klarifikasi langsung dengan pelapor untuk telaah.",
    )
    # Before approval the officer cannot open anything.
    with pytest.raises(InvalidTransition):
        actions.open_granted_identity(actor=officer, request_id=req.pk, passphrase=PASS_OFF)
    custodian = actor_for(custodians[0], agency_a)
    with pytest.raises(WrongPassphraseError):
        actions.approve_identity_request(actor=custodian, request_id=req.pk, passphrase=PASS_OFF)
    actions.approve_identity_request(actor=custodian, request_id=req.pk, passphrase=PASS_C1)
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED and SECRET_NAME.encode() not in bytes(req.grant_sealed)
    with pytest.raises(WrongPassphraseError):
        actions.open_granted_identity(actor=officer, request_id=req.pk, passphrase=PASS_C1)
    opened = actions.open_granted_identity(actor=officer, request_id=req.pk, passphrase=PASS_OFF)
    assert opened["identity"]["name"] == SECRET_NAME
    trail = list(
        AuditEvent.objects.filter(object_type="vault.identityrequest", object_id=str(req.pk)).values_list(
            "action", flat=True
        )
    )
    assert (
        trail[0] == "identity.requested" and "identity.approved" in trail and trail[-1] == "identity.viewed"
    )
    assert any(a.startswith("identity.reporter_") for a in trail)
    assert not any(SECRET_NAME in str(e.data) for e in AuditEvent.objects.all())
    assert verify() == []
    with pytest.raises(InvalidTransition):
        actions.approve_identity_request(
            actor=actor_for(custodians[1], agency_a), request_id=req.pk, passphrase=PASS_C2
        )


def test_refusal_audited_and_no_grant(agency_a, custodians, officer, confidential_report):  # type: ignore[no-untyped-def]
    req = actions.request_identity(
        actor=officer,
        report_id=confidential_report.pk,
        reason="Perlu klarifikasi langsung dengan pelapor untuk telaah.",
    )
    actions.refuse_identity_request(
        actor=actor_for(custodians[1], agency_a),
        request_id=req.pk,
        reason="Tidak perlu: laporan sudah lengkap.",
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.REFUSED and not req.grant_sealed
    assert AuditEvent.objects.filter(action="identity.refused", object_id=str(req.pk)).exists()
    with pytest.raises(InvalidTransition):
        actions.open_granted_identity(actor=officer, request_id=req.pk, passphrase=PASS_OFF)


def test_other_officer_cannot_open_someone_elses_grant(agency_a, custodians, officer, confidential_report):  # type: ignore[no-untyped-def]
    req = actions.request_identity(
        actor=officer,
        report_id=confidential_report.pk,
        reason="Perlu klarifikasi langsung dengan pelapor untuk telaah.",
    )
    actions.approve_identity_request(
        actor=actor_for(custodians[0], agency_a), request_id=req.pk, passphrase=PASS_C1
    )
    colleague = make_user(agency_a, Role.SUPERVISOR)
    actions.ensure_officer_key(colleague, "kunci-rekan-kerja-1")
    with pytest.raises(NotFound):
        actions.open_granted_identity(
            actor=actor_for(colleague, agency_a), request_id=req.pk, passphrase="kunci-rekan-kerja-1"
        )


def test_custodian_of_other_agency_gets_404(agency_a, agency_b, custodians, officer, confidential_report):  # type: ignore[no-untyped-def]
    req = actions.request_identity(
        actor=officer,
        report_id=confidential_report.pk,
        reason="Perlu klarifikasi langsung dengan pelapor untuk telaah.",
    )
    other = make_user(agency_b, Role.CUSTODIAN)
    actions.ensure_custodian_key(other, "kunci-kustodian-b-123")
    actor_b = actor_for(other, agency_b)
    with pytest.raises(NotFound):
        actions.approve_identity_request(actor=actor_b, request_id=req.pk, passphrase="kunci-kustodian-b-123")
    with pytest.raises(NotFound):
        actions.refuse_identity_request(actor=actor_b, request_id=req.pk, reason="x")
    assert IdentityRequest.objects.get(pk=req.pk).status == RequestStatus.PENDING


def test_officer_cannot_approve_and_custodian_cannot_self_approve(
    agency_a, custodians, officer, confidential_report
):  # type: ignore[no-untyped-def]
    req = actions.request_identity(
        actor=officer,
        report_id=confidential_report.pk,
        reason="Perlu klarifikasi langsung dengan pelapor untuk telaah.",
    )
    with pytest.raises(NotFound):
        actions.approve_identity_request(actor=officer, request_id=req.pk, passphrase=PASS_OFF)
    both = make_user(agency_a, Role.CUSTODIAN, Role.PENELAAH)
    actions.ensure_officer_key(both, "kunci-ganda-12345")
    # The identity was sealed before this custodian enrolled: approving is not possible with their key ...
    own = actions.request_identity(
        actor=actor_for(both, agency_a),
        report_id=confidential_report.pk,
        reason="Perlu klarifikasi langsung dengan pelapor untuk telaah.",
    )
    with pytest.raises(PermissionDenied):
        actions.approve_identity_request(
            actor=actor_for(both, agency_a), request_id=own.pk, passphrase="kunci-ganda-12345"
        )


def test_request_needs_capability_and_reason(agency_a, custodians, confidential_report, actor_of):  # type: ignore[no-untyped-def]
    analyst = actor_of(agency_a, Role.ANALYST)
    with pytest.raises(NotFound):
        actions.request_identity(actor=analyst, report_id=confidential_report.pk, reason="x" * 40)
    officer = actor_of(agency_a, Role.VERIFIKATOR)
    with pytest.raises(ValidationFailed):  # no personal key yet
        actions.request_identity(actor=officer, report_id=confidential_report.pk, reason="x" * 40)
    actions.ensure_officer_key(officer.user, "kunci-verifikator-1")
    with pytest.raises(ValidationFailed):
        actions.request_identity(actor=officer, report_id=confidential_report.pk, reason="short")


def test_cross_agency_officer_cannot_request(agency_b, confidential_report, actor_of):  # type: ignore[no-untyped-def]
    officer_b = actor_of(agency_b, Role.SUPERVISOR)
    actions.ensure_officer_key(officer_b.user, "kunci-petugas-b-123")
    with pytest.raises(NotFound):
        actions.request_identity(actor=officer_b, report_id=confidential_report.pk, reason="x" * 40)


def test_share_vault_with_new_custodian(agency_a, custodians, officer, confidential_report):  # type: ignore[no-untyped-def]
    newcomer = make_user(agency_a, Role.CUSTODIAN)
    key = actions.ensure_custodian_key(newcomer, "kunci-kustodian-baru")
    reporter = Reporter.objects.get(pk=confidential_report.reporter_id)
    assert key.fingerprint not in identity.recipients_of(bytes(reporter.identity_sealed))
    assert (
        actions.share_vault_with_custodians(actor=actor_for(custodians[0], agency_a), passphrase=PASS_C1) == 1
    )
    reporter.refresh_from_db()
    assert key.fingerprint in identity.recipients_of(bytes(reporter.identity_sealed))
    req = actions.request_identity(
        actor=officer,
        report_id=confidential_report.pk,
        reason="Perlu klarifikasi langsung dengan pelapor untuk telaah.",
    )
    actions.approve_identity_request(
        actor=actor_for(newcomer, agency_a), request_id=req.pk, passphrase="kunci-kustodian-baru"
    )


def test_server_keys_alone_do_not_reveal_identity(agency_a, custodians, officer, confidential_report):  # type: ignore[no-untyped-def]
    """Every key the server holds (deployment key, all data keys, the audit key, the Django
    secret) tried against every sealed part: no identity without a passphrase."""
    from django.conf import settings

    from sigap.audit.chain import _audit_key

    req = actions.request_identity(
        actor=officer,
        report_id=confidential_report.pk,
        reason="Perlu klarifikasi langsung dengan pelapor untuk telaah.",
    )
    actions.approve_identity_request(
        actor=actor_for(custodians[0], agency_a), request_id=req.pk, passphrase=PASS_C1
    )
    req.refresh_from_db()
    server_keys = [crypto.master_key(), _audit_key()[:32], settings.SECRET_KEY.encode()[:32].ljust(32, b"\0")]
    server_keys += [crypto.unwrap_key(bytes(dk.wrapped)) for dk in DataKey.objects.all()]
    server_keys += [hashlib_key for hashlib_key in (bytes(k.public_key) for k in PersonalKey.objects.all())]
    blob = bytes(Reporter.objects.get(pk=confidential_report.reporter_id).identity_sealed)
    sealed = identity.SealedIdentity.parse(blob)
    boxes = [*sealed.recipients.values(), bytes(req.grant_sealed)]
    locked = [bytes(k.locked_private_key) for k in PersonalKey.objects.all()]
    for key in server_keys:
        assert len(key) == 32
        # as the content key
        with pytest.raises(crypto.DecryptionFailed):
            identity.decrypt_identity(blob, content_key=key, instansi_id=agency_a.pk)
        # as a private key for the sealed boxes
        for box in boxes:
            with pytest.raises(crypto.DecryptionFailed):
                crypto.open_sealed_box(key, box)
        # as a SecretBox / AEAD key over the locked private keys
        for item in locked:
            with pytest.raises(crypto.DecryptionFailed):
                crypto.aead_decrypt(key, item[len(item) - 48 - 24 :], aad=b"")
        for dk in DataKey.objects.all():
            with pytest.raises(crypto.DecryptionFailed):
                crypto.open_sealed(agency_a.pk, blob, purpose="report.content")
            assert dk.pk
    # and guessing the passphrase with server secrets fails
    key = PersonalKey.objects.get(user=custodians[0])
    for guess in ("", settings.SECRET_KEY, crypto.master_key().hex()):
        with pytest.raises(crypto.WrongPassphrase):
            crypto.unlock_private_key(bytes(key.locked_private_key), guess, public_key=bytes(key.public_key))
    assert SECRET_NAME.encode() not in blob
