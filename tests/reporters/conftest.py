from __future__ import annotations

import pytest

from sigap.reporters import receipts


@pytest.fixture(autouse=True)
def _portal_settings(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Cheap Argon2 and proof of work in tests (production parameters are tested on their own)."""
    settings.SIGAP_EVIDENCE_DIR = tmp_path / "evidence"
    settings.SIGAP_VAULT_KDF = "interactive"
    settings.SIGAP_RECEIPT_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
    settings.SIGAP_POW_BITS = 6
    receipts.hasher.cache_clear()
    receipts._dummy_hash.cache_clear()
    yield
    receipts.hasher.cache_clear()
    receipts._dummy_hash.cache_clear()
