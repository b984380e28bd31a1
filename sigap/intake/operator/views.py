"""The officer's pages to record a report taken by phone, at the desk, by letter, e-mail or chat,
and to see its receipt once (post/redirect/get, like the portal's)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from sigap.cases.access import access_case
from sigap.core.errors import ValidationFailed
from sigap.evidence.storage import EvidenceRefused
from sigap.intake.incoming import IncomingReport
from sigap.intake.operator.actions import may_record_reports, record_taken_report
from sigap.intake.operator.forms import TakenReportForm
from sigap.intake.portal import actions as portal_actions
from sigap.intake.portal.forms import check_form_token, new_form_token, region_choices
from sigap.intake.portal.views import files_too_large, report_form_context, uploaded_files
from sigap.reporters import receipts
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap
from sigap.vault.errors import VaultNotReady

RECEIPT_SESSION_KEY = "taken_report_receipts"
MAX_PENDING = 5


def _actor(request: HttpRequest) -> Actor:
    actor = getattr(request, "actor", None)
    if actor is None or not may_record_reports(actor):
        raise Http404
    return actor


def _render(
    request: HttpRequest,
    actor: Actor,
    form: TakenReportForm,
    *,
    problem: str = "",
    files_lost: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {**report_form_context(actor.instansi, form), "problem": problem, "files_lost": files_lost}
    return render(request, "operator/record.html", context, status=status)


@never_cache
@sensitive_post_parameters("name", "phone", "email")
@login_required
@require_http_methods(["GET", "POST"])
def record_report(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    zone, regions = actor.instansi.timezone, region_choices(actor.instansi)
    if request.method == "GET":
        form = TakenReportForm(initial={"form_token": new_form_token()}, regions=regions, zone_name=zone)
        return _render(request, actor, form)
    form = TakenReportForm(request.POST, regions=regions, zone_name=zone)
    files = uploaded_files(request)
    valid = form.is_valid()
    token = check_form_token(request.POST.get("form_token", ""))
    if token is None:  # not our form, or a very old one: keep what was typed under a fresh token
        posted = request.POST.copy()
        posted["form_token"] = new_form_token()
        form = TakenReportForm(posted, regions=regions, zone_name=zone)
        form.is_valid()
        problem = _("This form is too old. Check the text and save it again.")
        return _render(request, actor, form, problem=problem, files_lost=bool(files), status=400)
    if not valid:
        problem = _("Some answers need your attention (marked below).")
        return _render(request, actor, form, problem=problem, files_lost=bool(files), status=400)
    size_problem = files_too_large(files)
    if size_problem:
        return _render(request, actor, form, problem=size_problem, files_lost=True, status=400)
    data: dict[str, Any] = form.cleaned_data
    incoming = IncomingReport(
        channel=data["channel"],
        content=form.content(),
        received_at=data["received_at"],
        language="id",
        anonymity=data["anonymity"],
        region_code=data.get("region") or "",
        occurred_from=data.get("occurred_from"),
        occurred_to=data.get("occurred_to"),
        amount=form.amount(),
        evidence_count=len(files),
    )
    try:
        submitted = record_taken_report(
            actor=actor,
            incoming=incoming,
            form_token=token,
            identity=form.identity(),
            files=files,
            keep_metadata=data.get("keep_metadata", False),
            send_transcript=form.transcript_wanted(),
        )
    except portal_actions.AlreadySubmitted as exc:
        return _to_receipt(request, exc.token_hash)
    except ValidationFailed as exc:
        for name, text in exc.fields.items():
            if name in form.fields:
                form.add_error(name, text)
        return _render(request, actor, form, problem=exc.message, files_lost=bool(files), status=400)
    except (EvidenceRefused, VaultNotReady) as exc:
        problem = getattr(exc, "message", str(exc))
        return _render(request, actor, form, problem=problem, files_lost=bool(files), status=400)
    return _to_receipt(request, submitted.token_hash)


def _to_receipt(request: HttpRequest, token_hash: str) -> HttpResponse:
    """Post/redirect/get: the session lists the receipts waiting to be shown (several tabs may
    record at once), the receipt page shows the latest and ends its one showing."""
    pending = [t for t in request.session.get(RECEIPT_SESSION_KEY) or [] if t != token_hash]
    request.session[RECEIPT_SESSION_KEY] = [*pending[-(MAX_PENDING - 1) :], token_hash]
    return redirect("cases:recorded")


@never_cache
@login_required
def recorded(request: HttpRequest) -> HttpResponse:
    """The new report's receipt, shown to the officer once, to hand to the reporter."""
    actor = _actor(request)
    pending = list(request.session.get(RECEIPT_SESSION_KEY) or [])
    shown = None
    for token_hash in reversed(pending):  # the latest of this agency; another agency's wait for it
        shown = portal_actions.take_pending_receipt(token_hash=token_hash, instansi_id=actor.instansi.pk)
        if shown is not None:
            pending.remove(token_hash)
            break
    request.session[RECEIPT_SESSION_KEY] = pending
    if shown is None:
        raise Http404
    case = access_case(actor, shown.case_id, cap=Cap.CASE_LIST)
    context = {
        "shown": shown,
        "case": case,
        "groups": receipts.group(shown.receipt).split(" ") if shown.receipt else [],
    }
    return render(request, "operator/recorded.html", context)
