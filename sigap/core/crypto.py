"""The one place where SIGAP encrypts.

Key hierarchy (docs/security/keys.md):
- the deployment key (32 bytes, from SIGAP_MASTER_KEY or the key file) wraps
- one data key per agency (random 32 bytes, several versions after rotation), which encrypts
- report texts, messages and attachments with XChaCha20-Poly1305 (authenticated; the agency id
  and a purpose string are bound as associated data, so a ciphertext moved to another agency or
  field does not open). Files are encrypted with a random per-file key and libsodium's
  secretstream (XChaCha20-Poly1305 in chunks); the per-file key is sealed with the data key.
Personal keys (X25519) of custodians and officers are locked with a key derived from their own
passphrase (Argon2id, crypto_pwhash); identities are sealed to them with SealedBox.
During a rotation of the deployment key, keys unwrap with any key of the keyring (the current
key, SIGAP_MASTER_KEY_OLD and the keyring file); new wraps always use the current key.
Nothing here is home-made cryptography: libsodium (PyNaCl) does the work.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from nacl import bindings, public, secret, utils
from nacl.exceptions import CryptoError
from nacl.pwhash import argon2id

from sigap.core.keyfiles import load_or_create_key

FORMAT_V1 = 1
_HEADER = struct.Struct(">BI")  # format, data-key version
_NONCE = bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES


class DecryptionFailed(Exception):
    """The ciphertext was changed, moved, or the key is not the one that sealed it."""


class WrongPassphrase(Exception):
    """The passphrase does not unlock this personal key."""


_lock = threading.Lock()
_master: bytes | None = None
_keyring: dict[str, bytes] | None = None
_data_keys: dict[tuple[int, int], bytes] = {}
_active_version: dict[int, int] = {}
_active_checked: dict[int, float] = {}
# A process notices a new active data key version (after `sigap keys rotate --data-keys`) within this time.
ACTIVE_VERSION_TTL = 60.0


def master_key() -> bytes:
    global _master
    if _master is None:
        env = os.environ.get("SIGAP_MASTER_KEY")
        if env:
            try:
                key = base64.b64decode(env, validate=True)
            except ValueError as exc:
                raise ImproperlyConfigured("SIGAP_MASTER_KEY must be base64 of 32 random bytes.") from exc
        else:
            key = load_or_create_key(Path(settings.SIGAP_MASTER_KEY_FILE), nbytes=32)
        if len(key) != 32:
            raise ImproperlyConfigured(
                "The deployment key must be exactly 32 bytes (base64 of 32 random bytes).")
        _master = key
    return _master


def master_key_id(key: bytes | None = None) -> str:
    return hashlib.blake2b(key or master_key(), digest_size=8, person=b"sigap-master").hexdigest()


def parse_key_text(raw: bytes, *, source: str) -> bytes:
    """A deployment key as stored in a file or variable: 32 raw bytes or base64 of 32 bytes."""
    if len(raw) == 32:
        return raw
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{source} must hold 32 random bytes, raw or base64.") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{source} must hold 32 random bytes, raw or base64.")
    return key


def keyring_file() -> Path:
    """Older deployment keys, one base64 key a line (written by `sigap keys rotate`)."""
    env = os.environ.get("SIGAP_MASTER_KEYRING_FILE")
    return Path(env) if env else Path(str(settings.SIGAP_MASTER_KEY_FILE) + ".old")


def master_keyring() -> dict[str, bytes]:
    """Every deployment key this process knows, by id: the current one first, then older ones
    (SIGAP_MASTER_KEY_OLD, comma-separated base64, and the keyring file). Older keys only unwrap."""
    global _keyring
    if _keyring is None:
        ring = {master_key_id(master_key()): master_key()}
        extra = [x for x in os.environ.get("SIGAP_MASTER_KEY_OLD", "").split(",") if x.strip()]
        for item in extra:
            key = parse_key_text(item.strip().encode(), source="SIGAP_MASTER_KEY_OLD")
            ring.setdefault(master_key_id(key), key)
        path = keyring_file()
        try:
            lines = path.read_bytes().splitlines()
        except FileNotFoundError:
            lines = []
        except PermissionError as exc:
            raise ImproperlyConfigured(
                f"Cannot read the keyring file {path}: give this user read access.") from exc
        for line in lines:
            if line.strip():
                key = parse_key_text(line.strip(), source=f"the keyring file {path}")
                ring.setdefault(master_key_id(key), key)
        _keyring = ring
    return _keyring


def wrap_key(data_key: bytes, *, master: bytes | None = None) -> bytes:
    return bytes(secret.SecretBox(master or master_key()).encrypt(data_key))


def _try_unwrap(wrapped: bytes, candidates: Iterable[bytes]) -> bytes | None:
    for key in candidates:
        try:
            return bytes(secret.SecretBox(key).decrypt(wrapped))
        except CryptoError:
            continue
    return None


def unwrap_key(wrapped: bytes, *, master: bytes | None = None, master_id: str | None = None) -> bytes:
    """Opens a wrapped data key: with `master` when given, else with the keyring (the key named by
    `master_id` first). A key unknown to this process makes it re-read its keyring once (another
    process may have rotated the key file)."""
    global _master, _keyring
    wrapped = bytes(wrapped)
    if master is not None:
        found = _try_unwrap(wrapped, [master])
    else:
        found = None
        for attempt in range(2):
            ring = master_keyring()
            first = [ring[master_id]] if master_id in ring else []
            order = first + [k for i, k in ring.items() if i != master_id]
            found = _try_unwrap(wrapped, order)
            if found is not None or attempt:
                break
            with _lock:
                _master, _keyring = None, None
    if found is None:
        raise DecryptionFailed("a data key does not open with any deployment key of this process")
    return found


def reset_caches() -> None:
    """Forget cached keys (after rotation, and between tests)."""
    global _master, _keyring
    with _lock:
        _master = None
        _keyring = None
        _data_keys.clear()
        _active_version.clear()
        _active_checked.clear()


def _load_active(instansi_id: int) -> tuple[int, bytes]:
    from sigap.core.models import DataKey

    version = _active_version.get(instansi_id)
    if version is not None and time.monotonic() - _active_checked.get(instansi_id, 0.0) < ACTIVE_VERSION_TTL:
        return version, _data_keys[(instansi_id, version)]
    with transaction.atomic():
        row = DataKey.objects.filter(instansi_id=instansi_id, active=True).order_by("-version").first()
        if row is None:
            row = DataKey.objects.create(
                instansi_id=instansi_id, version=1, wrapped=wrap_key(utils.random(32)),
                master_key_id=master_key_id(), active=True,
            )
    key = _data_keys.get((instansi_id, row.version)) or unwrap_key(bytes(row.wrapped),
                                                                   master_id=row.master_key_id)
    with _lock:
        _data_keys[(instansi_id, row.version)] = key
        _active_version[instansi_id] = row.version
        _active_checked[instansi_id] = time.monotonic()
    return row.version, key


def _load_version(instansi_id: int, version: int) -> bytes:
    from sigap.core.models import DataKey

    cached = _data_keys.get((instansi_id, version))
    if cached is not None:
        return cached
    row = DataKey.objects.filter(instansi_id=instansi_id, version=version).first()
    if row is None:
        raise DecryptionFailed(f"no data key version {version} for this agency")
    key = unwrap_key(bytes(row.wrapped), master_id=row.master_key_id)
    with _lock:
        _data_keys[(instansi_id, version)] = key
    return key


def _aad(instansi_id: int, purpose: str) -> bytes:
    return f"sigap:{instansi_id}:{purpose}".encode()


def seal(instansi_id: int, plaintext: bytes, *, purpose: str) -> bytes:
    version, key = _load_active(instansi_id)
    nonce = utils.random(_NONCE)
    ciphertext = bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
        plaintext, _aad(instansi_id, purpose), nonce, key
    )
    return _HEADER.pack(FORMAT_V1, version) + nonce + ciphertext


def open_sealed(instansi_id: int, blob: bytes, *, purpose: str) -> bytes:
    blob = bytes(blob)
    if len(blob) < _HEADER.size + _NONCE:
        raise DecryptionFailed("ciphertext too short")
    fmt, version = _HEADER.unpack_from(blob)
    if fmt != FORMAT_V1:
        raise DecryptionFailed(f"unknown ciphertext format {fmt}")
    key = _load_version(instansi_id, version)
    nonce = blob[_HEADER.size:_HEADER.size + _NONCE]
    try:
        return bytes(bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
            blob[_HEADER.size + _NONCE:], _aad(instansi_id, purpose), nonce, key
        ))
    except CryptoError as exc:
        raise DecryptionFailed(
            "ciphertext does not open: changed, moved to another record, or wrong key") from exc


def seal_json(instansi_id: int, value: Any, *, purpose: str) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return seal(instansi_id, text.encode(), purpose=purpose)


def open_json(instansi_id: int, blob: bytes, *, purpose: str) -> Any:
    return json.loads(open_sealed(instansi_id, blob, purpose=purpose))


# --- Data key versions: which version sealed a blob, and re-sealing under the active version ----------


def blob_key_version(blob: bytes) -> int:
    """The data key version that sealed `blob` (from its header)."""
    blob = bytes(blob)
    if len(blob) < _HEADER.size:
        raise DecryptionFailed("ciphertext too short")
    fmt, version = _HEADER.unpack_from(blob)
    if fmt != FORMAT_V1:
        raise DecryptionFailed(f"unknown ciphertext format {fmt}")
    return int(version)


def active_key_version(instansi_id: int) -> int:
    return _load_active(instansi_id)[0]


def reseal(instansi_id: int, blob: bytes, *, purpose: str) -> bytes | None:
    """The blob sealed again under the agency's active data key version; None when it already is."""
    if blob_key_version(blob) == active_key_version(instansi_id):
        return None
    return seal(instansi_id, open_sealed(instansi_id, blob, purpose=purpose), purpose=purpose)


