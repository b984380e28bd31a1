"""Writing and verifying the audit chains.

Each event's hash is an HMAC-SHA256 (key from SIGAP_AUDIT_KEY or var/audit.key) over the event's
fields and the previous event's hash. Someone who can write to the database but does not hold
the audit key cannot forge a consistent chain: a changed, inserted or deleted row is found by
`sigap audit verify`, which names it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from sigap.audit.models import AuditChainHead, AuditEvent
from sigap.core import clock
from sigap.core.keyfiles import load_or_create_key

GENESIS = "0" * 64
_key: bytes | None = None
_batch: ContextVar[list[tuple[int | None, dict[str, Any]]] | None] = ContextVar("audit_batch", default=None)


def _audit_key() -> bytes:
    global _key
    if _key is None:
        env = os.environ.get("SIGAP_AUDIT_KEY")
        _key = base64.b64decode(env) if env else load_or_create_key(Path(settings.VAR_DIR) / "audit.key")
    return _key


def event_hash(
    *,
    chain: int,
    seq: int,
    created_at: str,
    actor_user_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    data: Any,
    prev_hash: str,
) -> str:
    payload = json.dumps(
        [chain, seq, created_at, actor_user_id, actor_label, action, object_type, object_id, data, prev_hash],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    ).encode()
    return hmac.new(_audit_key(), payload, hashlib.sha256).hexdigest()


def _hash_of(event: AuditEvent) -> str:
    return event_hash(
        chain=event.chain,
        seq=event.seq,
        created_at=event.created_at.isoformat(),
        actor_user_id=event.actor_user_id,
        actor_label=event.actor_label,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        data=event.data,
        prev_hash=event.prev_hash,
    )


def append(
    *,
    instansi_id: int | None,
    actor_user_id: int | None,
    actor_label: str,
    action: str,
    object_type: str = "",
    object_id: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Appends one event to the agency's chain. Runs inside the caller's transaction. Inside
    `batched()` the event is queued and written when the batch ends (the returned event is then
    not saved yet)."""
    row = {
        "created_at": clock.now(),
        "actor_user_id": actor_user_id,
        "actor_label": actor_label[:150],
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "data": json.loads(json.dumps(data or {}, default=str)),
    }
    queue = _batch.get()
    if queue is not None:
        queue.append((instansi_id, row))
        return AuditEvent(chain=instansi_id or 0, instansi_id=instansi_id, **row)
    return _write(instansi_id, [row])[0]


@contextmanager
def batched() -> Iterator[None]:
    """Collects the events appended inside the block and writes them, chain by chain, when the
    block ends without an error. Use it just inside an action's outermost transaction, around
    code that does not swallow database errors: the agency's chain head is then locked only at
    the end, for one insert, instead of from the first event to the commit. Nested batches join
    the outer one."""
    if _batch.get() is not None:
        yield
        return
    token = _batch.set([])
    try:
        yield
        queued = _batch.get() or []
    finally:
        _batch.reset(token)
    by_chain: dict[int | None, list[dict[str, Any]]] = {}
    for instansi_id, row in queued:
        by_chain.setdefault(instansi_id, []).append(row)
    for instansi_id in sorted(by_chain, key=lambda i: i or 0):  # one lock order: no deadlock
        append_many(by_chain[instansi_id], instansi_id=instansi_id)


def append_many(rows: list[dict[str, Any]], *, instansi_id: int | None) -> int:
    """Appends several events to one chain at once (bulk writers such as the demo generator)."""
    return len(_write(instansi_id, rows))


def _write(instansi_id: int | None, rows: list[dict[str, Any]]) -> list[AuditEvent]:
    """Writes events to one chain: locks its head, links each event to the one before, inserts
    them, moves the head. Runs inside the caller's transaction."""
    chain = instansi_id or 0
    with transaction.atomic(savepoint=False):
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(chain=chain)
        seq, prev = head.last_seq, head.last_hash
        events = []
        for row in rows:
            seq += 1
            event = AuditEvent(
                chain=chain,
                seq=seq,
                instansi_id=instansi_id,
                prev_hash=prev,
                data=json.loads(json.dumps(row.get("data", {}), default=str)),
                created_at=row.get("created_at") or clock.now(),
                actor_user_id=row.get("actor_user_id"),
                actor_label=row.get("actor_label", "system"),
                action=row["action"],
                object_type=row.get("object_type", ""),
                object_id=str(row.get("object_id", "")),
            )
            event.hash = _hash_of(event)
            prev = event.hash
            events.append(event)
        AuditEvent.objects.bulk_create(events, batch_size=2000)
        AuditChainHead.objects.filter(chain=chain).update(last_seq=seq, last_hash=prev)
    return events


@dataclass(frozen=True)
class Problem:
    chain: int
    seq: int | None
    event_id: int | None
    kind: str  # changed, inserted, deleted, truncated
    message: str


def verify(*, chain: int | None = None) -> list[Problem]:
    """Checks every chain (or one); returns the problems found, empty when the trail is intact."""
    chains = (
        [chain]
        if chain is not None
        else sorted(
            set(AuditChainHead.objects.values_list("chain", flat=True))
            | set(AuditEvent.objects.values_list("chain", flat=True).distinct())
        )
    )
    problems: list[Problem] = []
    for c in chains:
        problems.extend(_verify_chain(c))
    return problems


def _verify_chain(chain: int) -> list[Problem]:
    problems: list[Problem] = []
    expected_seq, expected_prev = 1, GENESIS
    last_seq = 0
    for event in AuditEvent.objects.filter(chain=chain).order_by("seq", "id").iterator(chunk_size=5000):
        intact = hmac.compare_digest(_hash_of(event), event.hash)
        if not intact:
            problems.append(
                Problem(
                    chain,
                    event.seq,
                    event.pk,
                    "changed",
                    f"event {event.pk} (chain {chain}, seq {event.seq}) was changed after it was written",
                )
            )
        if event.seq > expected_seq:
            problems.append(
                Problem(
                    chain,
                    expected_seq,
                    None,
                    "deleted",
                    f"events seq {expected_seq}..{event.seq - 1} of chain {chain} are missing (deleted)",
                )
            )
        elif event.seq < expected_seq:
            problems.append(
                Problem(
                    chain,
                    event.seq,
                    event.pk,
                    "inserted",
                    f"event {event.pk} repeats seq {event.seq} of chain {chain} (inserted)",
                )
            )
        elif event.prev_hash != expected_prev and intact:
            problems.append(
                Problem(
                    chain,
                    event.seq,
                    event.pk,
                    "inserted",
                    f"event {event.pk} (chain {chain}, seq {event.seq}) does not follow its "
                    "predecessor: a row was inserted or replaced before it",
                )
            )
        expected_seq, expected_prev = max(expected_seq, event.seq + 1), event.hash
        last_seq = max(last_seq, event.seq)
    head = AuditChainHead.objects.filter(chain=chain).first()
    if head is None:
        if last_seq:
            problems.append(Problem(chain, None, None, "truncated", f"chain {chain} has no head record"))
    elif head.last_seq > last_seq:
        problems.append(
            Problem(
                chain,
                last_seq + 1,
                None,
                "deleted",
                f"events seq {last_seq + 1}..{head.last_seq} at the end of chain {chain} are missing "
                "(deleted)",
            )
        )
    elif head.last_seq < last_seq or (last_seq and head.last_hash != expected_prev):
        problems.append(
            Problem(
                chain,
                last_seq,
                None,
                "inserted",
                f"chain {chain} ends after its recorded head (seq {head.last_seq}): rows were appended "
                "outside SIGAP",
            )
        )
    return problems
