"""The one place where SIGAP encrypts.

Key hierarchy (docs/security/keys.md):
- the deployment key (32 bytes, from SIGAP_MASTER_KEY or the key file) wraps
- one data key per agency (random 32 bytes, several versions after rotation), which encrypts
- report texts, messages and attachments with XChaCha20-Poly1305 (authenticated; the agency id
  and a purpose string are bound as associated data, so a ciphertext moved to another agency or
  field does not open).
Nothing here is home-made cryptography: libsodium (PyNaCl) does the work.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from nacl import bindings, secret, utils
from nacl.exceptions import CryptoError

from sigap.core.keyfiles import load_or_create_key

FORMAT_V1 = 1
_HEADER = struct.Struct(">BI")  # format, data-key version
_NONCE = bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES


class DecryptionFailed(Exception):
    """The ciphertext was changed, moved, or the key is not the one that sealed it."""


_lock = threading.Lock()
_master: bytes | None = None
_data_keys: dict[tuple[int, int], bytes] = {}
_active_version: dict[int, int] = {}


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
            raise ImproperlyConfigured("The deployment key must be exactly 32 bytes (base64 of 32 random bytes).")
        _master = key
    return _master


def master_key_id(key: bytes | None = None) -> str:
    return hashlib.blake2b(key or master_key(), digest_size=8, person=b"sigap-master").hexdigest()


def wrap_key(data_key: bytes, *, master: bytes | None = None) -> bytes:
    return bytes(secret.SecretBox(master or master_key()).encrypt(data_key))


def unwrap_key(wrapped: bytes, *, master: bytes | None = None) -> bytes:
    try:
        return bytes(secret.SecretBox(master or master_key()).decrypt(wrapped))
    except CryptoError as exc:
        raise DecryptionFailed("a data key does not open with this deployment key") from exc


def reset_caches() -> None:
    """Forget cached keys (after rotation, and between tests)."""
    global _master
    with _lock:
        _master = None
        _data_keys.clear()
        _active_version.clear()


def _load_active(instansi_id: int) -> tuple[int, bytes]:
    from sigap.core.models import DataKey

    version = _active_version.get(instansi_id)
    if version is not None:
        return version, _data_keys[(instansi_id, version)]
    with transaction.atomic():
        row = DataKey.objects.filter(instansi_id=instansi_id, active=True).order_by("-version").first()
        if row is None:
            row = DataKey.objects.create(
                instansi_id=instansi_id, version=1, wrapped=wrap_key(utils.random(32)),
                master_key_id=master_key_id(), active=True,
            )
    key = unwrap_key(bytes(row.wrapped))
    with _lock:
        _data_keys[(instansi_id, row.version)] = key
        _active_version[instansi_id] = row.version
    return row.version, key


def _load_version(instansi_id: int, version: int) -> bytes:
    from sigap.core.models import DataKey

    cached = _data_keys.get((instansi_id, version))
    if cached is not None:
        return cached
    row = DataKey.objects.filter(instansi_id=instansi_id, version=version).first()
    if row is None:
        raise DecryptionFailed(f"no data key version {version} for this agency")
    key = unwrap_key(bytes(row.wrapped))
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
        raise DecryptionFailed("ciphertext does not open: changed, moved to another record, or wrong key") from exc


def seal_json(instansi_id: int, value: Any, *, purpose: str) -> bytes:
    return seal(instansi_id, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(), purpose=purpose)


def open_json(instansi_id: int, blob: bytes, *, purpose: str) -> Any:
    return json.loads(open_sealed(instansi_id, blob, purpose=purpose))
