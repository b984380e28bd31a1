"""Resolves the acting agency once per request: `request.actor` (or None)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from sigap.core.errors import NotFound
from sigap.tenants.access import Actor, actor_for, instansi_of_user

SESSION_KEY = "sigap_instansi_id"


def resolve_actor(request: HttpRequest) -> Actor | None:
    user = request.user
    if not user.is_authenticated:
        return None
    choices = instansi_of_user(user)  # type: ignore[arg-type]
    if not choices:
        return None
    wanted = request.session.get(SESSION_KEY)
    instansi = next((i for i in choices if i.pk == wanted), choices[0])
    try:
        return actor_for(user, instansi)
    except NotFound:
        return None


class InstansiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = resolve_actor(request)  # type: ignore[attr-defined]
        return self.get_response(request)
