"""Storing and reading evidence files.

Uploads are read in chunks: the type is checked from the first bytes, the size limits while
reading (a file over the limit is abandoned and its partial output deleted), metadata is removed
unless the reporter chose to keep the original, and the result is encrypted with a random
per-file key (libsodium secretstream) whose copy sealed with the agency's data key is kept in the
database. Nothing readable is written under SIGAP_EVIDENCE_DIR.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from sigap.audit.actions import record
from sigap.cases.access import access_report
from sigap.cases.models import Report
from sigap.core import crypto
from sigap.core.errors import NotFound, SigapError
from sigap.evidence import sanitize
from sigap.evidence.models import Evidence
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap

log = logging.getLogger(__name__)

PURPOSE_NAME = "evidence.name"
SPOOL_IN_MEMORY = 4 * 1024 * 1024


class EvidenceRefused(SigapError):
    """The file is not stored; `message` is one sentence for the person who sent it."""


def purpose_file_key(storage_key: str) -> str:
    return f"evidence.filekey:{storage_key}"


def _aad(instansi_id: int, storage_key: str) -> bytes:
    return f"sigap-evidence:v1:{instansi_id}:{storage_key}".encode()


def evidence_root() -> Path:
    return Path(settings.SIGAP_EVIDENCE_DIR)


def path_of(instansi_id: int, storage_key: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{40}", storage_key):
        raise NotFound("not found")
    return evidence_root() / str(int(instansi_id)) / storage_key[:2] / storage_key


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


def clean_name(name: str) -> str:
    """The file name as sent, without folders or control characters (kept only sealed)."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c)[0] != "C")
    return base.strip()[:200] or "file"


class _Limit:
    def __init__(self, *, per_file: int, report_left: int) -> None:
        self.per_file, self.report_left, self.seen = per_file, report_left, 0

    def add(self, n: int) -> None:
        self.seen += n
        if self.seen > self.per_file:
            raise EvidenceRefused(
                _("This file is larger than %(mb)s MB: send a smaller file or split it.")
                % {"mb": _mb(self.per_file)}
            )
        if self.seen > self.report_left:
            raise EvidenceRefused(
                _("The files of one report may total at most %(mb)s MB: this file does not fit.")
                % {"mb": _mb(settings.SIGAP_MAX_REPORT_BYTES)}
            )


class _EncryptedFile:
    """Writes ciphertext to `<path>.part` (mode 0600) and renames it into place at the end; abort()
    deletes whatever was written."""

    def __init__(self, instansi_id: int, storage_key: str, file_key: bytes) -> None:
        self.path = path_of(instansi_id, storage_key)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.part = self.path.with_name(self.path.name + ".part")
        fd = os.open(self.part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.handle = os.fdopen(fd, "wb")
        self.encryptor = crypto.StreamEncryptor(file_key, aad=_aad(instansi_id, storage_key))
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.size += len(data)
        self.handle.write(self.encryptor.update(data))

    def finish(self) -> None:
        self.handle.write(self.encryptor.finish())
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.part, self.path)

    def abort(self) -> None:
        try:
            self.handle.close()
        finally:
            _delete_stored(self.path)


def _delete_stored(path: Path) -> None:
    """A stored file and its partial copy, whichever exists."""
    for p in (path.with_name(path.name + ".part"), path):
        p.unlink(missing_ok=True)


def _chunks(upload: UploadedFile) -> Iterator[bytes]:
    upload.seek(0) if hasattr(upload, "seek") else None
    for chunk in upload.chunks(crypto.STREAM_CHUNK):
        if chunk:
            yield bytes(chunk)


def _copy_file(src: BinaryIO, out: _EncryptedFile) -> None:
    src.seek(0)
    while chunk := src.read(crypto.STREAM_CHUNK):
        out.write(chunk)


def _check_actor(actor: Actor, report: Report) -> Report:
    """Intake adapters act as the agency's system actor; officers need to read the report."""
    if actor.instansi.pk != report.instansi_id:
        raise NotFound("not found")
    if actor.system:
        return report
    return access_report(actor, report.pk, cap=Cap.CASE_READ)


@dataclass(frozen=True)
class PreparedEvidence:
    """A checked, cleaned and encrypted file on disk that no Evidence row records yet."""

    instansi_id: int
    storage_key: str
    file_key: bytes
    name: str
    mime: str
    size: int
    original_size: int
    sha256: str
    original_sha256: str
    metadata_removed: bool
    keep_metadata: bool

    def discard(self) -> None:
        _delete_stored(path_of(self.instansi_id, self.storage_key))


