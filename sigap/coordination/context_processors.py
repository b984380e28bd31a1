from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sigap.coordination.access import may_monitor_hub
from sigap.coordination.selectors import waiting_count
from sigap.tenants.permissions import Cap


def referrals(request: HttpRequest) -> dict[str, Any]:
    """The navigation's referral links, and how many referrals wait for the agency's answer."""
    actor = getattr(request, "actor", None)
    if actor is None:
        return {}
    return {
        "referrals_inbox": actor.can(Cap.CASE_LIST),
        # counted only where a page shows it (the navigation), not for every partial
        "referrals_waiting": lambda: waiting_count(actor=actor),
        "referral_monitor": may_monitor_hub(actor),
    }
