"""Every write of the vault: personal keys, disclosure requests and decisions, the policy.

Atomic, `actor` keyword-only, audited; the reporter is informed on commit when the agency's policy
says so. A passphrase unlocks a private key in memory for one call only and is never stored.
"""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from sigap.audit.actions import record
from sigap.audit.chain import append
from sigap.cases.access import access_report
from sigap.cases.models import Report
from sigap.core import clock, crypto
from sigap.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from sigap.reporters.models import Reporter
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap
from sigap.vault import identity as vault_identity
from sigap.vault.access import access_identity_request, may_use_vault
from sigap.vault.errors import WrongPassphraseError
from sigap.vault.models import IdentityRequest, PersonalKey, RequestStatus, VaultPolicy
from sigap.vault.selectors import PURPOSE_REASON, PURPOSE_REFUSAL, policy_of

log = logging.getLogger(__name__)

MIN_PASSPHRASE = 12
MIN_REASON = 20
GRANT_PURPOSE = b"sigap-identity-grant:v1"
IDENTITY_FIELDS = ("identity", "contact")  # Reporter.identity_sealed, Reporter.contact_sealed


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationFailed(
            _("Choose a passphrase of at least %(n)d characters.") % {"n": MIN_PASSPHRASE},
            {"passphrase": _("Too short.")},
        )


def _unlock(key: PersonalKey, passphrase: str) -> bytes:
    try:
        return crypto.unlock_private_key(
            bytes(key.locked_private_key), passphrase, public_key=bytes(key.public_key)
        )
    except crypto.WrongPassphrase:
        raise WrongPassphraseError(_("This passphrase does not unlock your key.")) from None


def _person(actor: Actor) -> int:
    if actor.user_id is None:
        raise PermissionDenied(_("Only a person can hold a personal key."))
    return int(actor.user_id)


def _key_of(user_id: int | None) -> PersonalKey:
    key = PersonalKey.objects.filter(user_id=user_id).first() if user_id is not None else None
    if key is None:
        raise ValidationFailed(_("Set up your personal key first (Vault, Personal key)."))
    return key


# --- Personal keys -----------------------------------------------------------------------------------


@transaction.atomic
def ensure_personal_key(*, user: AbstractBaseUser, passphrase: str) -> PersonalKey:
    """The user's key pair, created (locked by `passphrase`) when they have none. When they have
    one, the passphrase must unlock it (WrongPassphraseError otherwise)."""
    existing = PersonalKey.objects.select_for_update().filter(user_id=user.pk).first()
    if existing is not None:
        _unlock(existing, passphrase)
        return existing
    _check_passphrase(passphrase)
    public_key, private_key = crypto.generate_keypair()
    key = PersonalKey.objects.create(
        user_id=user.pk,
        public_key=public_key,
        fingerprint=crypto.key_fingerprint(public_key),
        locked_private_key=crypto.lock_private_key(private_key, passphrase, public_key=public_key),
    )
    append(
        instansi_id=None,
        actor_user_id=user.pk,
        actor_label=user.get_username(),
        action="vault.key_created",
        object_type="vault.personalkey",
        object_id=str(key.pk),
        data={"fingerprint": key.fingerprint},
    )
    return key


def ensure_custodian_key(user: AbstractBaseUser, passphrase: str) -> PersonalKey:
    """For the demo loader and `sigap vault init-custodian`: the custodian's key pair."""
    return ensure_personal_key(user=user, passphrase=passphrase)


def ensure_officer_key(user: AbstractBaseUser, passphrase: str) -> PersonalKey:
    """For the demo loader: an officer's key pair, to receive disclosed identities."""
    return ensure_personal_key(user=user, passphrase=passphrase)


@transaction.atomic
def set_up_key(*, actor: Actor, passphrase: str, confirm: str) -> PersonalKey:
    if actor.user is None:
        raise PermissionDenied(_("Only a person can hold a personal key."))
    if not may_use_vault(actor):  # a key is for those who request, decide on or manage disclosures
        raise NotFound("not found")
    if passphrase != confirm:
        raise ValidationFailed(_("The two passphrases differ."), {"confirm": _("Does not match.")})
    if PersonalKey.objects.filter(user_id=_person(actor)).exists():
        raise ValidationFailed(_("You already have a personal key: change its passphrase instead."))
    key = ensure_personal_key(user=actor.user, passphrase=passphrase)
    record(actor=actor, action="vault.key_set_up", obj=key, data={"fingerprint": key.fingerprint})
    return key


@transaction.atomic
def change_passphrase(*, actor: Actor, old: str, new: str, confirm: str) -> PersonalKey:
    key = PersonalKey.objects.select_for_update().filter(user_id=_person(actor)).first()
    if key is None:
        raise ValidationFailed(_("Set up your personal key first (Vault, Personal key)."))
    if new != confirm:
        raise ValidationFailed(_("The two passphrases differ."), {"confirm": _("Does not match.")})
    _check_passphrase(new)
    private_key = _unlock(key, old)
    key.locked_private_key = crypto.lock_private_key(private_key, new, public_key=bytes(key.public_key))
    key.save(update_fields=["locked_private_key", "updated_at"])
    record(actor=actor, action="vault.passphrase_changed", obj=key, data={"fingerprint": key.fingerprint})
    return key


