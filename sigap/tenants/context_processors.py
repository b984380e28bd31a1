from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def instansi(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    return {"actor": actor, "current_instansi": actor.instansi if actor else None}
