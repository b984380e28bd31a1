"""The web portal's one write: a reporter's submission, stored once, with a receipt.

The slow parts (Argon2 for the receipt, checking, cleaning and encrypting the evidence files) run
before the transaction, so that the per-agency number counters are locked only for the database
writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from sigap.audit.actions import record
from sigap.audit.chain import batched as audit_batch
from sigap.cases.actions.submit import new_pseudonym, submit_report
from sigap.cases.models import Report
from sigap.core import clock, crypto
from sigap.evidence.storage import PreparedEvidence, prepared_evidence, record_evidence
from sigap.intake.incoming import IncomingReport
from sigap.intake.portal.forms import TOKEN_MAX_AGE
from sigap.reporters import receipts
from sigap.reporters.mailbox import post_acknowledgement
from sigap.reporters.models import Anonymity, Reporter, SubmissionToken
from sigap.tenants.access import Actor

PURPOSE_PENDING_RECEIPT = "portal.pending_receipt"


class AlreadySubmitted(Exception):
    """This form was stored before (double click, reload, back button)."""

    def __init__(self, token_hash: str) -> None:
        super().__init__("already submitted")
        self.token_hash = token_hash


class _PrefixTaken(Exception):
    pass


@dataclass(frozen=True)
class Submitted:
    report: Report
    token_hash: str


def token_hash_of(form_token: str) -> str:
    return hashlib.sha256(f"sigap-portal:{form_token}".encode()).hexdigest()


def _purpose(token_hash: str) -> str:
    return f"{PURPOSE_PENDING_RECEIPT}:{token_hash}"


def submit_portal_report(
    *,
    actor: Actor,
    incoming: IncomingReport,
    form_token: str,
    passphrase: str = "",
    identity: dict[str, str] | None = None,
    files: Sequence[UploadedFile] = (),
    keep_metadata: bool = False,
    after_store: Callable[[Report], None] | None = None,
) -> Submitted:
    """Stores the report (through cases.actions.submit.submit_report), its reporter with a fresh
    receipt, the sealed identity (not in anonymous mode), the evidence files and the automatic
    acknowledgement, all or nothing; ``after_store(report)`` runs last inside the same transaction
    (what a channel adds to the submission), and if it fails nothing is kept, files included.
    Raises AlreadySubmitted for a form stored before, EvidenceRefused (nothing stored) for a
    refused file, VaultNotReady when an identity cannot be sealed yet."""
    token_hash = token_hash_of(form_token)
    if SubmissionToken.objects.filter(token_hash=token_hash).exists():
        raise AlreadySubmitted(token_hash)
    forget_unshown_receipts()
    identity_blob: bytes | None = None
    if incoming.anonymity != Anonymity.ANONYMOUS and identity:
        from sigap.vault.identity import seal_identity

        identity_blob = seal_identity(instansi=actor.instansi, identity=identity)
    # A refused file ends here, before anything is stored; files prepared for a submission that then
    # fails are deleted.
    uploads = prepared_evidence(instansi_id=actor.instansi.pk, uploads=files, keep_metadata=keep_metadata)
    with uploads as ready:
        return _store(
            actor=actor,
            incoming=incoming,
            token_hash=token_hash,
            passphrase=passphrase,
            identity_blob=identity_blob,
            prepared=ready,
            after_store=after_store,
        )


def _store(
    *,
    actor: Actor,
    incoming: IncomingReport,
    token_hash: str,
    passphrase: str,
    identity_blob: bytes | None,
    prepared: Sequence[PreparedEvidence],
    after_store: Callable[[Report], None] | None = None,
) -> Submitted:
    """The submission's transaction, retried when a new receipt's lookup prefix is taken."""
    for _attempt in range(5):
        receipt = receipts.prepare_receipt(passphrase)
        try:
            with transaction.atomic(), audit_batch():
                try:
                    with transaction.atomic():
                        token = SubmissionToken.objects.create(token_hash=token_hash, instansi=actor.instansi)
                except IntegrityError:
                    raise AlreadySubmitted(token_hash) from None
                try:
                    with transaction.atomic():
                        reporter = Reporter.objects.create(
                            instansi=actor.instansi,
                            pseudonym=new_pseudonym(),
                            anonymity=incoming.anonymity,
                            receipt_lookup=receipt.lookup,
                            receipt_hash=receipt.hash,
                            identity_sealed=identity_blob,
                        )
                except IntegrityError:
                    raise _PrefixTaken from None
                report = submit_report(actor=actor, incoming=incoming, reporter=reporter)
                for ready in prepared:
                    record_evidence(actor=actor, report=report, prepared=ready)
                post_acknowledgement(actor=actor, report=report)
                token.report = report
                token.receipt_sealed = crypto.seal(
                    actor.instansi.pk, receipt.receipt.encode(), purpose=_purpose(token_hash)
                )
                token.save(update_fields=["report", "receipt_sealed"])
                record(
                    actor=actor,
                    action="reporter.receipt_issued",
                    obj=reporter,
                    data={"report": report.pk, "passphrase": bool(passphrase), "files": len(prepared)},
                )
                if after_store is not None:
                    after_store(report)
            return Submitted(report=report, token_hash=token_hash)
        except _PrefixTaken:
            continue
    raise RuntimeError("could not store the report: no free receipt")


def forget_unshown_receipts() -> int:
    """Wipe the receipts that were never shown and no longer can be: their form has expired
    (TOKEN_MAX_AGE), so no second post of it can ask for them. Run at each submission; returns how
    many were wiped."""
    expired = clock.now() - dt.timedelta(seconds=TOKEN_MAX_AGE)
    return SubmissionToken.objects.filter(created_at__lt=expired, receipt_sealed__isnull=False).update(
        receipt_sealed=None
    )


@dataclass(frozen=True)
class ReceiptView:
    receipt: str | None  # None once shown
    tracking_number: str
    instansi_name: str
    instansi_id: int = 0
    case_id: int = 0


@transaction.atomic
def take_pending_receipt(*, token_hash: str, instansi_id: int | None = None) -> ReceiptView | None:
    """The receipt waiting for its one showing, which this call ends (the sealed copy is wiped);
    with `instansi_id`, only a submission to that agency (else None, and the receipt still waits)."""
    tokens = SubmissionToken.objects.select_for_update(of=("self",)).filter(token_hash=token_hash)
    if instansi_id is not None:
        tokens = tokens.filter(instansi_id=instansi_id)
    token = tokens.select_related("report", "instansi").first()
    if token is None or token.report is None:
        return None
    receipt = None
    if token.receipt_sealed:
        receipt = crypto.open_sealed(
            token.instansi_id, bytes(token.receipt_sealed), purpose=_purpose(token_hash)
        ).decode()
        token.receipt_sealed = None
        token.save(update_fields=["receipt_sealed"])
    return ReceiptView(
        receipt=receipt,
        tracking_number=token.report.tracking_number,
        instansi_name=token.instansi.name,
        instansi_id=token.instansi_id,
        case_id=token.report.case_id,
    )