# --- Disclosure --------------------------------------------------------------------------------------


def _blobs(reporter: Reporter) -> dict[str, bytes]:
    found = {"identity": reporter.identity_sealed, "contact": reporter.contact_sealed}
    return {name: bytes(blob) for name, blob in found.items() if blob}


@transaction.atomic
def request_identity(*, actor: Actor, report_id: int, reason: str) -> IdentityRequest:
    """An officer asks, with a reason, to learn who sent a report."""
    report = access_report(actor, report_id, cap=Cap.IDENTITY_REQUEST)
    reporter = Reporter.objects.get(pk=report.reporter_id, instansi_id=report.instansi_id)
    if not _blobs(reporter):
        raise ValidationFailed(_("This report carries no sealed identity."))
    _key_of(actor.user_id)
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise ValidationFailed(
            _("Explain why the identity is needed (at least %(n)d characters).") % {"n": MIN_REASON},
            {"reason": _("Too short.")},
        )
    if IdentityRequest.objects.filter(
        instansi_id=report.instansi_id,
        report=report,
        requested_by_id=_person(actor),
        status=RequestStatus.PENDING,
    ).exists():
        raise ValidationFailed(_("You already asked for this identity: wait for a custodian's decision."))
    req = IdentityRequest.objects.create(
        instansi_id=report.instansi_id,
        case_id=report.case_id,
        report=report,
        requested_by_id=_person(actor),
        reason_sealed=crypto.seal(report.instansi_id, reason.encode(), purpose=PURPOSE_REASON),
    )
    record(
        actor=actor, action="identity.requested", obj=req, data={"report": report.pk, "case": report.case_id}
    )
    return req


@transaction.atomic
def approve_identity_request(*, actor: Actor, request_id: int, passphrase: str) -> IdentityRequest:
    """A custodian approves: their passphrase unlocks their private key for this call, which opens
    the content key(s) and re-seals them to the requesting officer's public key."""
    req = access_identity_request(actor, request_id, cap=Cap.IDENTITY_APPROVE, for_update=True)
    if req.status != RequestStatus.PENDING:
        raise InvalidTransition(_("This request was already decided."))
    if req.requested_by_id == actor.user_id:
        raise PermissionDenied(_("Another custodian must decide on your own request."))
    custodian = _key_of(actor.user_id)
    officer = _key_of(req.requested_by_id)
    private_key = _unlock(custodian, passphrase)
    reporter = Reporter.objects.get(pk=req.report.reporter_id, instansi_id=req.instansi_id)
    keys: dict[str, str] = {}
    for name, blob in _blobs(reporter).items():
        try:
            content_key = vault_identity.content_key_for(
                blob, private_key=private_key, fingerprint=custodian.fingerprint
            )
        except crypto.DecryptionFailed:
            raise ValidationFailed(
                _(
                    "This identity was sealed before your key existed: another custodian "
                    "must approve, or share the vault with you first."
                )
            ) from None
        keys[name] = base64.b64encode(content_key).decode()
    grant = json.dumps({"v": 1, "request": req.pk, "keys": keys}).encode()
    req.grant_sealed = crypto.seal_to_public_key(bytes(officer.public_key), grant)
    req.grant_fingerprint = officer.fingerprint
    req.status = RequestStatus.APPROVED
    req.decided_by = actor.user  # type: ignore[assignment]
    req.decided_at = clock.now()
    req.save()
    record(
        actor=actor,
        action="identity.approved",
        obj=req,
        data={
            "report": req.report_id,
            "case": req.case_id,
            "officer": req.requested_by_id,
            "fields": sorted(keys),
        },
    )
    _inform_reporter(actor=actor, req=req, kind="identity_disclosed")
    return req


@transaction.atomic
def refuse_identity_request(*, actor: Actor, request_id: int, reason: str) -> IdentityRequest:
    req = access_identity_request(actor, request_id, cap=Cap.IDENTITY_APPROVE, for_update=True)
    if req.status != RequestStatus.PENDING:
        raise InvalidTransition(_("This request was already decided."))
    if req.requested_by_id == actor.user_id:
        raise PermissionDenied(_("Another custodian must decide on your own request."))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for refusing."), {"reason": _("Required.")})
    req.status = RequestStatus.REFUSED
    req.refusal_sealed = crypto.seal(req.instansi_id, reason.encode(), purpose=PURPOSE_REFUSAL)
    req.decided_by = actor.user  # type: ignore[assignment]
    req.decided_at = clock.now()
    req.save()
    record(
        actor=actor,
        action="identity.refused",
        obj=req,
        data={"report": req.report_id, "case": req.case_id, "officer": req.requested_by_id},
    )
    return req


