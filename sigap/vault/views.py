"""Vault pages: personal key, identity requests, custodians' decisions, the officer's disclosure.

Passphrases arrive only in POST bodies, are handed to one action call and never stored, logged or
put in a session. Pages that show an identity are not cached.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from sigap.cases.access import access_report
from sigap.core.errors import InvalidTransition, NotFound, PermissionDenied, SigapError, ValidationFailed
from sigap.core.http import post_or_back
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap
from sigap.vault import actions, selectors
from sigap.vault.access import access_identity_request, may_use_vault
from sigap.vault.errors import WrongPassphraseError
from sigap.vault.models import RequestStatus

SENSITIVE = ("passphrase", "confirm", "old", "new")


def _actor(request: HttpRequest) -> Actor:
    actor = getattr(request, "actor", None)
    if actor is None:
        raise Http404
    return actor


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not may_use_vault(actor):
        raise Http404
    return render(
        request,
        "vault/index.html",
        {
            "to_decide": selectors.requests_to_decide(actor=actor),
            "decided": selectors.recent_decisions(actor=actor),
            "mine": selectors.my_requests(actor=actor),
            "key": selectors.personal_key_of(actor.user_id),
            "policy": selectors.policy_of(instansi_id=actor.instansi.pk),
            "can_manage": actor.can(Cap.INSTANSI_MANAGE),
            "is_custodian": actor.can(Cap.IDENTITY_APPROVE),
        },
    )


@login_required
@sensitive_post_parameters(*SENSITIVE)
@never_cache
def personal_key(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    key = selectors.personal_key_of(actor.user_id)
    if key is None and not may_use_vault(actor):  # one who has a key may still change its passphrase
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            if key is None:
                actions.set_up_key(
                    actor=actor,
                    passphrase=request.POST.get("passphrase", ""),
                    confirm=request.POST.get("confirm", ""),
                )
                messages.success(
                    request,
                    _("Your personal key is ready. Keep your passphrase safe: nobody can recover it."),
                )
            else:
                actions.change_passphrase(
                    actor=actor,
                    old=request.POST.get("old", ""),
                    new=request.POST.get("new", ""),
                    confirm=request.POST.get("confirm", ""),
                )
                messages.success(request, _("Your passphrase was changed."))
            return redirect("vault:index")
        except SigapError as exc:
            error = exc.message
    return render(
        request, "vault/personal_key.html", {"key": key, "error": error}, status=400 if error else 200
    )


@login_required
def new_request(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        report = access_report(actor, report_id, cap=Cap.IDENTITY_REQUEST)
    except NotFound:
        raise Http404 from None
    error = ""
    if request.method == "POST":
        try:
            req = actions.request_identity(
                actor=actor, report_id=report.pk, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Your request was sent to the identity custodians."))
            return redirect("vault:request", request_id=req.pk)
        except NotFound:
            raise Http404 from None
        except SigapError as exc:
            error = exc.message
    return render(
        request,
        "vault/new_request.html",
        {
            "report": report,
            "error": error,
            "has_key": selectors.personal_key_of(actor.user_id) is not None,
            "has_identity": selectors.report_has_identity(report),
            "reason": request.POST.get("reason", ""),
        },
        status=400 if error else 200,
    )


def _access_for_page(actor: Actor, request_id: int):  # type: ignore[no-untyped-def]
    """Custodians see every request of their agency; officers see their own."""
    for cap, own in ((Cap.IDENTITY_APPROVE, False), (Cap.IDENTITY_REQUEST, True)):
        try:
            return access_identity_request(actor, request_id, cap=cap, own=own)
        except NotFound:
            continue
    raise Http404


# The parts of a reporter's identity, as an officer reads them.
IDENTITY_FIELDS = {
    "name": gettext_lazy("Name"),
    "phone": gettext_lazy("phone number"),
    "email": gettext_lazy("E-mail"),
}


def _labelled(opened: dict[str, dict[str, str]] | None) -> dict[str, dict[str, str]] | None:
    if opened is None:
        return None
    return {
        part: {str(IDENTITY_FIELDS.get(k, k)).capitalize(): v for k, v in values.items()}
        for part, values in opened.items()
    }


@login_required
@never_cache
def request_detail(
    request: HttpRequest, request_id: int, *, opened: dict | None = None, error: str = "", status: int = 200
) -> HttpResponse:
    actor = _actor(request)
    req = _access_for_page(actor, request_id)
    return render(
        request,
        "vault/request_detail.html",
        {
            "view": selectors.view_of(req),
            "req": req,
            "opened": _labelled(opened),
            "error": error,
            "can_decide": actor.can(Cap.IDENTITY_APPROVE)
            and req.status == RequestStatus.PENDING
            and req.requested_by_id != actor.user_id,
            "can_open": req.requested_by_id == actor.user_id and req.status == RequestStatus.APPROVED,
        },
        status=status,
    )


def _decision(request: HttpRequest, request_id: int, do) -> HttpResponse:  # type: ignore[no-untyped-def]
    actor = _actor(request)
    try:
        result = do(actor)
    except NotFound:
        raise Http404 from None
    except (WrongPassphraseError, ValidationFailed, InvalidTransition, PermissionDenied) as exc:
        return request_detail(request, request_id, error=exc.message, status=400)
    return result


@login_required
@post_or_back("vault:request", "request_id")
@sensitive_post_parameters(*SENSITIVE)
def approve(request: HttpRequest, request_id: int) -> HttpResponse:
    def do(actor: Actor) -> HttpResponse:
        actions.approve_identity_request(
            actor=actor, request_id=request_id, passphrase=request.POST.get("passphrase", "")
        )
        messages.success(request, _("Approved: the identity is sealed to the requesting officer."))
        return redirect("vault:index")

    return _decision(request, request_id, do)


@login_required
@post_or_back("vault:request", "request_id")
def refuse(request: HttpRequest, request_id: int) -> HttpResponse:
    def do(actor: Actor) -> HttpResponse:
        actions.refuse_identity_request(
            actor=actor, request_id=request_id, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The request was refused."))
        return redirect("vault:index")

    return _decision(request, request_id, do)


@login_required
@post_or_back("vault:request", "request_id")
@never_cache
@sensitive_post_parameters(*SENSITIVE)
def open_identity(request: HttpRequest, request_id: int) -> HttpResponse:
    def do(actor: Actor) -> HttpResponse:
        opened = actions.open_granted_identity(
            actor=actor, request_id=request_id, passphrase=request.POST.get("passphrase", "")
        )
        response = request_detail(request, request_id, opened=opened)
        response["Cache-Control"] = "no-store, private"
        return response

    return _decision(request, request_id, do)


@login_required
@post_or_back("vault:index")
@sensitive_post_parameters(*SENSITIVE)
def share(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    try:
        count = actions.share_vault_with_custodians(
            actor=actor, passphrase=request.POST.get("passphrase", "")
        )
        messages.success(
            request, ngettext(
                "Identities re-sealed to the current custodians: %(n)d reporter.",
                "Identities re-sealed to the current custodians: %(n)d reporters.",
                count,
            )
            % {"n": count},
        )
    except SigapError as exc:
        messages.error(request, exc.message)
    return redirect("vault:index")


@login_required
@post_or_back("vault:index")
def policy(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    try:
        actions.set_policy(actor=actor, inform_reporter=request.POST.get("inform_reporter") == "1")
        messages.success(request, _("The disclosure policy was saved."))
    except PermissionDenied:
        raise Http404 from None
    return redirect("vault:index")