@dataclass(frozen=True)
class SealedField:
    """A model field holding `seal()` output; `purpose` gives the purpose string of one row."""

    model: str  # app_label.ModelName
    field: str
    purpose: Callable[[Any], str]


SEALED_FIELDS: list[SealedField] = []


def register_sealed_field(model: str, field: str, purpose: str | Callable[[Any], str]) -> None:
    """Declares a field sealed with an agency data key, so that `sigap keys rotate --reencrypt`
    re-encrypts it. Apps call this from their AppConfig.ready()."""
    fn = purpose if callable(purpose) else (lambda row, p=purpose: p)
    if not any(f.model == model and f.field == field for f in SEALED_FIELDS):
        SEALED_FIELDS.append(SealedField(model, field, fn))


# --- Files: per-file key, libsodium secretstream (XChaCha20-Poly1305 in chunks) ----------------------

STREAM_MAGIC = b"SGS1"
STREAM_CHUNK = 64 * 1024
_LEN = struct.Struct(">I")
_SS_HEADER = bindings.crypto_secretstream_xchacha20poly1305_HEADERBYTES
_SS_ABYTES = bindings.crypto_secretstream_xchacha20poly1305_ABYTES
_TAG_MESSAGE = bindings.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
_TAG_FINAL = bindings.crypto_secretstream_xchacha20poly1305_TAG_FINAL


