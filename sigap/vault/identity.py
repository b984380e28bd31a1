"""Sealing a reporter's identity to the agency's custodians.

Blob format v1 (stored in Reporter.identity_sealed / contact_sealed):
    b"SGID" + version byte (1) + UTF-8 JSON {
        "i": agency id,
        "r": {custodian key fingerprint: base64(SealedBox(custodian public key, content key)), ...},
        "c": base64(nonce + XChaCha20-Poly1305(content key, identity JSON, aad="sigap-identity:v1:<agency>"))
    }
The content key is random per blob. Only a custodian's private key opens a recipient entry, and
that private key is stored only locked by the custodian's passphrase: the database, the deployment
key and every data key together do not open an identity.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sigap.core import crypto
from sigap.tenants.models import Instansi, Membership
from sigap.tenants.permissions import Cap, roles_with
from sigap.vault.errors import VaultNotReady
from sigap.vault.models import PersonalKey

MAGIC = b"SGID"
VERSION = 1


def _aad(instansi_id: int) -> bytes:
    return f"sigap-identity:v{VERSION}:{instansi_id}".encode()


@dataclass
class SealedIdentity:
    instansi_id: int
    recipients: dict[str, bytes]  # fingerprint -> sealed content key
    ciphertext: bytes

    def to_bytes(self) -> bytes:
        doc = {
            "i": self.instansi_id,
            "r": {fp: base64.b64encode(box).decode() for fp, box in sorted(self.recipients.items())},
            "c": base64.b64encode(self.ciphertext).decode(),
        }
        return MAGIC + bytes([VERSION]) + json.dumps(doc, separators=(",", ":")).encode()

    @classmethod
    def parse(cls, blob: bytes) -> SealedIdentity:
        blob = bytes(blob)
        if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 2:
            raise crypto.DecryptionFailed("not a sealed identity")
        if blob[len(MAGIC)] != VERSION:
            raise crypto.DecryptionFailed(f"unknown sealed identity format {blob[len(MAGIC)]}")
        doc = json.loads(blob[len(MAGIC) + 1 :])
        return cls(
            instansi_id=int(doc["i"]),
            recipients={fp: base64.b64decode(box) for fp, box in doc["r"].items()},
            ciphertext=base64.b64decode(doc["c"]),
        )


def custodian_keys(instansi: Instansi | int) -> list[PersonalKey]:
    """Personal keys of the agency's active custodians (people whose role may approve disclosure)."""
    instansi_id = instansi if isinstance(instansi, int) else instansi.pk
    users = Membership.objects.filter(
        instansi_id=instansi_id,
        active=True,
        user__is_active=True,
        role__in=[r.value for r in roles_with(Cap.IDENTITY_APPROVE)],
    ).values_list("user_id", flat=True)
    return list(PersonalKey.objects.filter(user_id__in=users).order_by("fingerprint"))


def can_seal_identity(*, instansi: Instansi) -> bool:
    """True when the agency can accept confidential reports: at least one custodian has a key."""
    return bool(custodian_keys(instansi))


def seal_identity(*, instansi: Instansi, identity: dict[str, str]) -> bytes:
    """Encrypts the identity with a fresh content key, sealed to every active custodian of the
    agency. Raises VaultNotReady when the agency has no custodian key yet."""
    keys = custodian_keys(instansi)
    if not keys:
        raise VaultNotReady(
            _(
                "This agency cannot accept confidential identities yet: "
                "no identity custodian has set up a key."
            )
        )
    clean = {str(k): str(v) for k, v in identity.items()}
    content_key = crypto.new_content_key()
    plaintext = json.dumps(clean, ensure_ascii=False, separators=(",", ":")).encode()
    sealed = SealedIdentity(
        instansi_id=instansi.pk,
        recipients={k.fingerprint: crypto.seal_to_public_key(bytes(k.public_key), content_key) for k in keys},
        ciphertext=crypto.aead_encrypt(content_key, plaintext, aad=_aad(instansi.pk)),
    )
    return sealed.to_bytes()


def recipients_of(blob: bytes) -> set[str]:
    return set(SealedIdentity.parse(blob).recipients)


def content_key_for(blob: bytes, *, private_key: bytes, fingerprint: str) -> bytes:
    """The content key, opened with a custodian's unlocked private key."""
    sealed = SealedIdentity.parse(blob)
    box = sealed.recipients.get(fingerprint)
    if box is None:
        raise crypto.DecryptionFailed("this identity is not sealed to this key")
    return crypto.open_sealed_box(private_key, box)


def decrypt_identity(blob: bytes, *, content_key: bytes, instansi_id: int) -> dict[str, str]:
    sealed = SealedIdentity.parse(blob)
    if sealed.instansi_id != instansi_id:
        raise crypto.DecryptionFailed("this identity belongs to another agency")
    return json.loads(crypto.aead_decrypt(content_key, sealed.ciphertext, aad=_aad(instansi_id)))


def open_identity(blob: bytes, *, private_key: bytes, fingerprint: str, instansi_id: int) -> dict[str, str]:
    """The identity, for a holder of an unlocked custodian private key."""
    key = content_key_for(blob, private_key=private_key, fingerprint=fingerprint)
    return decrypt_identity(blob, content_key=key, instansi_id=instansi_id)


def reseal_recipients(blob: bytes, *, content_key: bytes, keys: list[PersonalKey]) -> bytes:
    """The same identity (same ciphertext) sealed to exactly `keys`."""
    sealed = SealedIdentity.parse(blob)
    sealed.recipients = {
        k.fingerprint: crypto.seal_to_public_key(bytes(k.public_key), content_key) for k in keys
    }
    return sealed.to_bytes()
