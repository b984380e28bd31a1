"""Errors of the vault, as one sentence for the user."""

from __future__ import annotations

from sigap.core.errors import SigapError


class VaultNotReady(SigapError):
    """The agency has no custodian key yet: identities cannot be sealed to anyone."""


class WrongPassphraseError(SigapError):
    """The passphrase does not unlock the person's key."""