def new_file_key() -> bytes:
    return bytes(bindings.crypto_secretstream_xchacha20poly1305_keygen())


class StreamEncryptor:
    """Encrypts a byte stream of any length with bounded memory: feed `update()`, then `finish()`.
    Each returns the ciphertext bytes to append to the file. The final record is tagged, so a
    truncated file does not open."""

    def __init__(self, key: bytes, *, aad: bytes) -> None:
        self._state = bindings.crypto_secretstream_xchacha20poly1305_state()
        header = bindings.crypto_secretstream_xchacha20poly1305_init_push(self._state, key)
        self._aad = aad
        self._buffer = bytearray()
        self._pending: bytes = STREAM_MAGIC + bytes(header)

    def _record(self, chunk: bytes, tag: int) -> bytes:
        ct = bindings.crypto_secretstream_xchacha20poly1305_push(self._state, chunk, self._aad, tag)
        return _LEN.pack(len(ct)) + bytes(ct)

    def update(self, data: bytes) -> bytes:
        self._buffer += data
        out = [self._pending]
        self._pending = b""
        # Keep at least one byte back so that the last record can carry the final tag.
        while len(self._buffer) > STREAM_CHUNK:
            out.append(self._record(bytes(self._buffer[:STREAM_CHUNK]), _TAG_MESSAGE))
            del self._buffer[:STREAM_CHUNK]
        return b"".join(out)

    def finish(self) -> bytes:
        out = self._pending + self._record(bytes(self._buffer), _TAG_FINAL)
        self._pending = b""
        self._buffer.clear()
        return out


