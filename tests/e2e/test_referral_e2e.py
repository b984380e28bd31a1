"""A referral in the browser: agency A refers a case at verification, agency B's officer finds it
under "Referrals in", reads it and accepts it into B's queue; A's case page then shows B's case."""

from __future__ import annotations

from typing import Any

import pytest

from sigap.cases.actions.transitions import do_transition
from sigap.cases.models import Case
from sigap.tenants.access import system_actor
from sigap.tenants.permissions import Role
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASON = "Terlapor pegawai kota: kewenangan inspektorat kota."


def _login(browser: Any, base: str, username: str) -> Any:
    page = browser.new_context(locale="en-US").new_page()  # English: the assertions read the source strings
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form:has(#id_username) button[type=submit]")
    page.wait_for_load_state()
    return page


def test_refer_then_accept_in_the_browser(live_server, browser, agency_a, agency_b, submit) -> None:  # type: ignore[no-untyped-def]
    make_user(agency_a, Role.VERIFIKATOR, Role.SUPERVISOR, username="supervisor-a")
    make_user(agency_b, Role.VERIFIKATOR, username="verifikator-b")
    case = submit(system_actor(agency_a)).case
    do_transition(actor=system_actor(agency_a), case_id=case.pk, name="start_verification")
    base = live_server.url

    referring = _login(browser, base, "supervisor-a")
    referring.goto(f"{base}/kasus/{case.pk}/")
    referring.click("summary:has-text('Not our authority: refer')")
    form = referring.locator("form[action$='/step/refer_not_authority/']")
    form.locator("select[name=target_instansi]").select_option(label=agency_b.name)
    form.locator("textarea[name=reason]").fill(REASON)
    form.locator("button[type=submit]").click()
    referring.wait_for_load_state()
    assert "Waiting for an answer" in referring.inner_text("#referrals")

    receiving = _login(browser, base, "verifikator-b")
    assert receiving.inner_text("header nav a[href='/pelimpahan/'] .badge") == "1"
    receiving.goto(f"{base}/pelimpahan/")
    receiving.click(f"text={case.number}")
    receiving.wait_for_load_state()
    assert REASON in receiving.content() and "Petugas kelurahan meminta uang" in receiving.content()
    receiving.click("button:has-text('Accept: open it as a case here')")
    receiving.wait_for_load_state()
    accepted = Case.objects.get(instansi=agency_b)
    assert receiving.url.endswith(f"/kasus/{accepted.pk}/")
    assert accepted.number in receiving.inner_text("h1")

    referring.reload()
    assert f"Their case {accepted.number}: Received" in referring.inner_text("#referrals")
