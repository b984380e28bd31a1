"""Browser test: an officer requests a confidential reporter's identity, a custodian approves it
with their passphrase, the officer opens it with theirs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sigap.cases.actions.submit import submit_report
from sigap.cases.content import ReportContent
from sigap.intake.incoming import IncomingReport
from sigap.reporters.models import Reporter
from sigap.tenants.access import system_actor
from sigap.tenants.permissions import Role
from sigap.vault import actions
from sigap.vault.identity import seal_identity
from tests.conftest import PASSWORD, make_instansi, make_user

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SECRET_NAME = "Dewi Lestari Rahasia"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian Chromium is not installed"),
]


@pytest.fixture
def browser() -> Iterator[Any]:
    """Our own Playwright fixture (never downloads a browser)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM runs beside Playwright's loop
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def _login(browser: Any, base: str, username: str) -> Any:
    # Accept-Language: en, so that assertions read the source strings.
    page = browser.new_context(locale="en-US").new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form:has(#id_username) button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.django_db(transaction=True)
def test_officer_gets_identity_after_custodian_approval(live_server, browser, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SIGAP_VAULT_KDF = "interactive"
    settings.SIGAP_EVIDENCE_DIR = Path(settings.VAR_DIR) / "e2e-evidence"
    agency = make_instansi("prov-e2e")
    custodian = make_user(agency, Role.CUSTODIAN, username="kustodian-e2e")
    officer = make_user(agency, Role.PENELAAH, username="penelaah-e2e")
    actions.ensure_custodian_key(custodian, "frasa-sandi-kustodian")
    actions.ensure_officer_key(officer, "frasa-sandi-petugas")
    report = submit_report(
        actor=system_actor(agency),
        incoming=IncomingReport(
            channel="web",
            anonymity="confidential",
            content=ReportContent(title="Pungutan liar di loket", what="Petugas meminta uang tambahan."),
        ),
    )
    Reporter.objects.filter(pk=report.reporter_id).update(
        identity_sealed=seal_identity(instansi=agency, identity={"name": SECRET_NAME, "phone": "0812-5555"})
    )
    base = live_server.url

    # The officer asks, with a reason, from the case page.
    officer_page = _login(browser, base, "penelaah-e2e")
    officer_page.goto(f"{base}/kasus/{report.case_id}/")
    officer_page.click("text=Request the reporter's identity")
    officer_page.fill("#reason", "Perlu klarifikasi langsung dengan pelapor tentang waktu kejadian.")
    officer_page.click("button[type=submit]:has-text('Send the request')")
    officer_page.wait_for_load_state()
    assert "Waiting for a custodian" in officer_page.inner_text("#request-status")
    assert SECRET_NAME not in officer_page.content()
    request_url = officer_page.url

    # The custodian sees the pending request (without the identity) and approves with a passphrase.
    custodian_page = _login(browser, base, "kustodian-e2e")
    custodian_page.goto(f"{base}/brankas/")
    custodian_page.click("#to-decide a")
    assert SECRET_NAME not in custodian_page.content()
    custodian_page.fill("#approve-pass", "bukan-frasa-yang-benar")
    custodian_page.click("#approve")
    custodian_page.wait_for_load_state()
    assert "does not unlock" in custodian_page.content()
    custodian_page.fill("#approve-pass", "frasa-sandi-kustodian")
    custodian_page.click("#approve")
    custodian_page.wait_for_load_state()
    assert SECRET_NAME not in custodian_page.content()

    # The officer opens it with their own passphrase.
    officer_page.goto(request_url)
    assert "Approved" in officer_page.inner_text("#request-status")
    officer_page.fill("#open-pass", "frasa-sandi-petugas")
    officer_page.click("#open")
    officer_page.wait_for_load_state()
    assert SECRET_NAME in officer_page.inner_text("#identity")

    from sigap.audit.models import AuditEvent

    actions_seen = set(
        AuditEvent.objects.filter(object_type="vault.identityrequest").values_list("action", flat=True)
    )
    assert {"identity.requested", "identity.approved", "identity.viewed"} <= actions_seen
