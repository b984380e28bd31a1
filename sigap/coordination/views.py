"""Referral pages: the receiving agency's inbox and answer, the hub monitor's overview. Thin views
over selectors and actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sigap.cases.models import Channel, DeadlineKind
from sigap.coordination import selectors
from sigap.coordination.access import access_referral, may_monitor_hub
from sigap.coordination.actions import accept_referral, decline_referral
from sigap.coordination.models import Referral, ReferralStatus
from sigap.core.errors import InvalidTransition, NotFound, ValidationFailed
from sigap.core.http import post_or_back
from sigap.reporters.models import Anonymity
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap


def _actor(request: HttpRequest, cap: Cap = Cap.CASE_LIST) -> Actor:
    actor = getattr(request, "actor", None)
    if actor is None or not actor.can(cap):
        raise Http404
    return actor


def _hub_monitor(request: HttpRequest) -> Actor:
    actor = getattr(request, "actor", None)
    if not may_monitor_hub(actor):
        raise Http404
    return actor  # type: ignore[return-value]


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    status = request.GET.get("status") or ReferralStatus.SENT
    if status not in {"all", *ReferralStatus.values}:
        status = ReferralStatus.SENT
    page = selectors.incoming_referrals(
        actor=actor, status=None if status == "all" else status, page=_page_number(request)
    )
    return render(
        request,
        "coordination/referral_list.html",
        {"page": page, "status": status, "statuses": ReferralStatus.choices},
    )


def _detail(
    request: HttpRequest, actor: Actor, referral: Referral, *, status: int = 200, **extra: object
) -> HttpResponse:
    context = {
        "referral": referral,
        "dossier": selectors.dossier_of(actor=actor, referral=referral),
        "may_answer": actor.can(Cap.CASE_VERIFY) and referral.status == ReferralStatus.SENT,
        "channels": dict(Channel.choices),
        "anonymity": dict(Anonymity.choices),
        **extra,
    }
    return render(request, "coordination/referral_detail.html", context, status=status)


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        referral = access_referral(actor, referral_id)
    except NotFound:
        raise Http404 from None
    return _detail(request, actor, referral)


@login_required
@post_or_back("coordination:detail", "referral_id")
def referral_accept(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        case = accept_referral(actor=actor, referral_id=referral_id)
    except NotFound:
        raise Http404 from None
    except InvalidTransition as exc:
        messages.error(request, exc.message)
        return redirect("coordination:detail", referral_id=referral_id)
    messages.success(
        request, _("Referral accepted: it is case %(number)s in your queue.") % {"number": case.number}
    )
    missing = selectors.files_left_behind(actor=actor, referral_id=referral_id)
    if missing:
        messages.warning(
            request,
            ngettext(
                "%(n)d file could not be copied: ask the referring agency for it.",
                "%(n)d files could not be copied: ask the referring agency for them.",
                missing,
            )
            % {"n": missing},
        )
    return redirect("cases:detail", case_id=case.pk)


@login_required
@post_or_back("coordination:detail", "referral_id")
def referral_decline(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        decline_referral(actor=actor, referral_id=referral_id, reason=request.POST.get("reason", ""))
    except NotFound:
        raise Http404 from None
    except ValidationFailed as exc:
        referral = access_referral(actor, referral_id)
        return _detail(
            request,
            actor,
            referral,
            status=400,
            decline_error=exc.message,
            field_errors=exc.fields,
            posted_reason=request.POST.get("reason", ""),
        )
    except InvalidTransition as exc:
        messages.error(request, exc.message)
        return redirect("coordination:detail", referral_id=referral_id)
    messages.success(request, _("Referral declined: the referring agency has your reason."))
    return redirect("coordination:list")


@login_required
def monitor(request: HttpRequest) -> HttpResponse:
    actor = _hub_monitor(request)
    status = request.GET.get("status") or "all"
    if status not in {"all", *ReferralStatus.values}:
        status = "all"
    overdue = request.GET.get("overdue") == "1"
    page = selectors.monitor_page(
        actor=actor, status=None if status == "all" else status, overdue=overdue, page=_page_number(request)
    )
    return render(
        request,
        "coordination/monitor.html",
        {
            "page": page,
            "status": status,
            "overdue": overdue,
            "statuses": ReferralStatus.choices,
            "counts": selectors.monitor_counts(actor=actor),
        },
    )


@login_required
def agency_overview(request: HttpRequest) -> HttpResponse:
    """The hub's monitor: every connected agency's open cases, missed deadlines and unanswered referrals."""
    actor = _hub_monitor(request)
    rows = selectors.agency_overview(actor=actor)
    return render(
        request,
        "coordination/agency_overview.html",
        {"rows": rows, "kinds": DeadlineKind.choices},
    )
