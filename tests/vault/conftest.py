from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _evidence_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.SIGAP_EVIDENCE_DIR = tmp_path / "evidence"
    settings.SIGAP_VAULT_KDF = "interactive"
    return settings.SIGAP_EVIDENCE_DIR