def decrypt_stream(key: bytes, src: BinaryIO, *, aad: bytes) -> Iterator[bytes]:
    """Yields the plaintext chunks of a file written by StreamEncryptor; DecryptionFailed when it
    was changed, truncated, or the key or associated data differ."""
    head = src.read(len(STREAM_MAGIC) + _SS_HEADER)
    if len(head) != len(STREAM_MAGIC) + _SS_HEADER or not head.startswith(STREAM_MAGIC):
        raise DecryptionFailed("not an encrypted SIGAP file")
    state = bindings.crypto_secretstream_xchacha20poly1305_state()
    bindings.crypto_secretstream_xchacha20poly1305_init_pull(state, head[len(STREAM_MAGIC):], key)
    while True:
        size_raw = src.read(_LEN.size)
        if len(size_raw) != _LEN.size:
            raise DecryptionFailed("the encrypted file is truncated")
        (size,) = _LEN.unpack(size_raw)
        if size < _SS_ABYTES or size > STREAM_CHUNK + _SS_ABYTES:
            raise DecryptionFailed("the encrypted file is damaged")
        ct = src.read(size)
        if len(ct) != size:
            raise DecryptionFailed("the encrypted file is truncated")
        try:
            chunk, tag = bindings.crypto_secretstream_xchacha20poly1305_pull(state, ct, aad)
        except CryptoError as exc:
            raise DecryptionFailed("the encrypted file does not open: changed, moved, or wrong key") from exc
        if chunk:
            yield bytes(chunk)
        if tag == _TAG_FINAL:
            if src.read(1):
                raise DecryptionFailed("data after the end of the encrypted file")
            return


# --- Personal keys (custodians, officers): X25519, locked by an Argon2id passphrase key -------------

LOCKED_MAGIC = b"SGK1"
_LOCKED_HEADER = struct.Struct(">4sIQ")  # magic, opslimit, memlimit
_SALT = argon2id.SALTBYTES
MIN_MEMLIMIT = 64 * 1024 * 1024
KDF_PROFILES: dict[str, tuple[int, int]] = {
    "moderate": (argon2id.OPSLIMIT_MODERATE, argon2id.MEMLIMIT_MODERATE),  # 256 MiB, the default
    # 64 MiB: tests and small hosts
    "interactive": (argon2id.OPSLIMIT_INTERACTIVE, argon2id.MEMLIMIT_INTERACTIVE),
    "sensitive": (argon2id.OPSLIMIT_SENSITIVE, argon2id.MEMLIMIT_SENSITIVE),
}


