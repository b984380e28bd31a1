"""Officer side of the mailbox: writing to a case's reporter from the case page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from sigap.core.errors import NotFound, PermissionDenied, ValidationFailed
from sigap.core.http import post_or_back
from sigap.reporters.mailbox import officer_write as do_officer_write


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@post_or_back("cases:detail", "case_id")
def officer_write(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = getattr(request, "actor", None)
    if actor is None:
        raise Http404
    report_id = _int_or_none(request.POST.get("report"))
    if report_id is None:
        raise Http404
    try:
        do_officer_write(
            actor=actor,
            case_id=case_id,
            report_id=report_id,
            body=request.POST.get("body", ""),
            kind=request.POST.get("kind", "question"),
            reply_to_id=_int_or_none(request.POST.get("reply_to")),
        )
    except NotFound:
        raise Http404 from None
    except (ValidationFailed, PermissionDenied) as exc:
        messages.error(request, exc.message)
        return redirect(reverse("cases:detail", args=[case_id]) + "#pesan-pelapor")
    messages.success(request, _("Your message is in the reporter's mailbox."))
    return redirect(reverse("cases:detail", args=[case_id]) + "#pesan-pelapor")
