"""Reporter portal and mailbox pages: thin views over the portal action, the mailbox actions and
selectors. Every page works without JavaScript; none is cached; no view reads a client address."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from sigap.audit.actions import record
from sigap.core.errors import NotFound, ValidationFailed
from sigap.core.http import post_or_back
from sigap.intake.incoming import IncomingReport
from sigap.intake.portal import actions
from sigap.intake.portal.forms import (
    ANONYMITY_HELP,
    EvidenceForm,
    LoginForm,
    PassphraseForm,
    ReportForm,
    RetaliationForm,
    TranscriptForm,
    WriteForm,
    check_form_token,
    new_form_token,
    region_choices,
)
from sigap.reporters import mailbox, pow, receipts, selectors, throttle
from sigap.reporters.models import Anonymity, Reporter
from sigap.tenants.access import access_instansi_by_slug, system_actor
from sigap.tenants.models import Instansi, InstansiKind

RECEIPT_SESSION_KEY = "portal_receipt"
MAILBOX_SESSION_KEY = "mailbox"
MAILBOX_MAX_SECONDS = 4 * 3600  # a mailbox session ends after 4 hours, however active


def _evidence_refused() -> type[Exception]:
    from sigap.evidence.storage import EvidenceRefused

    return EvidenceRefused


def _vault_not_ready() -> type[Exception]:
    from sigap.vault.errors import VaultNotReady

    return VaultNotReady


def _hub() -> Instansi:
    hub = Instansi.objects.filter(kind=InstansiKind.HUB, active=True).order_by("pk").first()
    if hub is None:
        raise Http404
    return hub


def _instansi(slug: str | None) -> Instansi:
    if slug is None:
        return _hub()
    try:
        return access_instansi_by_slug(slug)
    except NotFound:
        raise Http404 from None


def uploaded_files(request: HttpRequest) -> list[UploadedFile]:
    return [f for f in request.FILES.getlist("evidence") if f.name]


def files_too_large(files: list[UploadedFile]) -> str | None:
    max_file, max_total = settings.SIGAP_MAX_FILE_BYTES, settings.SIGAP_MAX_REPORT_BYTES
    if len(files) > settings.SIGAP_MAX_FILES:
        return _("Send at most %(n)d files with one report; more can follow in your mailbox.") % {
            "n": settings.SIGAP_MAX_FILES
        }
    if any((f.size or 0) > max_file for f in files):
        return _("One of the files is larger than %(mb)d MB.") % {"mb": max_file // (1024 * 1024)}
    if sum(f.size or 0 for f in files) > max_total:
        return _("The files together are larger than %(mb)d MB.") % {"mb": max_total // (1024 * 1024)}
    return None


# -- the report form ---------------------------------------------------------------------------------


def _render_form(
    request: HttpRequest,
    instansi: Instansi,
    form: ReportForm,
    *,
    problem: str = "",
    files_lost: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {
        **report_form_context(instansi, form),
        "instansi": instansi,
        "problem": problem,
        "files_lost": files_lost,
        "action": request.path,
    }
    return render(request, "portal/report_form.html", context, status=status)


def report_form_context(instansi: Instansi, form: ReportForm) -> dict[str, Any]:
    """What a report form shows beside its fields (the portal's, and the officer's for a report
    taken by phone or letter): the anonymity choices, whether the agency can seal an identity yet,
    the file limits."""
    from sigap.vault.identity import can_seal_identity

    form.annotate()
    return {
        "form": form,
        "anonymity_options": [(value, label, ANONYMITY_HELP[value]) for value, label in Anonymity.choices],
        "anonymity_value": form["anonymity"].value() or Anonymity.ANONYMOUS,
        "can_seal": can_seal_identity(instansi=instansi),
        "max_file_mb": settings.SIGAP_MAX_FILE_BYTES // (1024 * 1024),
        "max_report_mb": settings.SIGAP_MAX_REPORT_BYTES // (1024 * 1024),
    }


@never_cache
@sensitive_post_parameters("name", "phone", "email", "passphrase", "passphrase_again")
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    instansi = _instansi(slug)
    regions = region_choices(instansi)
    if request.method == "GET":
        return _render_form(
            request, instansi, ReportForm(initial={"form_token": new_form_token()}, regions=regions)
        )
    form = ReportForm(request.POST, regions=regions)
    files = uploaded_files(request)
    valid = form.is_valid()
    token = check_form_token(request.POST.get("form_token", ""))
    if token is None:
        # Not our form (or a very old one): keep what was typed under a fresh token.
        data = request.POST.copy()
        data["form_token"] = new_form_token()
        form = ReportForm(data, regions=regions)
        form.is_valid()
        return _render_form(
            request,
            instansi,
            form,
            problem=_("This form is too old. Check your text and send it again."),
            files_lost=bool(files),
            status=400,
        )
    if not valid:
        return _render_form(
            request,
            instansi,
            form,
            problem=_("Some answers need your attention (marked below)."),
            files_lost=bool(files),
            status=400,
        )
    size_problem = files_too_large(files)
    if size_problem:
        return _render_form(request, instansi, form, problem=size_problem, files_lost=True, status=400)
    incoming = IncomingReport(
        channel="web",
        content=form.content(),
        language=(get_language() or "id")[:8],
        anonymity=form.cleaned_data["anonymity"],
        region_code=form.cleaned_data.get("region") or "",
        occurred_from=form.cleaned_data.get("occurred_from"),
        occurred_to=form.cleaned_data.get("occurred_to"),
        amount=form.amount(),
        evidence_count=len(files),
    )
    try:
        submitted = actions.submit_portal_report(
            actor=system_actor(instansi),
            incoming=incoming,
            form_token=token,
            passphrase=form.cleaned_data.get("passphrase") or "",
            identity=form.identity(),
            files=files,
            keep_metadata=form.cleaned_data.get("keep_metadata", False),
        )
    except actions.AlreadySubmitted as exc:
        request.session[RECEIPT_SESSION_KEY] = exc.token_hash
        return redirect("portal:receipt")
    except ValidationFailed as exc:
        for name, text in exc.fields.items():
            if name in form.fields:
                form.add_error(name, text)
        return _render_form(request, instansi, form, problem=exc.message, files_lost=bool(files), status=400)
    except (_evidence_refused(), _vault_not_ready()) as exc:
        return _render_form(
            request,
            instansi,
            form,
            problem=getattr(exc, "message", str(exc)),
            files_lost=bool(files),
            status=400,
        )
    request.session[RECEIPT_SESSION_KEY] = submitted.token_hash
    return redirect("portal:receipt")


@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    """The receipt, shown once (post/redirect/get): the session holds which one, the page ends it."""
    token_hash = request.session.pop(RECEIPT_SESSION_KEY, None)
    shown = actions.take_pending_receipt(token_hash=token_hash) if token_hash else None
    if shown is None:
        return render(request, "portal/receipt_gone.html", status=410)
    if shown.receipt is None:
        return render(request, "portal/already_received.html", {"shown": shown})
    return render(
        request, "portal/receipt.html", {"shown": shown, "groups": receipts.group(shown.receipt).split(" ")}
    )


# -- the mailbox -------------------------------------------------------------------------------------


# The mailbox's form targets take POST only: a GET goes back to the mailbox page.
post_or_back_to_mailbox = post_or_back("portal:mailbox")


def _session_reporter(request: HttpRequest) -> Reporter | None:
    state = request.session.get(MAILBOX_SESSION_KEY)
    if not isinstance(state, dict):
        return None
    now = time.time()
    idle = now - float(state.get("seen") or state.get("at") or 0)
    if now - float(state.get("at", 0)) > MAILBOX_MAX_SECONDS or idle > settings.SIGAP_MAILBOX_IDLE_SECONDS:
        request.session.pop(MAILBOX_SESSION_KEY, None)
        return None
    try:
        reporter = selectors.reporter_in_session(reporter_id=int(state["r"]), instansi_id=int(state["i"]))
    except (NotFound, KeyError, TypeError, ValueError):
        request.session.pop(MAILBOX_SESSION_KEY, None)
        return None
    if state.get("k") != receipts.credentials_mark(reporter.receipt_hash):  # the passphrase changed since
        request.session.pop(MAILBOX_SESSION_KEY, None)
        return None
    # idle time kept on the server; the cookie itself ends with the browser (a shared computer)
    request.session[MAILBOX_SESSION_KEY] = {**state, "seen": now}
    return reporter


def _render_login(
    request: HttpRequest,
    form: LoginForm | None = None,
    *,
    problem: str = "",
    challenge: str | None = None,
    status: int = 200,
) -> HttpResponse:
    challenge = challenge or pow.issue()
    if form is None:
        form = LoginForm(initial={"pow_challenge": challenge})
    else:
        data = form.data.copy()  # type: ignore[attr-defined]
        data["pow_challenge"], data["pow_nonce"] = challenge, ""
        data.pop("passphrase", None)
        form = LoginForm(data)
        form.is_valid()
    form.annotate()
    return render(
        request,
        "portal/mailbox_login.html",
        {
            "form": form,
            "problem": problem,
            "pow_bits": settings.SIGAP_POW_BITS,
            "wait_seconds": settings.SIGAP_POW_WAIT_SECONDS,
        },
        status=status,
    )


def _render_mailbox(
    request: HttpRequest,
    reporter: Reporter,
    *,
    forms: dict[str, Any] | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    box = selectors.mailbox_of(reporter=reporter)
    all_forms: dict[str, Any] = {
        "write": WriteForm(),
        "evidence": EvidenceForm(),
        "passphrase": PassphraseForm(),
        **(forms or {}),
    }
    for f in all_forms.values():
        f.annotate()
    return render(
        request,
        "portal/mailbox.html",
        {
            "box": box,
            "forms": all_forms,
            "problem": problem,
            "instansi": reporter.instansi,
            "max_file_mb": settings.SIGAP_MAX_FILE_BYTES // (1024 * 1024),
        },
        status=status,
    )


@never_cache
def mailbox_home(request: HttpRequest) -> HttpResponse:
    reporter = _session_reporter(request)
    if reporter is None:
        return _render_login(request)
    return _render_mailbox(request, reporter)


@never_cache
@sensitive_post_parameters("receipt", "passphrase")
@post_or_back_to_mailbox
def mailbox_login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST)
    if not form.is_valid():
        return _render_login(request, form, problem=_("Type your receipt."), status=400)
    data = form.cleaned_data
    outcome = pow.check(data["pow_challenge"], data.get("pow_nonce") or "", spend=False)
    if outcome.reason == "early":
        return _render_login(
            request,
            form,
            challenge=data["pow_challenge"],
            status=400,
            problem=ngettext(
                "The security check is not finished yet: wait %(n)d more second, then press "
                "“Open my mailbox” again.",
                "The security check is not finished yet: wait %(n)d more seconds, then press "
                "“Open my mailbox” again.",
                outcome.wait_seconds,
            )
            % {"n": outcome.wait_seconds},
        )
    if not outcome.ok or not pow.check(data["pow_challenge"], data.get("pow_nonce") or "").ok:
        return _render_login(
            request,
            form,
            status=400,
            problem=_("The security check has expired. Please press “Open my mailbox” again."),
        )
    limit = settings.SIGAP_MAILBOX_LOGINS_PER_MINUTE
    allowed = True
    if not data.get("pow_nonce"):
        # Waiting costs an attacker nothing: logins without the computed check share a smaller budget,
        # checked first, so that they can never use up the budget of those who did compute it.
        allowed = throttle.hit(scope="login-wait", key="all", limit=max(1, limit // 5), window_seconds=60)
    allowed = allowed and throttle.hit(scope="login", key="all", limit=limit, window_seconds=60)
    if not allowed:
        return _render_login(
            request,
            form,
            status=429,
            problem=_(
                "Too many people are trying to open a mailbox right now. Please try again in a minute."
            ),
        )
    typed = receipts.normalize(data["receipt"])
    prefix_key = receipts.lookup_of(typed) if len(typed) >= receipts.PREFIX_DIGITS else "short"
    tried_at = time.time()
    if not throttle.hit(
        scope="login-prefix",
        key=prefix_key,
        limit=settings.SIGAP_MAILBOX_LOGINS_PER_PREFIX_HOUR,
        window_seconds=3600,
        now=tried_at,
    ):
        return _render_login(
            request,
            form,
            status=429,
            problem=_("Too many attempts with this receipt. Please try again in an hour."),
        )
    reporter = receipts.find_reporter(typed, data.get("passphrase") or "")
    if reporter is None:
        return _render_login(
            request,
            form,
            status=400,
            problem=_("This receipt and passphrase do not open a mailbox. Check the digits and try again."),
        )
    # The receipt's owner came in: only wrong guesses count towards this receipt's hourly limit (a
    # reporter who opens the mailbox often is never locked out by their own visits).
    throttle.forgive(scope="login-prefix", key=prefix_key, window_seconds=3600, now=tried_at)
    request.session.cycle_key()
    now = time.time()
    state = {
        "r": reporter.pk,
        "i": reporter.instansi_id,
        "k": receipts.credentials_mark(reporter.receipt_hash),
        "at": now,
        "seen": now,
    }
    request.session[MAILBOX_SESSION_KEY] = state
    request.session.set_expiry(0)  # the cookie ends when the browser closes; idle and age are checked here
    record(
        actor=system_actor(reporter.instansi),
        action="mailbox.opened",
        obj=reporter,
        data={"reporter": reporter.pseudonym},
    )
    return redirect("portal:mailbox")


@never_cache
@post_or_back_to_mailbox
def mailbox_logout(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect(reverse("portal:mailbox") + "?keluar=1")


def _require_reporter(request: HttpRequest) -> Reporter | HttpResponse:
    reporter = _session_reporter(request)
    if reporter is None:
        return _render_login(
            request, problem=_("Your mailbox session has ended. Open it again with your receipt."), status=403
        )
    return reporter


@never_cache
@post_or_back_to_mailbox
def mailbox_write(request: HttpRequest) -> HttpResponse:
    reporter = _require_reporter(request)
    if isinstance(reporter, HttpResponse):
        return reporter
    form = WriteForm(request.POST)
    if not form.is_valid():
        return _render_mailbox(
            request, reporter, forms={"write": form}, problem=_("Write a message first."), status=400
        )
    try:
        mailbox.reporter_write(
            actor=system_actor(reporter.instansi),
            reporter=reporter,
            body=form.cleaned_data["body"],
            reply_to_id=form.cleaned_data.get("reply_to"),
        )
    except NotFound:
        raise Http404 from None
    except ValidationFailed as exc:
        return _render_mailbox(request, reporter, forms={"write": form}, problem=exc.message, status=400)
    return redirect(reverse("portal:mailbox") + "?terkirim=1#pesan")


@never_cache
@post_or_back_to_mailbox
def mailbox_transcript(request: HttpRequest) -> HttpResponse:
    reporter = _require_reporter(request)
    if isinstance(reporter, HttpResponse):
        return reporter
    form = TranscriptForm(request.POST)
    if not form.is_valid():
        return _render_mailbox(
            request, reporter, problem=_("Choose whether the transcript is correct."), status=400
        )
    try:
        mailbox.reporter_review_transcript(
            actor=system_actor(reporter.instansi),
            reporter=reporter,
            transcript_id=form.cleaned_data["transcript"],
            confirm=form.cleaned_data["decision"] == "confirm",
            correction=form.cleaned_data.get("correction", ""),
        )
    except NotFound:
        raise Http404 from None
    except ValidationFailed:
        return _render_mailbox(
            request,
            reporter,
            status=400,
            problem=_("Write what should be corrected, or confirm the transcript."),
        )
    return redirect(reverse("portal:mailbox") + "?terkirim=1#pesan")


@never_cache
@sensitive_post_parameters("receipt", "current", "new", "new_again")
@post_or_back_to_mailbox
def mailbox_passphrase(request: HttpRequest) -> HttpResponse:
    """Set, change or remove the mailbox passphrase; this session stays open, every other one ends."""
    reporter = _require_reporter(request)
    if isinstance(reporter, HttpResponse):
        return reporter
    form = PassphraseForm(request.POST)
    problem = _("Type your receipt.")
    # Each try costs one Argon2 verification: a few an hour are plenty for the owner of the mailbox.
    if not throttle.hit(
        scope="passphrase",
        key=str(reporter.pk),
        limit=settings.SIGAP_PASSPHRASE_CHANGES_PER_HOUR,
        window_seconds=3600,
    ):
        problem = _("Too many attempts. Please try again in an hour.")
        return _render_mailbox(request, reporter, forms={"passphrase": form}, problem=problem, status=429)
    if form.is_valid():
        data = form.cleaned_data
        try:
            reporter = mailbox.reporter_set_passphrase(
                actor=system_actor(reporter.instansi),
                reporter=reporter,
                receipt=data["receipt"],
                current=data.get("current") or "",
                new=data.get("new") or "",
                new_again=data.get("new_again") or "",
            )
        except ValidationFailed as exc:
            problem = exc.message
            for name, text in exc.fields.items():
                form.add_error(name, text)
        else:
            state = request.session.get(MAILBOX_SESSION_KEY) or {}
            request.session.cycle_key()
            request.session[MAILBOX_SESSION_KEY] = {
                **state,
                "k": receipts.credentials_mark(reporter.receipt_hash),
            }
            flag = "1" if (data.get("new") or "").strip() else "0"
            return redirect(reverse("portal:mailbox") + f"?sandi={flag}#sandi")
    # Every input of this form is a password input: nothing typed is sent back.
    return _render_mailbox(request, reporter, forms={"passphrase": form}, problem=problem, status=400)


@never_cache
@post_or_back_to_mailbox
def mailbox_evidence(request: HttpRequest) -> HttpResponse:
    reporter = _require_reporter(request)
    if isinstance(reporter, HttpResponse):
        return reporter
    form = EvidenceForm(request.POST)
    files = uploaded_files(request)
    if not form.is_valid() or not files:
        return _render_mailbox(
            request, reporter, forms={"evidence": form}, status=400, problem=_("Choose at least one file.")
        )
    size_problem = files_too_large(files)
    if size_problem:
        return _render_mailbox(
            request,
            reporter,
            forms={"evidence": form},
            status=400,
            problem=size_problem + " " + _("Please choose the files again."),
        )
    try:
        mailbox.reporter_add_evidence(
            actor=system_actor(reporter.instansi),
            reporter=reporter,
            files=files,
            keep_metadata=form.cleaned_data["keep_metadata"],
            note=form.cleaned_data.get("note", ""),
        )
    except (_evidence_refused(), ValidationFailed) as exc:
        return _render_mailbox(
            request,
            reporter,
            forms={"evidence": form},
            status=400,
            problem=getattr(exc, "message", str(exc)) + " " + _("Please choose the files again."),
        )
    return redirect(reverse("portal:mailbox") + "?terkirim=1#pesan")


@never_cache
@require_http_methods(["GET", "POST"])
def mailbox_retaliation(request: HttpRequest) -> HttpResponse:
    reporter = _require_reporter(request)
    if isinstance(reporter, HttpResponse):
        return reporter
    form = RetaliationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        mailbox.reporter_report_retaliation(
            actor=system_actor(reporter.instansi), reporter=reporter, body=form.cleaned_data["body"]
        )
        return redirect(reverse("portal:protection") + "?dilaporkan=1")
    form.annotate()
    return render(
        request,
        "portal/retaliation.html",
        {"form": form, "instansi": reporter.instansi},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
def protection(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/protection.html", {"reported": request.GET.get("dilaporkan") == "1"})
