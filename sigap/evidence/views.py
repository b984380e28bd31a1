"""Officer views of evidence: a list per report, downloads, and images shown inline.

Safety of what is served (decision): everything is `Content-Disposition: attachment` except
images of the four re-encoded raster types, which are served inline only to be drawn by an <img>
tag. PDFs are always downloaded: a PDF shown inline runs the browser's PDF engine (with its own
scripting) inside SIGAP's origin and session, and Chromium refuses to render PDFs in a sandboxed
iframe, so the only safe choice is to open them outside the browser. Every response carries a
locked-down Content-Security-Policy with `sandbox`, `nosniff`, `no-store` and the detected type
(never the name the reporter gave).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from sigap.cases.access import access_report
from sigap.core.errors import NotFound
from sigap.evidence import storage
from sigap.evidence.models import Evidence
from sigap.tenants.access import Actor
from sigap.tenants.permissions import Cap

INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def _actor(request: HttpRequest) -> Actor:
    actor = getattr(request, "actor", None)
    if actor is None:
        raise Http404
    return actor


def safe_file_headers(
    response: HttpResponse | StreamingHttpResponse, evidence: Evidence, *, inline: bool
) -> None:
    response["Content-Security-Policy"] = FILE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Frame-Options"] = "DENY"
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{storage.download_name(evidence)}"'
    response["Content-Length"] = str(evidence.size)


def _serve(request: HttpRequest, evidence_id: int, *, inline: bool) -> StreamingHttpResponse:
    actor = _actor(request)
    try:
        evidence = storage.access_evidence(actor, evidence_id)
    except NotFound:
        raise Http404 from None
    if inline and evidence.mime_type not in INLINE_TYPES:
        raise Http404
    from sigap.audit.actions import record

    record(
        actor=actor,
        action="evidence.viewed" if inline else "evidence.downloaded",
        obj=evidence,
        data={"report": evidence.report_id},
    )
    content_type = evidence.mime_type if evidence.mime_type != "text/plain" else "text/plain; charset=utf-8"
    if not inline and evidence.mime_type in INLINE_TYPES | {"text/plain"}:
        content_type = "application/octet-stream"  # a download is never rendered by the browser
    response = StreamingHttpResponse(storage.iter_plaintext(evidence), content_type=content_type)
    safe_file_headers(response, evidence, inline=inline)
    return response


@login_required
def download(request: HttpRequest, evidence_id: int) -> StreamingHttpResponse:
    return _serve(request, evidence_id, inline=False)


@login_required
def image(request: HttpRequest, evidence_id: int) -> StreamingHttpResponse:
    return _serve(request, evidence_id, inline=True)


@login_required
def report_evidence(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = _actor(request)
    try:
        report = access_report(actor, report_id, cap=Cap.CASE_READ)
    except NotFound:
        raise Http404 from None
    files = [(e, storage.name_of(e)) for e in storage.evidence_of_report(report=report)]
    return render(
        request,
        "evidence/report_evidence.html",
        {"report": report, "files": files, "inline_types": INLINE_TYPES},
    )
