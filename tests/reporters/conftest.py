from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _portal_settings(cheap_portal):  # type: ignore[no-untyped-def]
    return cheap_portal
