"""Officer pages: thin views over selectors and actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sigap.cases import selectors, workflow
from sigap.cases.access import access_case
from sigap.cases.actions.acknowledge import AcknowledgedBy, acknowledge_receipt
from sigap.cases.actions.transitions import do_transition
from sigap.cases.models import Channel
from sigap.cases.workflow import State
from sigap.coordination.actions import withdraw_referral
from sigap.coordination.selectors import referral_into, referrals_of_case
from sigap.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from sigap.core.http import post_or_back
from sigap.reporters import selectors as reporter_selectors
from sigap.reporters.mailbox import STEP_FIELDS_FOR_REPORTERS
from sigap.tenants.access import Actor, instansi_of_user
from sigap.tenants.middleware import SESSION_KEY
from sigap.tenants.models import Instansi
from sigap.tenants.permissions import Cap
from sigap.triage import selectors as triage_selectors


def _actor(request: HttpRequest) -> Actor:
    actor = getattr(request, "actor", None)
    if actor is None:
        raise Http404
    return actor


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    actor = getattr(request, "actor", None)
    if actor is None or not actor.can(Cap.CASE_LIST):  # no agency (the administrator) or no queue role
        return render(request, "cases/no_queue.html", status=200)
    status = request.GET.get("status") or "open"
    if status not in {"open", "all", *State.values}:
        status = "open"
    page, rows = selectors.case_page(
        actor=actor,
        page=int(request.GET.get("page", "1") or 1) if request.GET.get("page", "1").isdigit() else 1,
        status=None if status == "all" else status,
        overdue=request.GET.get("overdue") == "1",
        number=(request.GET.get("q") or "").strip() or None,
    )
    labels = actor.instansi.state_labels
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "q": request.GET.get("q", ""),
        "overdue": request.GET.get("overdue") == "1",
        "states": [(s.value, workflow.state_label(s.value, labels)) for s in State],
        "counts": selectors.status_counts(actor=actor),
        "may_import": actor.can(Cap.CASE_VERIFY),
    }
    template = "cases/partials/case_rows.html" if request.htmx else "cases/case_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        case = access_case(actor, case_id, cap=Cap.CASE_LIST)
    except NotFound:
        raise Http404 from None
    return render(request, "cases/case_detail.html", _detail_context(actor, case))


def _detail_context(actor: Actor, case: Any, **extra: Any) -> dict[str, Any]:
    transitions = workflow.available(case, actor)
    others = Instansi.objects.filter(active=True).exclude(pk=actor.instansi.pk).order_by("name")
    triage = triage_selectors.triage_of_case(actor=actor, case=case) if actor.can(Cap.CASE_READ) else []
    later = triage_selectors.later_reports_like(actor=actor, case=case) if actor.can(Cap.CASE_READ) else []
    return {
        "case": case,
        "summary": selectors.case_summary(actor=actor, case=case) if actor.can(Cap.CASE_READ) else "",
        "reports": selectors.reports_of_case(actor=actor, case=case),
        "deadlines": selectors.deadlines_of_case(actor=actor, case=case),
        "timeline": selectors.case_timeline(actor=actor, case=case),
        "transitions": transitions,
        "state_label": workflow.state_label(case.status, actor.instansi.state_labels),
        "other_instansi": others,
        "units": actor.instansi.units.all(),
        "channels": dict(Channel.choices),
        "triage": triage,
        "later_reports": later,
        "text_amount": triage_selectors.largest_amount_found(triage),
        "category_choices": triage_selectors.category_choices(),
        "sector_choices": triage_selectors.sector_choices(),
        "can_acknowledge": actor.can(Cap.CASE_VERIFY) and not case.merged_into_id,
        "acknowledged_by": AcknowledgedBy.choices,
        "referrals": referrals_of_case(actor=actor, case=case),
        "referred_from": referral_into(actor=actor, case=case),
        **extra,
    }


@login_required
@post_or_back("cases:detail", "case_id")
def case_step(request: HttpRequest, case_id: int, name: str) -> HttpResponse:
    actor = _actor(request)
    try:
        case = do_transition(actor=actor, case_id=case_id, name=name, data=request.POST.dict())
    except NotFound:
        raise Http404 from None
    except ValidationFailed as exc:
        case = access_case(actor, case_id, cap=Cap.CASE_LIST)
        return render(
            request,
            "cases/case_detail.html",
            _detail_context(
                actor,
                case,
                step_error=exc.message,
                field_errors=exc.fields,
                open_step=name,
                posted=request.POST,
            ),
            status=400,
        )
    except (InvalidTransition, PermissionDenied) as exc:
        messages.error(request, exc.message)
        return redirect("cases:detail", case_id=case_id)
    messages.success(request, _("Done: %(step)s.") % {"step": workflow.TRANSITIONS[name].label})
    for_reporters = any((request.POST.get(f) or "").strip() for f in STEP_FIELDS_FOR_REPORTERS)
    if for_reporters and not reporter_selectors.has_reachable_reporter(actor=actor, case=case):
        messages.warning(
            request,
            _(
                "No reporter of this case has a mailbox here: pass your words on through the channel "
                "they used, or through the agency that referred the case."
            ),
        )
    return redirect("cases:detail", case_id=case.pk)


@login_required
@post_or_back("cases:detail", "case_id")
def receipt_acknowledged(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        acknowledge_receipt(actor=actor, case_id=case_id, by=request.POST.get("by", ""))
    except NotFound:
        raise Http404 from None
    except (ValidationFailed, InvalidTransition) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Receipt acknowledged: its deadline is met."))
    return redirect("cases:detail", case_id=case_id)


@login_required
@post_or_back("cases:list")
def switch_instansi(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("instansi")
    allowed = {str(i.pk) for i in instansi_of_user(request.user)}  # type: ignore[arg-type]
    if wanted in allowed:
        request.session[SESSION_KEY] = int(wanted)  # type: ignore[arg-type]
    return redirect("cases:list")


@login_required
@post_or_back("cases:detail", "case_id")
def withdraw_referral_view(request: HttpRequest, case_id: int, referral_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        referral = withdraw_referral(actor=actor, case_id=case_id, referral_id=referral_id)
    except NotFound:
        raise Http404 from None
    except (InvalidTransition, PermissionDenied) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Referral to %(agency)s withdrawn: the case is yours again.")
            % {"agency": referral.instansi.name},
        )
    return redirect("cases:detail", case_id=case_id)
