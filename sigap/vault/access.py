"""From an id to a disclosure request: scoped to the actor's agency, one 404 for missing and forbidden."""

from __future__ import annotations

from sigap.core.errors import NotFound
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap
from sigap.vault.models import IdentityRequest


def may_use_vault(actor: Actor | None) -> bool:
    """Whether the vault's pages are for this actor: officers who may ask for a reporter's identity,
    custodians who decide, and the agency's administrators who set the disclosure policy. The vault's
    start page and the link to it in every page header both ask this."""
    return actor is not None and (
        actor.can(Cap.IDENTITY_REQUEST) or actor.can(Cap.IDENTITY_APPROVE) or actor.can(Cap.INSTANSI_MANAGE)
    )


def access_identity_request(
    actor: Actor, request_id: int | str, *, cap: Cap, own: bool = False, for_update: bool = False
) -> IdentityRequest:
    """The request, when the actor holds `cap` in its agency (and, with `own`, filed it)."""
    if not actor.can(cap):
        raise NotFound("not found")
    try:
        pk = int(request_id)
    except (TypeError, ValueError):
        raise NotFound("not found") from None
    qs = IdentityRequest.objects.filter(instansi_id=actor.instansi.pk, pk=pk)
    if own:
        qs = qs.filter(requested_by_id=actor.user_id)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    found = qs.select_related("case", "report", "report__reporter", "requested_by", "decided_by").first()
    if found is None:
        raise NotFound("not found")
    return found
