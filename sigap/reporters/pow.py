"""Proof of work on the mailbox login (hashcash-style), with a wait-based fallback without JavaScript.

The server embeds a signed challenge in the login form: "<id>:<bits>:<issued>". The browser
(static/sigap/pow.js) finds a nonce such that SHA-256("<challenge>:<nonce>") starts with `bits`
zero bits and sends it with the form. Without JavaScript, the same challenge is accepted
without a nonce once SIGAP_POW_WAIT_SECONDS have passed since it was issued. Either way a
challenge works once (a spent-token row until it expires) and for at most MAX_AGE seconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction

from sigap.core import clock
from sigap.reporters.models import SpentToken

SALT = "sigap.reporters.pow"
MAX_AGE = 30 * 60


@dataclass(frozen=True)
class Outcome:
    ok: bool
    reason: str = ""  # "", "invalid", "expired", "early", "spent", "work"
    wait_seconds: int = 0


def issue(*, bits: int | None = None, now: float | None = None) -> str:
    bits = settings.SIGAP_POW_BITS if bits is None else bits
    issued = int(now if now is not None else time.time())
    return signing.dumps(f"{secrets.token_hex(8)}:{bits}:{issued}", salt=SALT, compress=False)


def leading_zero_bits(digest: bytes) -> int:
    count = 0
    for byte in digest:
        if byte == 0:
            count += 8
            continue
        return count + 8 - byte.bit_length()
    return count


def work_ok(challenge: str, nonce: str, bits: int) -> bool:
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    return leading_zero_bits(digest) >= bits


def solve(challenge: str) -> str:
    """What the browser does (used by tests and the benchmark)."""
    bits = int(signing.loads(challenge, salt=SALT).split(":")[1])
    nonce = 0
    while not work_ok(challenge, str(nonce), bits):
        nonce += 1
    return str(nonce)


def check(challenge: str, nonce: str, *, now: float | None = None, spend: bool = True) -> Outcome:
    """Validates a challenge (and nonce); when valid and `spend`, marks it used."""
    current = now if now is not None else time.time()
    try:
        _id, bits_s, issued_s = signing.loads(challenge or "", salt=SALT).split(":")
        bits, issued = int(bits_s), int(issued_s)
    except (signing.BadSignature, ValueError):
        return Outcome(False, "invalid")
    if current - issued > MAX_AGE:
        return Outcome(False, "expired")
    nonce = (nonce or "").strip()[:32]
    if nonce:
        if not work_ok(challenge, nonce, bits):
            return Outcome(False, "work")
    else:
        waited = current - issued
        needed = settings.SIGAP_POW_WAIT_SECONDS
        if waited < needed:
            return Outcome(False, "early", wait_seconds=int(needed - waited) + 1)
    if spend:
        digest = hashlib.sha256(challenge.encode()).hexdigest()
        try:
            with transaction.atomic():
                SpentToken.objects.create(
                    digest=digest, expires_at=clock.now() + dt.timedelta(seconds=MAX_AGE)
                )
        except IntegrityError:
            return Outcome(False, "spent")
        if secrets.randbelow(200) == 0:
            SpentToken.objects.filter(expires_at__lt=clock.now()).delete()
    return Outcome(True)