def prepare_evidence(
    *, instansi_id: int, upload: UploadedFile, keep_metadata: bool, report_left: int
) -> PreparedEvidence:
    """Checks, cleans and encrypts one file to disk, outside any transaction: the slow part of
    storing evidence (a photo's cleaning takes a while) must not hold the locks of the transaction
    that records it. EvidenceRefused (one sentence, nothing left on disk) when the type is not
    allowed, it is damaged, or it passes the file limit or the ``report_left`` bytes."""
    limit = _Limit(per_file=int(settings.SIGAP_MAX_FILE_BYTES), report_left=report_left)
    if upload.size is not None:
        limit.add(upload.size)  # refuses at once when the declared size is already too big
        limit.seen = 0
    storage_key = secrets.token_hex(20)
    file_key = crypto.new_file_key()
    original = hashlib.sha256()
    stream = _chunks(upload)

    # The first bytes decide the type.
    head = b""
    for chunk in stream:
        head += chunk
        if len(head) >= sanitize.HEAD_BYTES:
            break
    if not head:
        raise EvidenceRefused(_("This file is empty."))
    try:
        sniffed = sanitize.sniff(head[: sanitize.HEAD_BYTES])
    except sanitize.Unacceptable as exc:
        raise EvidenceRefused(exc.message) from None

    mime = sniffed.mime
    clean = None if keep_metadata else sanitize.sanitizer_for(mime)
    out = _EncryptedFile(instansi_id, storage_key, file_key)
    try:
        if sniffed.needs_spool or clean is not None:
            with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
                for chunk in _prepend(head, stream):
                    limit.add(len(chunk))
                    original.update(chunk)
                    spool.write(chunk)
                try:
                    if sniffed.needs_spool:
                        mime = sanitize.classify_zip(spool)  # type: ignore[arg-type]
                        clean = None if keep_metadata else sanitize.sanitizer_for(mime)
                    if clean is None:
                        _copy_file(spool, out)  # type: ignore[arg-type]
                    else:
                        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, mode="w+b") as cleaned:
                            clean(spool, cleaned)  # type: ignore[arg-type]
                            _copy_file(cleaned, out)  # type: ignore[arg-type]
                except sanitize.Unacceptable as exc:
                    raise EvidenceRefused(exc.message) from None
        else:
            text_check = _TextCheck() if sniffed.family == "text" else None
            for chunk in _prepend(head, stream):
                limit.add(len(chunk))
                original.update(chunk)
                if text_check:
                    text_check.feed(chunk)
                out.write(chunk)
            if text_check:
                text_check.feed(b"", final=True)
        out.finish()
    except BaseException:
        out.abort()
        raise
    return PreparedEvidence(
        instansi_id=instansi_id,
        storage_key=storage_key,
        file_key=file_key,
        name=clean_name(upload.name or ""),
        mime=mime,
        size=out.size,
        original_size=limit.seen,
        sha256=out.digest.hexdigest(),
        original_sha256=original.hexdigest(),
        metadata_removed=clean is not None,
        keep_metadata=keep_metadata,
    )


def copy_evidence(
    *, sources: Sequence[Evidence], to_instansi_id: int
) -> tuple[list[PreparedEvidence], list[int]]:
    """Copies of stored files for another agency (a referral it accepts), outside any transaction,
    each under a new file key bound to that agency and a neutral name (a file's own name may name
    its sender). A file the reporter asked to keep as sent is cleaned now: kept for this agency,
    its hidden data would tell the other one who sent it; one of a type SIGAP cannot clean stays here.
    A copy carries its own fingerprint, never the original's. Nothing is recorded yet. Returns the
    copies and the ids of the files that could not be read or cleaned (logged by id only); on any
    other failure nothing is left on disk."""
    copies: list[PreparedEvidence] = []
    failed: list[int] = []
    try:
        for n, source in enumerate(sources, 1):
            name = f"bukti-{n}.{sanitize.EXTENSIONS.get(source.mime_type, 'bin')}"
            try:
                copies.append(_copy_one(source, to_instansi_id, name))
            except (OSError, crypto.DecryptionFailed, EvidenceRefused) as exc:
                log.warning("evidence %s not copied: %s", source.pk, type(exc).__name__)
                failed.append(source.pk)
    except BaseException:
        for copy in copies:
            copy.discard()
        raise
    return copies, failed