@transaction.atomic
def open_granted_identity(*, actor: Actor, request_id: int, passphrase: str) -> dict[str, dict[str, str]]:
    """The requesting officer opens an approved request with their own passphrase. Audited."""
    req = access_identity_request(actor, request_id, cap=Cap.IDENTITY_REQUEST, own=True)
    if req.status != RequestStatus.APPROVED or not req.grant_sealed:
        raise InvalidTransition(_("This request is not approved."))
    key = _key_of(actor.user_id)
    if key.fingerprint != req.grant_fingerprint:
        raise ValidationFailed(_("The identity was sealed to a key you no longer hold: file a new request."))
    private_key = _unlock(key, passphrase)
    grant = json.loads(crypto.open_sealed_box(private_key, bytes(req.grant_sealed)))
    if grant.get("request") != req.pk:
        raise crypto.DecryptionFailed("the grant belongs to another request")
    blobs = _blobs(Reporter.objects.get(pk=req.report.reporter_id, instansi_id=req.instansi_id))
    opened: dict[str, dict[str, str]] = {}
    for name, encoded in grant.get("keys", {}).items():
        if name in blobs:
            opened[name] = vault_identity.decrypt_identity(
                blobs[name], content_key=base64.b64decode(encoded), instansi_id=req.instansi_id
            )
    record(
        actor=actor,
        action="identity.viewed",
        obj=req,
        data={"report": req.report_id, "case": req.case_id, "fields": sorted(opened)},
    )
    return opened


def _inform_reporter(*, actor: Actor, req: IdentityRequest, kind: str) -> None:
    """Tells the reporter on commit, when the agency's policy says so and the mailbox is installed.
    `kind` is the mailbox's code of the message (`sigap.reporters.texts`): the reporter reads it in
    their page's language, not the custodian's."""
    if not policy_of(instansi_id=req.instansi_id).inform_reporter:
        record(
            actor=actor,
            action="identity.reporter_not_informed",
            obj=req,
            data={"policy": "inform_reporter=0"},
        )
        return
    try:
        from sigap.reporters import mailbox  # the reporter mailbox (integration point)

        notify = mailbox.notify_reporter
    except (ImportError, AttributeError):
        record(
            actor=actor,
            action="identity.reporter_inform_pending",
            obj=req,
            data={"reason": "no reporter mailbox installed"},
        )
        return
    record(actor=actor, action="identity.reporter_informed", obj=req, data={"kind": kind})
    report_id = req.report_id

    def send() -> None:
        # Only the reporter whose identity it is, wherever their report is now (a merge moves it to
        # another case): the other reporters of a case are never told about someone else's identity.
        try:
            report = Report.objects.select_related("case", "reporter").get(pk=report_id)
            notify(case=report.case, report=report, kind=kind)
        except Exception:  # noqa: BLE001 - the decision stands; the mailbox logs and retries its own sends
            log.exception("could not inform the reporter of identity request %s", req.pk)

    transaction.on_commit(send)


@transaction.atomic
def share_vault_with_custodians(*, actor: Actor, passphrase: str) -> int:
    """A custodian re-seals every identity of the agency to exactly the current custodians' keys
    (after a custodian enrolled or left). Returns the number of reporters updated."""
    actor.require(Cap.IDENTITY_APPROVE)
    custodian = _key_of(actor.user_id)
    private_key = _unlock(custodian, passphrase)
    keys = vault_identity.custodian_keys(actor.instansi.pk)
    wanted = {k.fingerprint for k in keys}
    changed = skipped = 0
    qs = (
        Reporter.objects.select_for_update()
        .filter(instansi_id=actor.instansi.pk)
        .exclude(identity_sealed__isnull=True, contact_sealed__isnull=True)
    )
    for reporter in qs.iterator(chunk_size=500):
        updates: dict[str, Any] = {}
        for name, blob in _blobs(reporter).items():
            if vault_identity.recipients_of(blob) == wanted:
                continue
            try:
                content_key = vault_identity.content_key_for(
                    blob, private_key=private_key, fingerprint=custodian.fingerprint
                )
            except crypto.DecryptionFailed:
                skipped += 1
                continue
            updates[f"{name}_sealed"] = vault_identity.reseal_recipients(
                blob, content_key=content_key, keys=keys
            )
        if updates:
            Reporter.objects.filter(pk=reporter.pk).update(**updates)
            changed += 1
    record(
        actor=actor,
        action="vault.shared_with_custodians",
        data={"reporters": changed, "not_sealed_to_you": skipped, "custodian_keys": sorted(wanted)},
    )
    return changed


@transaction.atomic
def set_policy(*, actor: Actor, inform_reporter: bool) -> VaultPolicy:
    actor.require(Cap.INSTANSI_MANAGE)
    policy, _created = VaultPolicy.objects.get_or_create(instansi_id=actor.instansi.pk)
    policy.inform_reporter = inform_reporter
    policy.save()
    record(actor=actor, action="vault.policy_changed", obj=policy, data={"inform_reporter": inform_reporter})
    return policy
