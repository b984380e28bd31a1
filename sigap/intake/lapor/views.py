"""The officer's page to import an SP4N-LAPOR! export into their agency (large exports: the
`sigap lapor-import` command)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sigap.intake.lapor.actions import import_lapor
from sigap.intake.lapor.parse import NotAnExport, read_xlsx
from sigap.tenants.permissions import Cap

TEMPLATE = "lapor/import.html"


@login_required
def lapor_import(request: HttpRequest) -> HttpResponse:
    actor = getattr(request, "actor", None)
    if actor is None or not actor.can(Cap.CASE_VERIFY):
        raise Http404
    if request.method != "POST":
        return render(request, TEMPLATE, {})
    upload = request.FILES.get("file")
    limit = int(settings.SIGAP_LAPOR_IMPORT_MAX_BYTES)
    if upload is None:
        return render(
            request, TEMPLATE, {"error": _("Choose the XLSX file exported from SP4N-LAPOR!.")}, status=400
        )
    if upload.size is not None and upload.size > limit:
        error = _("The file is larger than %(mb)d MB: import it with the sigap lapor-import command.") % {
            "mb": limit // (1024 * 1024)
        }
        return render(request, TEMPLATE, {"error": error}, status=400)
    try:
        export = read_xlsx(upload)
    except NotAnExport as exc:
        return render(request, TEMPLATE, {"error": str(exc)}, status=400)
    result = import_lapor(actor=actor, export=export, dry_run=request.POST.get("dry_run") == "1")
    return render(request, TEMPLATE, {"result": result, "export": export})