def _copy_one(source: Evidence, to_instansi_id: int, name: str) -> PreparedEvidence:
    if source.keep_metadata:
        if sanitize.sanitizer_for(source.mime_type) is None and source.mime_type != "text/plain":
            # kept as sent, and SIGAP cannot clean this type: its hidden data stays here
            raise EvidenceRefused("a file kept as sent that cannot be cleaned stays with its agency")
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
            for chunk in iter_plaintext(source):
                spool.write(chunk)
            size = spool.tell()
            upload = UploadedFile(file=spool, name=name, size=size)  # type: ignore[arg-type]
            cleaned = prepare_evidence(
                instansi_id=to_instansi_id, upload=upload, keep_metadata=False, report_left=size + 1
            )
            return dataclasses.replace(cleaned, original_size=cleaned.size, original_sha256=cleaned.sha256)
    storage_key, file_key = secrets.token_hex(20), crypto.new_file_key()
    out = _EncryptedFile(to_instansi_id, storage_key, file_key)
    try:
        for chunk in iter_plaintext(source):
            out.write(chunk)
        out.finish()
    except BaseException:
        out.abort()
        raise
    return PreparedEvidence(
        instansi_id=to_instansi_id,
        storage_key=storage_key,
        file_key=file_key,
        name=name,
        mime=source.mime_type,
        size=out.size,
        # The copy is its own original: the fingerprint of what the reporter sent (hidden data and
        # all) would let the other agency test a photo it suspects is the reporter's.
        original_size=out.size,
        sha256=out.digest.hexdigest(),
        original_sha256=out.digest.hexdigest(),
        metadata_removed=source.metadata_removed,
        keep_metadata=False,
    )


def room_left(report: Report | None) -> int:
    """Bytes the report's files may still take: its limit less what its stored files took when
    they were sent (all of it for a report not stored yet)."""
    if report is None:
        return int(settings.SIGAP_MAX_REPORT_BYTES)
    used = Evidence.objects.filter(instansi_id=report.instansi_id, report_id=report.pk).aggregate(
        total=Sum("original_size")
    )["total"]
    return int(settings.SIGAP_MAX_REPORT_BYTES) - int(used or 0)


@contextmanager
def prepared_evidence(
    *, instansi_id: int, uploads: Sequence[UploadedFile], keep_metadata: bool, report: Report | None = None
) -> Iterator[list[PreparedEvidence]]:
    """Files prepared before the transaction that records them, together within the limit of one
    report (of ``report`` with its stored files, or of a new report). All or none: a refused file
    discards those prepared before it, and an error inside the block (the transaction failed, the
    form was already stored) discards them all."""
    prepared: list[PreparedEvidence] = []
    try:
        left = room_left(report)
        for upload in uploads:
            try:
                prepared.append(
                    prepare_evidence(
                        instansi_id=instansi_id, upload=upload, keep_metadata=keep_metadata, report_left=left
                    )
                )
            except EvidenceRefused as exc:  # say which file, when several were sent
                if len(uploads) > 1:
                    name = (upload.name or "").rsplit("/", 1)[-1][:120]
                    problem = _("“%(name)s”: %(problem)s") % {"name": name, "problem": exc.message}
                    raise EvidenceRefused(problem) from None
                raise
            left -= prepared[-1].original_size
        yield prepared
    except BaseException:
        for p in prepared:
            p.discard()
        raise


def store_evidence(*, actor: Actor, report: Report, upload: UploadedFile, keep_metadata: bool) -> Evidence:
    """Checks, cleans, encrypts and records one file of a report. EvidenceRefused (one sentence)
    when the type is not allowed, it is damaged, or a size limit is passed."""
    report = _check_actor(actor, report)
    prepared = prepare_evidence(
        instansi_id=report.instansi_id,
        upload=upload,
        keep_metadata=keep_metadata,
        report_left=room_left(report),
    )
    try:
        return _record(actor=actor, report=report, prepared=prepared)
    except BaseException:
        prepared.discard()
        raise


def _prepend(head: bytes, rest: Iterable[bytes]) -> Iterator[bytes]:
    yield head
    yield from rest


class _TextCheck:
    """Plain text must be UTF-8 without NUL bytes, all the way through."""

    def __init__(self) -> None:
        import codecs

        self.decoder = codecs.getincrementaldecoder("utf-8")()

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        try:
            self.decoder.decode(chunk, final=final)
        except UnicodeDecodeError:
            raise EvidenceRefused(sanitize.type_refused().message) from None
        if b"\x00" in chunk:
            raise EvidenceRefused(sanitize.type_refused().message)


