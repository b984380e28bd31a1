"""Reads of the vault: requests as each role may see them (never an identity)."""

from __future__ import annotations

from dataclasses import dataclass

from sigap.cases.models import Report
from sigap.core import crypto
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap
from sigap.vault.models import IdentityRequest, PersonalKey, RequestStatus, VaultPolicy

PURPOSE_REASON = "vault.request.reason"
PURPOSE_REFUSAL = "vault.request.refusal"


@dataclass
class RequestView:
    request: IdentityRequest
    reason: str
    refusal: str


def _view(req: IdentityRequest) -> RequestView:
    reason = crypto.open_sealed(req.instansi_id, bytes(req.reason_sealed), purpose=PURPOSE_REASON).decode()
    refusal = (
        crypto.open_sealed(req.instansi_id, bytes(req.refusal_sealed), purpose=PURPOSE_REFUSAL).decode()
        if req.refusal_sealed
        else ""
    )
    return RequestView(request=req, reason=reason, refusal=refusal)


def view_of(req: IdentityRequest) -> RequestView:
    return _view(req)


def requests_to_decide(*, actor: Actor, limit: int = 200) -> list[RequestView]:
    """Pending requests of the actor's agency, for custodians."""
    if not actor.can(Cap.IDENTITY_APPROVE):
        return []
    qs = (
        IdentityRequest.objects.filter(instansi_id=actor.instansi.pk, status=RequestStatus.PENDING)
        .select_related("case", "report", "requested_by")
        .order_by("created_at")
    )
    return [_view(r) for r in qs[:limit]]


def recent_decisions(*, actor: Actor, limit: int = 50) -> list[RequestView]:
    if not actor.can(Cap.IDENTITY_APPROVE):
        return []
    qs = (
        IdentityRequest.objects.filter(instansi_id=actor.instansi.pk)
        .exclude(status=RequestStatus.PENDING)
        .select_related("case", "report", "requested_by", "decided_by")
        .order_by("-decided_at")
    )
    return [_view(r) for r in qs[:limit]]


def my_requests(*, actor: Actor, limit: int = 100) -> list[RequestView]:
    if not actor.can(Cap.IDENTITY_REQUEST) or actor.user_id is None:
        return []
    qs = (
        IdentityRequest.objects.filter(instansi_id=actor.instansi.pk, requested_by_id=actor.user_id)
        .select_related("case", "report")
        .order_by("-created_at")
    )
    return [_view(r) for r in qs[:limit]]


def personal_key_of(user_id: int | None) -> PersonalKey | None:
    if user_id is None:
        return None
    return PersonalKey.objects.filter(user_id=user_id).first()


def policy_of(*, instansi_id: int) -> VaultPolicy:
    """The agency's policy (defaults when none was saved)."""
    return VaultPolicy.objects.filter(instansi_id=instansi_id).first() or VaultPolicy(instansi_id=instansi_id)


def report_has_identity(report: Report) -> bool:
    return bool(report.reporter.identity_sealed)
