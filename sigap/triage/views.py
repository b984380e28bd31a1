"""Officer actions on triage results: confirm a category, decide on a duplicate suggestion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from sigap.cases.actions.categorize import set_category
from sigap.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from sigap.core.http import post_or_back
from sigap.triage.decide import decide_duplicate


@login_required
@post_or_back("cases:detail", "case_id")
def confirm_category(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = getattr(request, "actor", None)
    if actor is None:
        raise Http404
    try:
        set_category(
            actor=actor,
            case_id=case_id,
            category=request.POST.get("category", ""),
            sector=request.POST.get("sector", ""),
        )
    except NotFound:
        raise Http404 from None
    except (ValidationFailed, PermissionDenied) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Category saved."))
    return redirect("cases:detail", case_id=case_id)


@login_required
@post_or_back("cases:detail", "case_id")
def duplicate_decision(request: HttpRequest, case_id: int, suggestion_id: int) -> HttpResponse:
    actor = getattr(request, "actor", None)
    if actor is None:
        raise Http404
    confirm = request.POST.get("decision") == "confirm"
    try:
        s = decide_duplicate(actor=actor, suggestion_id=suggestion_id, confirm=confirm)
    except NotFound:
        raise Http404 from None
    except (InvalidTransition, PermissionDenied, ValidationFailed) as exc:
        messages.error(request, exc.message)
        return redirect("cases:detail", case_id=case_id)
    if confirm and s.other_instansi_id != actor.instansi.pk:  # nothing merges across agencies
        messages.success(request, _(
            "Recorded as the same matter as case %(number)s of %(agency)s: coordinate with them; each "
            "agency keeps its own case."
        ) % {"number": s.other_report.case.number, "agency": s.other_instansi.name})
        return redirect("cases:detail", case_id=case_id)
    messages.success(request, _("Duplicate confirmed.") if confirm else _("Marked as not a duplicate."))
    if confirm:
        return redirect("cases:detail", case_id=s.other_report.case_id)
    return redirect("cases:detail", case_id=case_id)