def record_evidence(
    *, actor: Actor, report: Report, prepared: PreparedEvidence, origin: dict[str, object] | None = None
) -> Evidence:
    """The Evidence row of a prepared file, the report's file count and the audit entry (with
    `origin`, where the file came from when it was not sent here, e.g. a referral)."""
    report = _check_actor(actor, report)
    if prepared.instansi_id != report.instansi_id:
        raise NotFound("not found")
    return _record(actor=actor, report=report, prepared=prepared, origin=origin)


@transaction.atomic
def _record(
    *, actor: Actor, report: Report, prepared: PreparedEvidence, origin: dict[str, object] | None = None
) -> Evidence:
    evidence = Evidence.objects.create(
        instansi_id=report.instansi_id,
        report=report,
        case_id=report.case_id,
        name_sealed=crypto.seal(report.instansi_id, prepared.name.encode(), purpose=PURPOSE_NAME),
        mime_type=prepared.mime,
        size=prepared.size,
        original_size=prepared.original_size,
        sha256=prepared.sha256,
        original_sha256=prepared.original_sha256,
        metadata_removed=prepared.metadata_removed,
        keep_metadata=prepared.keep_metadata,
        storage_key=prepared.storage_key,
        file_key_sealed=crypto.seal(
            report.instansi_id, prepared.file_key, purpose=purpose_file_key(prepared.storage_key)
        ),
        uploaded_by_id=actor.user_id,
    )
    count = Evidence.objects.filter(instansi_id=report.instansi_id, report_id=report.pk).count()
    Report.objects.filter(pk=report.pk, instansi_id=report.instansi_id).update(evidence_count=count)
    record(
        actor=actor,
        action="evidence.stored",
        obj=evidence,
        data={
            "report": report.pk,
            "case": report.case_id,
            "mime": prepared.mime,
            "size": prepared.size,
            "sha256": prepared.sha256,
            "metadata_removed": prepared.metadata_removed,
            "keep_metadata": prepared.keep_metadata,
            **({"origin": origin} if origin else {}),
        },
    )
    return evidence


# --- Reading ---------------------------------------------------------------------------------------------


def evidence_of_report(*, report: Report) -> list[Evidence]:
    """The report's files (descriptions only), oldest first. The caller already holds the report
    through an access check."""
    return list(
        Evidence.objects.filter(instansi_id=report.instansi_id, report_id=report.pk).order_by(
            "created_at", "pk"
        )
    )


def access_evidence(actor: Actor, evidence_id: int | str) -> Evidence:
    """The evidence when the actor may read its report; one 404 for missing and forbidden."""
    if not actor.can(Cap.CASE_READ):
        raise NotFound("not found")
    try:
        pk = int(evidence_id)
    except (TypeError, ValueError):
        raise NotFound("not found") from None
    evidence = Evidence.objects.filter(instansi_id=actor.instansi.pk, pk=pk).first()
    if evidence is None:
        raise NotFound("not found")
    access_report(actor, evidence.report_id, cap=Cap.CASE_READ)
    return evidence


def name_of(evidence: Evidence) -> str:
    return crypto.open_sealed(
        evidence.instansi_id, bytes(evidence.name_sealed), purpose=PURPOSE_NAME
    ).decode()


def download_name(evidence: Evidence) -> str:
    """A safe file name for downloads: the sent name's stem in plain characters, the extension of
    the detected type (never the sent one)."""
    stem = os.path.splitext(name_of(evidence))[0]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", unicodedata.normalize("NFKD", stem)).strip("._")[:80] or "bukti"
    return f"{stem}.{sanitize.EXTENSIONS.get(evidence.mime_type, 'bin')}"


def iter_plaintext(evidence: Evidence) -> Iterator[bytes]:
    """The stored (sanitised) content in chunks, decrypted while read."""
    file_key = crypto.open_sealed(
        evidence.instansi_id, bytes(evidence.file_key_sealed), purpose=purpose_file_key(evidence.storage_key)
    )
    with path_of(evidence.instansi_id, evidence.storage_key).open("rb") as src:
        yield from crypto.decrypt_stream(file_key, src, aad=_aad(evidence.instansi_id, evidence.storage_key))


def open_evidence(*, actor: Actor, evidence_id: int | str) -> tuple[Evidence, bytes]:
    """For officers: the evidence and its content, access-checked; audited as viewed. Views serve
    large files with iter_plaintext() instead."""
    evidence = access_evidence(actor, evidence_id)
    data = b"".join(iter_plaintext(evidence))
    record(actor=actor, action="evidence.opened", obj=evidence, data={"report": evidence.report_id})
    return evidence, data