def _kdf_limits() -> tuple[int, int]:
    name = os.environ.get("SIGAP_VAULT_KDF") or getattr(settings, "SIGAP_VAULT_KDF", "moderate")
    if name not in KDF_PROFILES:
        raise ImproperlyConfigured("SIGAP_VAULT_KDF must be moderate, interactive or sensitive.")
    return KDF_PROFILES[name]


def _passphrase_bytes(passphrase: str) -> bytes:
    return unicodedata.normalize("NFKC", passphrase).encode("utf-8")


def generate_keypair() -> tuple[bytes, bytes]:
    """A new X25519 key pair: (public, private)."""
    private = public.PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def key_fingerprint(public_key: bytes) -> str:
    return hashlib.blake2b(bytes(public_key), digest_size=10, person=b"sigap-pubkey").hexdigest()


def lock_private_key(private_key: bytes, passphrase: str, *, public_key: bytes) -> bytes:
    """The private key encrypted under a key derived from the passphrase (Argon2id with a random
    salt; the limits are stored with it). The public key is bound as associated data."""
    opslimit, memlimit = _kdf_limits()
    salt = utils.random(_SALT)
    kek = argon2id.kdf(32, _passphrase_bytes(passphrase), salt, opslimit=opslimit, memlimit=memlimit)
    header = _LOCKED_HEADER.pack(LOCKED_MAGIC, opslimit, memlimit) + salt
    nonce = utils.random(_NONCE)
    ct = bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(bytes(private_key), header + bytes(public_key),
                                                              nonce, kek)
    return header + nonce + bytes(ct)


def unlock_private_key(locked: bytes, passphrase: str, *, public_key: bytes) -> bytes:
    """The private key; WrongPassphrase when the passphrase (or the stored key) is not right."""
    locked = bytes(locked)
    size = _LOCKED_HEADER.size + _SALT
    if len(locked) < size + _NONCE or not locked.startswith(LOCKED_MAGIC):
        raise DecryptionFailed("not a locked SIGAP personal key")
    _, opslimit, memlimit = _LOCKED_HEADER.unpack_from(locked)
    if not MIN_MEMLIMIT <= memlimit <= argon2id.MEMLIMIT_SENSITIVE or opslimit > argon2id.OPSLIMIT_SENSITIVE:
        raise DecryptionFailed("the personal key was locked with limits SIGAP does not accept")
    header, salt = locked[:size], locked[_LOCKED_HEADER.size:size]
    kek = argon2id.kdf(32, _passphrase_bytes(passphrase), salt, opslimit=opslimit, memlimit=memlimit)
    try:
        return bytes(bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
            locked[size + _NONCE:], header + bytes(public_key), locked[size:size + _NONCE], kek))
    except CryptoError:
        raise WrongPassphrase("the passphrase does not unlock this key") from None


def seal_to_public_key(public_key: bytes, data: bytes) -> bytes:
    """Anonymous public-key encryption (SealedBox): only the holder of the private key opens it."""
    return bytes(public.SealedBox(public.PublicKey(bytes(public_key))).encrypt(data))


def open_sealed_box(private_key: bytes, blob: bytes) -> bytes:
    try:
        return bytes(public.SealedBox(public.PrivateKey(bytes(private_key))).decrypt(bytes(blob)))
    except CryptoError as exc:
        raise DecryptionFailed("this sealed box is not for this key") from exc


def aead_encrypt(key: bytes, plaintext: bytes, *, aad: bytes) -> bytes:
    """XChaCha20-Poly1305 with a random nonce, for a key that is not an agency data key."""
    nonce = utils.random(_NONCE)
    return nonce + bytes(bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, aad, nonce, key))


def aead_decrypt(key: bytes, blob: bytes, *, aad: bytes) -> bytes:
    blob = bytes(blob)
    try:
        nonce, ct = blob[:_NONCE], blob[_NONCE:]
        return bytes(bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(ct, aad, nonce, key))
    except CryptoError as exc:
        raise DecryptionFailed("ciphertext does not open: changed, moved, or wrong key") from exc


def new_content_key() -> bytes:
    return utils.random(32)
