"""A reporter on a cheap phone: the reporter's pages fit a 360-pixel screen, nothing scrolls sideways,
and no page relies on inline styles (the content security policy blocks them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEMPLATES = Path(__file__).resolve().parents[2] / "sigap"


@pytest.mark.parametrize("path", ["/prov-a/lapor/", "/lapor/", "/kotak-surat/", "/accounts/login/"])
def test_pages_fit_a_360_pixel_phone(live_server, browser: Any, agency_a, hub, path: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        overflowing = page.evaluate(
            "() => [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > 360.5).map(e => e.tagName)"
        )
        assert overflowing == []
        assert blocked == []
    finally:
        context.close()


def test_no_template_uses_inline_styles() -> None:
    offenders = [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html") if 'style="' in p.read_text()]
    assert offenders == []


def test_the_officer_case_page_runs_without_blocked_styles(live_server, browser: Any, agency_a, submit) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings
    from django.test import Client

    from sigap.tenants.access import system_actor
    from sigap.tenants.permissions import Role
    from sigap.triage.actions import triage_report
    from tests.conftest import make_user

    report = submit(system_actor(agency_a))
    triage_report(report_id=report.pk)
    client = Client()
    client.force_login(make_user(agency_a, Role.VERIFIKATOR, Role.SUPERVISOR))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    try:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
        page = context.new_page()
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(f"{live_server.url}/kasus/{report.case_id}/")
        assert page.locator("#triage").count() == 1
        page.wait_for_load_state("networkidle")
        assert blocked == []
    finally:
        context.close()
