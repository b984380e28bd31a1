"""Receipts: the 16-digit key that opens a reporter's mailbox (docs/security/receipts.md).

- A receipt is 16 random digits from `secrets` (10^16 possibilities), shown once, never stored.
- `Reporter.receipt_hash` is Argon2id over the receipt and the optional passphrase, in the standard
  encoded form ($argon2id$v=19$m=...,t=...,p=1$salt$hash). It is computed with libsodium's
  optimised Argon2id (PyNaCl), which is 1.6x faster than the reference code on the same settings
  (docs/decisions/0007-receipt-hashing-libsodium.md); hashes that libsodium cannot read (other
  parallelism) are still verified by argon2-cffi.
- `Reporter.receipt_lookup` is HMAC-SHA256(lookup key, first 8 digits), 16 hex characters, unique
  across all agencies: a login finds at most one candidate with one indexed query and runs exactly
  one Argon2 verification. When the lookup misses, a dummy verification runs instead, so that an
  existing and a missing receipt cost the same time.
- The lookup covers only half the receipt: someone holding the database and the lookup key learns
  at most the first 8 digits of each receipt; the other 10^8 possibilities still need Argon2.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from django.conf import settings
from django.db import IntegrityError, transaction
from nacl.exceptions import InvalidkeyError
from nacl.pwhash import argon2id

from sigap.core.keyfiles import load_or_create_key
from sigap.reporters.models import Reporter

RECEIPT_DIGITS = 16
PREFIX_DIGITS = 8
_lookup_key: bytes | None = None


def _key() -> bytes:
    """The lookup key: SIGAP_RECEIPT_LOOKUP_KEY (base64) or var/receipt-lookup.key. It is not the
    Django SECRET_KEY, so that rotating that one does not lock every reporter out."""
    global _lookup_key
    if _lookup_key is None:
        env = os.environ.get("SIGAP_RECEIPT_LOOKUP_KEY")
        _lookup_key = (
            base64.b64decode(env)
            if env
            else load_or_create_key(Path(settings.VAR_DIR) / "receipt-lookup.key")
        )
    return _lookup_key


@dataclass(frozen=True)
class Hasher:
    """Argon2id with the configured cost; parallelism is always 1 (a web server's cores already
    serve other requests, and libsodium computes one lane)."""

    time_cost: int
    memory_kib: int

    def hash(self, secret: str) -> str:
        encoded = argon2id.str(secret.encode(), opslimit=self.time_cost, memlimit=self.memory_kib * 1024)
        return encoded.rstrip(b"\0").decode("ascii")

    def verify(self, encoded: str, secret: str) -> bool:
        try:
            return bool(argon2id.verify(encoded.encode("ascii"), secret.encode()))
        except InvalidkeyError:
            return False
        except Exception:  # noqa: BLE001 - an encoding libsodium does not read (e.g. parallelism 4)
            return _verify_other(encoded, secret)


def _verify_other(encoded: str, secret: str) -> bool:
    try:
        return PasswordHasher().verify(encoded, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def hasher() -> Hasher:
    params = settings.SIGAP_RECEIPT_ARGON2
    return Hasher(time_cost=params["time_cost"], memory_kib=params["memory_cost"])


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hasher().hash(new_receipt())


def new_receipt() -> str:
    return f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"


def normalize(typed: str) -> str:
    """What the reporter typed, digits only ("1234 5678-9012 3456" -> "1234567890123456")."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", typed or "") if ch.isdigit())


def group(receipt: str) -> str:
    """ "1234567890123456" -> "1234 5678 9012 3456"."""
    return " ".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


def lookup_of(receipt: str) -> str:
    return hmac.new(_key(), receipt[:PREFIX_DIGITS].encode(), hashlib.sha256).hexdigest()[:16]


def _secret(receipt: str, passphrase: str) -> str:
    # The receipt has a fixed length, so receipt + passphrase is unambiguous.
    return receipt + unicodedata.normalize("NFC", (passphrase or "").strip())


def hash_receipt(receipt: str, passphrase: str = "") -> str:
    return hasher().hash(_secret(receipt, passphrase))


@dataclass(frozen=True)
class PreparedReceipt:
    receipt: str
    lookup: str
    hash: str


def prepare_receipt(passphrase: str = "") -> PreparedReceipt:
    """Draws a receipt whose prefix no reporter holds yet and hashes it. Slow (Argon2): call it
    before opening the transaction that stores the reporter, which then may still meet a prefix
    taken meanwhile (IntegrityError on `reporter_unique_receipt_lookup`: prepare again)."""
    for _ in range(50):
        receipt = new_receipt()
        lookup = lookup_of(receipt)
        if not Reporter.objects.filter(receipt_lookup=lookup).exists():
            return PreparedReceipt(receipt=receipt, lookup=lookup, hash=hash_receipt(receipt, passphrase))
    raise RuntimeError("no free receipt prefix found; the receipt space is nearly full")


def issue_receipt(*, reporter: Reporter, passphrase: str = "") -> str:
    """Gives an existing reporter (e.g. one an operator recorded from a phone call) a receipt and
    returns it: the only time it exists in clear."""
    for _ in range(5):
        prepared = prepare_receipt(passphrase)
        try:
            with transaction.atomic():
                Reporter.objects.filter(pk=reporter.pk).update(
                    receipt_lookup=prepared.lookup, receipt_hash=prepared.hash
                )
        except IntegrityError:
            continue
        reporter.receipt_lookup, reporter.receipt_hash = prepared.lookup, prepared.hash
        return prepared.receipt
    raise RuntimeError("could not give the reporter a receipt")


def credentials_mark(encoded: str) -> str:
    """A short mark of a reporter's stored receipt hash, kept in a mailbox session: when the
    passphrase changes, the hash changes, and every session opened with the old one ends."""
    return hashlib.blake2b(encoded.encode(), digest_size=8, key=_key()).hexdigest()


def verify(encoded: str, receipt: str, passphrase: str = "") -> bool:
    return hasher().verify(encoded, _secret(receipt, passphrase))


def opens(reporter: Reporter, receipt: str, passphrase: str = "") -> bool:
    """Whether this receipt and passphrase open `reporter`'s mailbox: one Argon2 verification,
    real or dummy, so that the time taken does not tell whether the receipt's prefix was right."""
    receipt = normalize(receipt)
    if (
        len(receipt) != RECEIPT_DIGITS
        or lookup_of(receipt) != reporter.receipt_lookup
        or not reporter.receipt_hash
    ):
        verify(_dummy_hash(), receipt.rjust(RECEIPT_DIGITS, "0")[:RECEIPT_DIGITS], passphrase)
        return False
    return verify(reporter.receipt_hash, receipt, passphrase)


def find_reporter(receipt: str, passphrase: str = "") -> Reporter | None:
    """The reporter this receipt (and passphrase) opens, or None. One indexed query, then exactly
    one Argon2 verification, real or dummy: the same work whether the receipt exists or not."""
    receipt = normalize(receipt)
    if len(receipt) != RECEIPT_DIGITS:
        verify(_dummy_hash(), receipt.rjust(RECEIPT_DIGITS, "0")[:RECEIPT_DIGITS], passphrase)
        return None
    candidate = Reporter.objects.filter(receipt_lookup=lookup_of(receipt)).select_related("instansi").first()
    if candidate is None or not candidate.receipt_hash:
        verify(_dummy_hash(), receipt, passphrase)
        return None
    return candidate if verify(candidate.receipt_hash, receipt, passphrase) else None


def warm_up() -> None:
    """Computes the dummy hash ahead of the first failed login (so that it does not take twice as long)."""
    _dummy_hash()
