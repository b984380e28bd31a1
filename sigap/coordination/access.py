"""The only way from an id to a referral: the receiving agency's own, one 404 for missing and
forbidden (the referring agency sees its referrals through its case, `selectors.referrals_of_case`)."""

from __future__ import annotations

from sigap.coordination.models import Referral
from sigap.core.errors import NotFound
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap


def access_referral(
    actor: Actor, referral_id: int | str, *, cap: Cap = Cap.CASE_LIST, for_update: bool = False
) -> Referral:
    if not actor.can(cap):
        raise NotFound("not found")
    try:
        pk = int(referral_id)
    except (TypeError, ValueError):
        raise NotFound("not found") from None
    qs = Referral.objects.filter(instansi_id=actor.instansi.pk, pk=pk)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    referral = qs.select_related("from_instansi", "accepted_case").first()
    if referral is None:
        raise NotFound("not found")
    return referral


def may_monitor_hub(actor: Actor | None) -> bool:
    """The hub's monitor, at the hub: a monitor role given inside an agency is not one."""
    return actor is not None and actor.can(Cap.HUB_MONITOR) and actor.instansi.is_hub
