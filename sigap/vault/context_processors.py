"""Whether the page header links to the identity vault: only for those the vault's pages are for."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sigap.vault.access import may_use_vault


def vault(request: HttpRequest) -> dict[str, Any]:
    return {"may_use_vault": may_use_vault(getattr(request, "actor", None))}
